package dev.lake.exchanges.bybit;

import dev.lake.core.model.FundingRate;
import dev.lake.core.model.OpenInterest;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one Bybit market (spot, or linear as {@code future}): order-book streams with validated
 * books, book snapshots (REST polls, or the local book on a wall-clock grid), contracts, trades,
 * and on linear liquidations, open interest and funding (the {@code tickers} stream, or REST polls
 * when their URL is HTTP(S)). Which symbols each feed collects, {@code symbols: all} included, is
 * {@link MarketFeeds}' business.
 */
public final class BybitConnector implements Connector {
  private static final Logger LOG = LoggerFactory.getLogger(BybitConnector.class);
  private static final long DEFAULT_INSTRUMENTS_INTERVAL_MS = 3_600_000;

  private final BybitMarket market;
  private final MarketFeeds feeds;
  private final BybitPolls polls;
  // set by start(), read by stats() from a metrics thread without the lock
  private volatile BybitBookStreams books;
  private volatile EventFeed liquidations;
  private volatile EventFeed trades;
  private volatile BybitTickers tickers;

  BybitConnector(MarketSettings settings, ConnectorContext context) {
    this.market = new BybitMarket(settings, context);
    this.polls = new BybitPolls(market);
    this.feeds = new MarketFeeds(market.name(), settings, this::startFeed);
  }

  @Override
  public synchronized void start() {
    FeedSettings snapshots = feeds.get(DataType.ORDERBOOK_SNAPSHOT);
    boolean bookSnapshots = snapshots != null && snapshots.snapshotSource() == SnapshotSource.BOOK;
    if (feeds.get(DataType.ORDERBOOK_DELTA) != null) {
      books =
          new BybitBookStreams(
              market, feeds.get(DataType.ORDERBOOK_DELTA), bookSnapshots ? snapshots : null);
    }
    if (feeds.get(DataType.LIQUIDATION) != null) {
      liquidations = BybitLiquidations.feed(market, feeds.get(DataType.LIQUIDATION));
    }
    if (feeds.get(DataType.TRADES) != null) {
      trades = BybitTrades.feed(market, feeds.get(DataType.TRADES));
    }
    startTickers();
    if (feeds.startListed()) {
      FeedSettings contracts = feeds.get(DataType.CONTRACTS);
      URI url = contracts != null ? contracts.url() : instrumentsUrl();
      long interval = contracts != null ? contracts.intervalMs() : DEFAULT_INSTRUMENTS_INTERVAL_MS;
      polls.instruments(contracts, url, interval, feeds::onInstruments);
    }
    LOG.info("{}: started {}", market.name(), feeds.types());
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
        feeds.all(),
        "/v5/market/instruments-info",
        new BybitVenue().defaults(market.market(), DataType.CONTRACTS).url());
  }

  /** Starts a feed for symbols it does not collect yet (called by {@link MarketFeeds}). */
  private void startFeed(DataType type, FeedSettings feed, List<String> symbols, boolean first) {
    boolean rest = BybitVenue.isHttp(feed.url());
    switch (type) {
      case ORDERBOOK_DELTA -> books.streams().add(symbols);
      case ORDERBOOK_SNAPSHOT -> {
        if (feed.snapshotSource() == SnapshotSource.REST) {
          polls.snapshots(feed, symbols);
        }
      }
      case LIQUIDATION -> liquidations.add(BybitLiquidations.topics(symbols));
      case TRADES -> trades.add(BybitTrades.topics(symbols));
      case OPEN_INTEREST -> {
        if (rest) {
          polls.openInterest(feed, symbols);
        } else {
          tickers.addOpenInterest(symbols);
        }
      }
      case FUNDING_RATE -> {
        if (!rest) {
          tickers.addFunding(symbols);
        } else if (first) { // one poll of every symbol's tickers serves later listings too
          polls.funding(feed, feed.symbols().all() ? null : Set.copyOf(symbols));
        }
      }
      case CONTRACTS -> {}
    }
  }

  @Override
  public synchronized void close() {
    polls.close();
    if (books != null) {
      books.streams().close();
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
    return market.ledger().stats(streams == null ? null : streams.streams(), events());
  }

  /** For tests: the shared book streams, or null without a delta feed. */
  BookStreams bookStreams() {
    return books == null ? null : books.streams();
  }
}
