package dev.lake.exchanges.bybit;

import dev.lake.core.model.FundingRate;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.SnapshotSource;
import dev.lake.exchanges.Connector;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.ConnectorStats;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.book.BookSync;
import dev.lake.exchanges.poll.Instruments;
import dev.lake.exchanges.stream.EventFeed;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one Bybit market (spot, or linear as {@code future}): order-book streams with validated
 * books, book snapshots (REST polls, or the local book on a wall-clock grid), contracts, trades,
 * and on linear liquidations, open interest and funding (the {@code tickers} stream, or REST polls
 * when their URL is HTTP(S)). Feeds with {@code symbols: all} start once instruments-info is in,
 * and pick up symbols listed later on each contracts poll.
 */
public final class BybitConnector implements Connector {
  private static final Logger LOG = LoggerFactory.getLogger(BybitConnector.class);
  private static final long DEFAULT_INSTRUMENTS_INTERVAL_MS = 3_600_000;

  private final BybitMarket market;
  private final Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
  private final Map<DataType, Set<String>> started = new EnumMap<>(DataType.class);
  private final BybitPolls polls;
  private BybitBookStreams books;
  private EventFeed liquidations;
  private EventFeed trades;
  private BybitTickers tickers;

  BybitConnector(MarketSettings settings, ConnectorContext context) {
    this.market = new BybitMarket(settings, context);
    this.polls = new BybitPolls(market);
    for (DataType type : DataType.values()) {
      FeedSettings feed = settings.enabled(type);
      if (feed != null) {
        feeds.put(type, feed);
        started.put(type, new HashSet<>());
      }
    }
  }

  @Override
  public synchronized void start() {
    FeedSettings snapshots = feeds.get(DataType.ORDERBOOK_SNAPSHOT);
    boolean bookSnapshots = snapshots != null && snapshots.snapshotSource() == SnapshotSource.BOOK;
    if (feeds.containsKey(DataType.ORDERBOOK_DELTA)) {
      books =
          new BybitBookStreams(
              market, feeds.get(DataType.ORDERBOOK_DELTA), bookSnapshots ? snapshots : null);
    }
    if (feeds.containsKey(DataType.LIQUIDATION)) {
      liquidations = BybitLiquidations.feed(market, feeds.get(DataType.LIQUIDATION));
    }
    if (feeds.containsKey(DataType.TRADES)) {
      trades = BybitTrades.feed(market, feeds.get(DataType.TRADES));
    }
    startTickers();
    boolean needsInstruments = feeds.containsKey(DataType.CONTRACTS);
    for (Map.Entry<DataType, FeedSettings> entry : feeds.entrySet()) {
      if (entry.getKey() == DataType.CONTRACTS) {
        continue;
      }
      if (entry.getValue().symbols().all()) {
        needsInstruments = true;
      } else {
        startFeed(entry.getKey(), entry.getValue().symbols().symbols());
      }
    }
    if (needsInstruments) {
      FeedSettings contracts = feeds.get(DataType.CONTRACTS);
      URI url = contracts != null ? contracts.url() : instrumentsUrl();
      long interval = contracts != null ? contracts.intervalMs() : DEFAULT_INSTRUMENTS_INTERVAL_MS;
      polls.instruments(contracts, url, interval, this::onInstruments);
    }
    LOG.info("{}: started {}", market.name(), feeds.keySet());
  }

  /** One tickers stream serves open interest and funding where either is streamed. */
  private void startTickers() {
    FeedSettings funding = streamed(DataType.FUNDING_RATE);
    FeedSettings openInterest = streamed(DataType.OPEN_INTEREST);
    if (funding != null || openInterest != null) {
      tickers =
          new BybitTickers(
              market,
              (funding != null ? funding : openInterest).url(),
              funding != null ? FundingRate.TABLE : OpenInterest.TABLE);
    }
  }

  private FeedSettings streamed(DataType type) {
    FeedSettings feed = feeds.get(type);
    return feed == null || BybitVenue.isHttp(feed.url()) ? null : feed;
  }

  /** instruments-info beside the REST endpoints configured for this market (default: Bybit's). */
  private URI instrumentsUrl() {
    return Instruments.endpointBeside(
        feeds.values(),
        "/v5/market/instruments-info",
        new BybitVenue().defaults(market.market, DataType.CONTRACTS).url());
  }

  private synchronized void onInstruments(Instruments instruments) {
    for (Map.Entry<DataType, FeedSettings> entry : feeds.entrySet()) {
      FeedSettings feed = entry.getValue();
      if (entry.getKey() != DataType.CONTRACTS && feed.symbols().all()) {
        startFeed(entry.getKey(), feed.symbols().resolve(instruments.instruments()));
      }
    }
  }

  /** Starts a feed for the symbols it does not collect yet. */
  private void startFeed(DataType type, List<String> symbols) {
    Set<String> running = started.get(type);
    Set<String> fresh = new LinkedHashSet<>(symbols);
    fresh.removeAll(running);
    if (fresh.isEmpty()) {
      return;
    }
    running.addAll(fresh);
    FeedSettings feed = feeds.get(type);
    List<String> list = List.copyOf(fresh);
    switch (type) {
      case ORDERBOOK_DELTA -> books.add(fresh);
      case ORDERBOOK_SNAPSHOT -> {
        if (feed.snapshotSource() == SnapshotSource.REST) {
          polls.snapshots(feed, fresh);
        }
      }
      case LIQUIDATION -> liquidations.add(BybitLiquidations.topics(list));
      case TRADES -> trades.add(BybitTrades.topics(list));
      case OPEN_INTEREST -> {
        if (BybitVenue.isHttp(feed.url())) {
          polls.openInterest(feed, fresh);
        } else {
          tickers.addOpenInterest(list);
        }
      }
      case FUNDING_RATE -> {
        if (!BybitVenue.isHttp(feed.url())) {
          tickers.addFunding(list);
        } else if (running.size() == fresh.size()) {
          polls.funding(feed, feed.symbols().all() ? null : Set.copyOf(fresh));
        }
      }
      case CONTRACTS -> {}
    }
    LOG.info(
        "{}: {} for {}",
        market.name(),
        type.configKey(),
        fresh.size() < 10 ? fresh : fresh.size() + " symbols");
  }

  @Override
  public synchronized void close() {
    polls.close();
    if (books != null) {
      books.close();
    }
    for (EventFeed feed : events()) {
      feed.close();
    }
  }

  private List<EventFeed> events() {
    List<EventFeed> events = new ArrayList<>(3);
    if (liquidations != null) {
      events.add(liquidations);
    }
    if (trades != null) {
      events.add(trades);
    }
    if (tickers != null) {
      events.add(tickers.feed());
    }
    return events;
  }

  @Override
  public ConnectorStats stats() {
    BybitBookStreams streams = books;
    List<EventFeed> events = events();
    return market.ledger.stats(
        () ->
            (streams == null ? 0 : streams.openConnections())
                + events.stream().mapToInt(EventFeed::openConnections).sum(),
        (streams == null ? 0 : streams.failedConnections())
            + events.stream().mapToLong(EventFeed::failedConnections).sum(),
        streams == null ? 0 : streams.sum(BookSync::validated),
        streams == null ? 0 : streams.sum(BookSync::gaps),
        streams == null ? 0 : streams.sum(BookSync::resyncs),
        streams == null ? 0 : streams.sum(BookSync::duplicates));
  }

  /** For tests: the book streams, or null without a delta feed. */
  BybitBookStreams bookStreams() {
    return books;
  }
}
