package dev.lake.exchanges.kucoin;

import dev.lake.core.model.MarketType;
import dev.lake.core.model.SnapshotSource;
import dev.lake.exchanges.Connector;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.ConnectorStats;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.MarketFeeds;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.poll.Instruments;
import dev.lake.exchanges.stream.BookStreams;
import dev.lake.exchanges.stream.EventFeed;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one KuCoin market: validated books from the level2 topics (seeded from REST), book
 * snapshots (REST polls, or the local book on a wall-clock grid), contracts, trades, and on future
 * open interest and funding. Futures sizes are in contracts, so on future every feed starts once
 * the contracts (and their multipliers) are in; {@code symbols: all} resolves from the instruments
 * at start and on each instruments poll.
 */
public final class KucoinConnector implements Connector {
  private static final Logger LOG = LoggerFactory.getLogger(KucoinConnector.class);
  private static final long DEFAULT_INSTRUMENTS_INTERVAL_MS = 3_600_000;

  private final KucoinMarket market;
  private final MarketFeeds feeds;
  private final KucoinPolls polls;
  private final Set<String> openInterestSymbols = ConcurrentHashMap.newKeySet();
  // set by start(), read by stats() from a metrics thread without the lock
  private volatile BookStreams books;
  private volatile EventFeed trades;
  private boolean listedStarted;
  private boolean openInterestPolled;

  KucoinConnector(MarketSettings settings, ConnectorContext context) {
    this.market = new KucoinMarket(settings, context);
    this.polls = new KucoinPolls(market);
    this.feeds = new MarketFeeds(market.name(), settings, this::startFeed);
  }

  @Override
  public synchronized void start() {
    FeedSettings snapshots = feeds.get(DataType.ORDERBOOK_SNAPSHOT);
    boolean bookSnapshots = snapshots != null && snapshots.snapshotSource() == SnapshotSource.BOOK;
    FeedSettings delta = feeds.get(DataType.ORDERBOOK_DELTA);
    if (delta != null) {
      books = KucoinBookStreams.create(market, delta, bookSnapshots ? snapshots : null);
    }
    if (feeds.get(DataType.TRADES) != null) {
      trades = KucoinTrades.feed(market, feeds.get(DataType.TRADES));
    }
    boolean spot = market.market() == MarketType.SPOT;
    boolean needsInstruments;
    if (spot) {
      needsInstruments = feeds.startListed();
      listedStarted = true;
    } else {
      needsInstruments = true; // every futures feed waits for the multipliers
    }
    if (needsInstruments) {
      FeedSettings contracts = feeds.get(DataType.CONTRACTS);
      URI url = contracts != null ? contracts.url() : instrumentsUrl();
      long interval = contracts != null ? contracts.intervalMs() : DEFAULT_INSTRUMENTS_INTERVAL_MS;
      polls.instruments(url, interval, contracts != null, this::onInstruments);
    }
    LOG.info("{}: started {}", market.name(), feeds.types());
  }

  private synchronized void onInstruments(Instruments instruments) {
    if (!listedStarted) {
      listedStarted = true;
      feeds.startListed();
    }
    feeds.onInstruments(instruments);
  }

  /** The instruments endpoint on the host of the market's configured endpoints. */
  private URI instrumentsUrl() {
    URI production = new KucoinVenue().defaults(market.market(), DataType.CONTRACTS).url();
    for (FeedSettings feed : feeds.all()) {
      return URI.create(
          feed.url().getScheme() + "://" + feed.url().getRawAuthority() + production.getRawPath());
    }
    return production;
  }

  /** Starts a feed for symbols it does not collect yet (called by {@link MarketFeeds}). */
  private void startFeed(DataType type, FeedSettings feed, List<String> symbols, boolean first) {
    switch (type) {
      case ORDERBOOK_DELTA -> books.add(symbols);
      case ORDERBOOK_SNAPSHOT -> {
        if (feed.snapshotSource() == SnapshotSource.REST) {
          polls.snapshots(feed, symbols);
        }
      }
      case TRADES -> trades.add(KucoinTrades.topics(market.market(), symbols));
      case OPEN_INTEREST -> {
        openInterestSymbols.addAll(symbols);
        if (!openInterestPolled) {
          openInterestPolled = true;
          polls.openInterest(feed, openInterestSymbols);
        }
      }
      case FUNDING_RATE -> polls.funding(feed, symbols);
      case CONTRACTS, LIQUIDATION -> {}
    }
  }

  @Override
  public synchronized void close() {
    polls.close();
    if (books != null) {
      books.close();
    }
    if (trades != null) {
      trades.close();
    }
  }

  @Override
  public ConnectorStats stats() {
    return market.ledger().stats(books, trades == null ? List.of() : List.of(trades));
  }

  /** For tests: the book streams, or null without a delta feed. */
  BookStreams bookStreams() {
    return books;
  }

  /** For tests: the trades feed, or null. */
  List<EventFeed> eventFeeds() {
    return trades == null ? List.of() : new ArrayList<>(List.of(trades));
  }
}
