package dev.lake.exchanges.okx;

import dev.lake.core.model.MarketType;
import dev.lake.core.model.SnapshotSource;
import dev.lake.exchanges.Connector;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.ConnectorStats;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.FeedStarts;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.Venue;
import dev.lake.exchanges.poll.Instruments;
import dev.lake.exchanges.stream.BookStreams;
import dev.lake.exchanges.stream.EventFeed;
import java.net.URI;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one OKX market: {@code spot}, or {@code future} (SWAP perpetuals, and the dated FUTURES
 * the user lists): validated books from the {@code books} channel, book snapshots (REST polls, or
 * the local book on a wall-clock grid), contracts, trades, and on future liquidations, open
 * interest and funding. Derivative sizes are in contracts, so on future every feed starts once the
 * instruments (and their {@code ctVal}) are in; {@code symbols: all} resolves from the live
 * instruments (SPOT, or SWAP) at start and on each contracts poll.
 */
public final class OkxConnector implements Connector {
  private static final Logger LOG = LoggerFactory.getLogger(OkxConnector.class);
  private static final long DEFAULT_INSTRUMENTS_INTERVAL_MS = 3_600_000;

  private final OkxMarket market;
  private final Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
  private final FeedStarts started;
  private final OkxPolls polls;
  private final Set<String> instTypes = new LinkedHashSet<>();
  private final Set<String> answered = new HashSet<>();
  private final Set<String> liquidationSymbols = ConcurrentHashMap.newKeySet();
  private final Set<String> openInterestSymbols = ConcurrentHashMap.newKeySet();
  // set by start(), read by stats() from a metrics thread without the lock
  private volatile BookStreams books;
  private volatile EventFeed liquidations;
  private volatile EventFeed trades;
  private final List<EventFeed> eventFeeds = new CopyOnWriteArrayList<>();
  private boolean openInterestPolled;
  private Instruments selectable;

  OkxConnector(MarketSettings settings, ConnectorContext context) {
    this.market = new OkxMarket(settings, context);
    this.polls = new OkxPolls(market);
    this.started = new FeedStarts(market.name());
    for (DataType type : DataType.values()) {
      FeedSettings feed = settings.enabled(type);
      if (feed != null) {
        feeds.put(type, feed);
      }
    }
    if (market.market() == MarketType.SPOT) {
      instTypes.add("SPOT");
    } else {
      instTypes.add("SWAP");
      boolean dated =
          feeds.values().stream()
              .flatMap(feed -> feed.symbols().symbols().stream())
              .anyMatch(OkxVenue::datedFuture);
      if (dated) {
        instTypes.add("FUTURES");
      }
    }
  }

  @Override
  public synchronized void start() {
    FeedSettings snapshots = feeds.get(DataType.ORDERBOOK_SNAPSHOT);
    FeedSettings delta = feeds.get(DataType.ORDERBOOK_DELTA);
    boolean bookSnapshots = snapshots != null && snapshots.snapshotSource() == SnapshotSource.BOOK;
    if (delta != null) {
      books = OkxBookStreams.create(market, delta, bookSnapshots ? snapshots : null);
    }
    if (feeds.containsKey(DataType.TRADES)) {
      trades = OkxTrades.feed(market, feeds.get(DataType.TRADES));
      eventFeeds.add(trades);
    }
    if (feeds.containsKey(DataType.LIQUIDATION)) {
      FeedSettings feed = feeds.get(DataType.LIQUIDATION);
      liquidations =
          OkxLiquidations.feed(market, feed, feed.symbols().all() ? null : liquidationSymbols);
      eventFeeds.add(liquidations);
    }
    boolean spot = market.market() == MarketType.SPOT;
    boolean needsInstruments = !spot || feeds.containsKey(DataType.CONTRACTS);
    for (Map.Entry<DataType, FeedSettings> entry : feeds.entrySet()) {
      if (entry.getKey() != DataType.CONTRACTS && entry.getValue().symbols().all()) {
        needsInstruments = true;
      }
    }
    if (spot) {
      startListed();
    }
    if (needsInstruments) {
      FeedSettings contracts = feeds.get(DataType.CONTRACTS);
      URI url = contracts != null ? contracts.url() : instrumentsUrl();
      long interval = contracts != null ? contracts.intervalMs() : DEFAULT_INSTRUMENTS_INTERVAL_MS;
      for (String instType : instTypes) {
        polls.instruments(
            url, instType, interval, contracts != null, found -> onInstruments(instType, found));
      }
    }
    LOG.info("{}: started {}", market.name(), feeds.keySet());
  }

