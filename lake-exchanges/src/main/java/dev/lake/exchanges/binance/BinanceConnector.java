package dev.lake.exchanges.binance;

import dev.lake.core.model.SnapshotSource;
import dev.lake.exchanges.Connector;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.ConnectorStats;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.MarketFeeds;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.poll.Instruments;
import dev.lake.exchanges.stream.EventFeed;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one Binance market (spot, or USD-M futures): diff-depth streams with validated books,
 * book snapshots (REST polls, or the local book on a wall-clock grid), contracts, trades, and on
 * futures liquidations, open interest and funding. Feeds with {@code symbols: all} start once
 * exchange information is in, and pick up symbols listed later on each contracts poll.
 */
public final class BinanceConnector implements Connector {
  private static final Logger LOG = LoggerFactory.getLogger(BinanceConnector.class);
  private static final long DEFAULT_INSTRUMENTS_INTERVAL_MS = 3_600_000;

  private final BinanceMarket market;
  private final MarketFeeds feeds;
  private final BinancePolls polls;
  // set by start(), read by stats() from a metrics thread without the lock
  private volatile BinanceBookStreams depth;
  private volatile EventFeed liquidations;
  private volatile EventFeed trades;

  BinanceConnector(MarketSettings settings, ConnectorContext context) {
    this.market = new BinanceMarket(settings, context);
    this.polls = new BinancePolls(market);
    this.feeds = new MarketFeeds(market.name(), settings, this::startFeed);
  }

  @Override
  public synchronized void start() {
    FeedSettings snapshots = feeds.get(DataType.ORDERBOOK_SNAPSHOT);
    FeedSettings delta = feeds.get(DataType.ORDERBOOK_DELTA);
    boolean bookSnapshots = snapshots != null && snapshots.snapshotSource() == SnapshotSource.BOOK;
    if (delta != null) {
      depth = new BinanceBookStreams(market, delta, bookSnapshots ? snapshots : null);
    }
    if (feeds.get(DataType.LIQUIDATION) != null) {
      liquidations = BinanceLiquidations.feed(market, feeds.get(DataType.LIQUIDATION));
    }
    if (feeds.get(DataType.TRADES) != null) {
      trades = BinanceTrades.feed(market, feeds.get(DataType.TRADES));
    }
    if (feeds.startListed()) {
      FeedSettings contracts = feeds.get(DataType.CONTRACTS);
      URI url = contracts != null ? contracts.url() : instrumentsUrl();
      long interval = contracts != null ? contracts.intervalMs() : DEFAULT_INSTRUMENTS_INTERVAL_MS;
      polls.exchangeInfo(contracts, url, interval, feeds::onInstruments);
    }
    LOG.info("{}: started {}", market.name(), feeds.types());
  }

  /** exchangeInfo beside the REST endpoints configured for this market (default: Binance's). */
  private URI instrumentsUrl() {
    return Instruments.endpointBeside(
        feeds.all(),
        "exchangeInfo",
        new BinanceVenue().defaults(market.market(), DataType.CONTRACTS).url());
  }

  /** Starts a feed for symbols it does not collect yet (called by {@link MarketFeeds}). */
  private void startFeed(DataType type, FeedSettings feed, List<String> fresh, boolean first) {
    switch (type) {
      case ORDERBOOK_DELTA -> depth.add(fresh);
      case ORDERBOOK_SNAPSHOT -> {
        if (feed.snapshotSource() == SnapshotSource.REST) {
          polls.snapshots(feed, fresh);
        }
      }
      case LIQUIDATION -> liquidations.add(BinanceLiquidations.streams(feed, fresh));
      case TRADES -> trades.add(BinanceTrades.streams(fresh));
      case OPEN_INTEREST -> polls.openInterest(feed, fresh);
      case FUNDING_RATE ->
          polls.funding(feed, feed.symbols().all() ? null : Set.copyOf(feed.symbols().symbols()));
      case CONTRACTS -> {}
    }
  }

  @Override
  public synchronized void close() {
    polls.close();
    if (depth != null) {
      depth.close();
    }
    if (liquidations != null) {
      liquidations.close();
    }
    if (trades != null) {
      trades.close();
    }
  }

  @Override
  public ConnectorStats stats() {
    BinanceBookStreams streams = depth;
    List<EventFeed> events = new java.util.ArrayList<>(2);
    if (liquidations != null) {
      events.add(liquidations);
    }
    if (trades != null) {
      events.add(trades);
    }
    return market.ledger().stats(streams == null ? null : streams.streams(), events);
  }

  /** For tests: the depth streams, or null without a delta feed. */
  BinanceBookStreams depthStreams() {
    return depth;
  }
}
