package dev.lake.exchanges.binance;

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
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
  private final Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
  private final Map<DataType, Set<String>> started = new EnumMap<>(DataType.class);
  private final BinancePolls polls;
  private BinanceDepthStreams depth;
  private EventFeed liquidations;
  private EventFeed trades;

  BinanceConnector(MarketSettings settings, ConnectorContext context) {
    this.market = new BinanceMarket(settings, context);
    this.polls = new BinancePolls(market);
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
    FeedSettings delta = feeds.get(DataType.ORDERBOOK_DELTA);
    boolean bookSnapshots = snapshots != null && snapshots.snapshotSource() == SnapshotSource.BOOK;
    if (delta != null) {
      depth = new BinanceDepthStreams(market, delta, bookSnapshots ? snapshots : null);
    }
    if (feeds.containsKey(DataType.LIQUIDATION)) {
      liquidations = BinanceLiquidations.feed(market, feeds.get(DataType.LIQUIDATION));
    }
    if (feeds.containsKey(DataType.TRADES)) {
      trades = BinanceTrades.feed(market, feeds.get(DataType.TRADES));
    }
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
      polls.exchangeInfo(contracts, url, interval, this::onInstruments);
    }
    LOG.info("{}: started {}", market.name(), feeds.keySet());
  }

  /** exchangeInfo beside the REST endpoints configured for this market (default: Binance's). */
  private URI instrumentsUrl() {
    return Instruments.endpointBeside(
        feeds.values(),
        "exchangeInfo",
        new BinanceVenue().defaults(market.market, DataType.CONTRACTS).url());
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
    switch (type) {
      case ORDERBOOK_DELTA -> depth.add(fresh);
      case ORDERBOOK_SNAPSHOT -> {
        if (feed.snapshotSource() == SnapshotSource.REST) {
          polls.snapshots(feed, fresh);
        }
      }
      case LIQUIDATION -> liquidations.add(BinanceLiquidations.streams(feed, List.copyOf(fresh)));
      case TRADES -> trades.add(BinanceTrades.streams(List.copyOf(fresh)));
      case OPEN_INTEREST -> polls.openInterest(feed, fresh);
      case FUNDING_RATE ->
          polls.funding(feed, feed.symbols().all() ? null : Set.copyOf(feed.symbols().symbols()));
      case CONTRACTS -> {}
    }
    if (fresh.size() < 10) {
      LOG.info("{}: {} for {}", market.name(), type.configKey(), fresh);
    } else {
      LOG.info("{}: {} for {} symbols", market.name(), type.configKey(), fresh.size());
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
    BinanceDepthStreams streams = depth;
    List<EventFeed> events = new java.util.ArrayList<>(2);
    if (liquidations != null) {
      events.add(liquidations);
    }
    if (trades != null) {
      events.add(trades);
    }
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

  /** For tests: the depth streams, or null without a delta feed. */
  BinanceDepthStreams depthStreams() {
    return depth;
  }
}