  /** The instruments endpoint on the host of the market's configured REST endpoints. */
  private URI instrumentsUrl() {
    URI production = new OkxVenue().defaults(market.market(), DataType.CONTRACTS).url();
    for (FeedSettings feed : feeds.values()) {
      URI rest = feed.type() == DataType.ORDERBOOK_DELTA ? feed.snapshotUrl() : feed.url();
      if (rest != null && OkxVenue.isHttp(rest)) {
        return Venue.sameHost(rest, production);
      }
    }
    return production;
  }

  private synchronized void onInstruments(String instType, Instruments instruments) {
    if (instType.equals(instTypes.iterator().next())) {
      selectable = instruments; // symbols: all is every live instrument of SPOT or SWAP
    }
    boolean first = answered.add(instType);
    if (answered.size() < instTypes.size()) {
      return; // on future every feed waits for the contract values of every instType
    }
    if (first && market.market() != MarketType.SPOT) {
      startListed();
    }
    if (selectable == null) {
      return;
    }
    for (Map.Entry<DataType, FeedSettings> entry : feeds.entrySet()) {
      FeedSettings feed = entry.getValue();
      if (entry.getKey() != DataType.CONTRACTS && feed.symbols().all()) {
        startFeed(entry.getKey(), feed.symbols().resolve(selectable.instruments()));
      }
    }
  }

  /** Starts the feeds configured with a list of symbols. */
  private void startListed() {
    for (Map.Entry<DataType, FeedSettings> entry : feeds.entrySet()) {
      if (entry.getKey() != DataType.CONTRACTS && !entry.getValue().symbols().all()) {
        startFeed(entry.getKey(), entry.getValue().symbols().symbols());
      }
    }
  }

  /** Starts a feed for the symbols it does not collect yet. */
  private void startFeed(DataType type, List<String> symbols) {
    Set<String> fresh = started.fresh(type, symbols);
    if (fresh.isEmpty()) {
      return;
    }
    FeedSettings feed = feeds.get(type);
    switch (type) {
      case ORDERBOOK_DELTA -> books.add(fresh);
      case ORDERBOOK_SNAPSHOT -> {
        if (feed.snapshotSource() == SnapshotSource.REST) {
          polls.snapshots(feed, fresh);
        }
      }
      case TRADES -> trades.add(OkxTrades.topics(List.copyOf(fresh)));
      case LIQUIDATION -> {
        liquidationSymbols.addAll(fresh);
        liquidations.add(instTypes.stream().map(OkxLiquidations::topic).toList());
      }
      case OPEN_INTEREST -> {
        openInterestSymbols.addAll(fresh);
        if (!openInterestPolled) {
          openInterestPolled = true;
          for (String instType : instTypes) {
            polls.openInterest(feed, instType, openInterestSymbols);
          }
        }
      }
      case FUNDING_RATE ->
          polls.funding(feed, fresh.stream().filter(s -> s.endsWith("-SWAP")).toList());
      case CONTRACTS -> {}
    }
  }

  @Override
  public synchronized void close() {
    polls.close();
    if (books != null) {
      books.close();
    }
    eventFeeds.forEach(EventFeed::close);
  }

  @Override
  public ConnectorStats stats() {
    return market.ledger().stats(books, List.copyOf(eventFeeds));
  }

  /** For tests: the book streams, or null without a delta feed. */
  BookStreams bookStreams() {
    return books;
  }
}
