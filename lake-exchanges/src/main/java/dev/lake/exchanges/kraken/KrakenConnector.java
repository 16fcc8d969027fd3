package dev.lake.exchanges.kraken;

import dev.lake.core.model.FundingRate;
import dev.lake.core.model.Liquidation;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.SnapshotSource;
import dev.lake.core.model.Trade;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one Kraken market: {@code spot} (WebSocket v2) or {@code future} (Kraken Futures):
 * validated books from the {@code book} channel or feed, book snapshots (the local book on the grid
 * by default, or REST polls), contracts, trades, and on future liquidations (the {@code trade}
 * feed's trades of type {@code liquidation}, on the same connection as trades), open interest and
 * funding (one {@code ticker} feed for both). {@code symbols: all} resolves from AssetPairs or
 * instruments at start and on each contracts poll; spot REST snapshots wait for AssetPairs, which
 * names each v2 pair the way {@code Depth} takes it.
 */
public final class KrakenConnector implements Connector {
  private static final Logger LOG = LoggerFactory.getLogger(KrakenConnector.class);
  private static final long DEFAULT_INSTRUMENTS_INTERVAL_MS = 3_600_000;

  private final KrakenMarket market;
  private final MarketFeeds feeds;
  private final KrakenPolls polls;
  private final Set<String> tradeSymbols = ConcurrentHashMap.newKeySet();
  private final Set<String> liquidationSymbols = ConcurrentHashMap.newKeySet();
  private final Set<String> openInterestSymbols = ConcurrentHashMap.newKeySet();
  private final Set<String> fundingSymbols = ConcurrentHashMap.newKeySet();
  private final Set<String> pendingSnapshots = new LinkedHashSet<>();
  // set by start(), read by stats() from a metrics thread without the lock
  private volatile BookStreams books;
  private volatile EventFeed trades;
  private volatile EventFeed tickers;
  private volatile boolean pairsKnown;

  KrakenConnector(MarketSettings settings, ConnectorContext context) {
    this.market = new KrakenMarket(settings, context);
    this.polls = new KrakenPolls(market);
    this.feeds = new MarketFeeds(market.name(), settings, this::startFeed);
  }

  @Override
  public synchronized void start() {
    FeedSettings snapshots = feeds.get(DataType.ORDERBOOK_SNAPSHOT);
    boolean bookSnapshots = snapshots != null && snapshots.snapshotSource() == SnapshotSource.BOOK;
    if (feeds.get(DataType.ORDERBOOK_DELTA) != null) {
      books =
          KrakenBookStreams.create(
              market, feeds.get(DataType.ORDERBOOK_DELTA), bookSnapshots ? snapshots : null);
    }
    FeedSettings trade = first(DataType.TRADES, DataType.LIQUIDATION);
    if (trade != null) {
      String table = feeds.get(DataType.TRADES) != null ? Trade.TABLE : Liquidation.TABLE;
      trades = KrakenTrades.feed(market, trade.url(), tradeSymbols, liquidationSymbols, table);
    }
    FeedSettings ticker = first(DataType.FUNDING_RATE, DataType.OPEN_INTEREST);
    if (ticker != null) {
      String table =
          feeds.get(DataType.FUNDING_RATE) != null ? FundingRate.TABLE : OpenInterest.TABLE;
      tickers =
          KrakenTickers.feed(market, ticker.url(), openInterestSymbols, fundingSymbols, table);
    }
    boolean restSnapshots =
        !market.futures && snapshots != null && snapshots.snapshotSource() == SnapshotSource.REST;
    boolean needsInstruments = feeds.startListed() || restSnapshots;
    if (needsInstruments) {
      FeedSettings contracts = feeds.get(DataType.CONTRACTS);
      URI url = contracts != null ? contracts.url() : instrumentsUrl();
      long interval = contracts != null ? contracts.intervalMs() : DEFAULT_INSTRUMENTS_INTERVAL_MS;
      polls.instruments(url, interval, contracts != null, this::onInstruments);
    }
    LOG.info("{}: started {}", market.name(), feeds.types());
  }

  private FeedSettings first(DataType type, DataType other) {
    FeedSettings feed = feeds.get(type);
    return feed != null ? feed : feeds.get(other);
  }

  /** AssetPairs or instruments beside the REST endpoints configured (default: Kraken's). */
  private URI instrumentsUrl() {
    URI production = new KrakenVenue().defaults(market.market(), DataType.CONTRACTS).url();
    return Instruments.endpointBeside(feeds.all(), production.getPath(), production);
  }

  private void onInstruments(Instruments instruments) {
    List<String> pending;
    synchronized (this) {
      pairsKnown = true;
      pending = List.copyOf(pendingSnapshots);
      pendingSnapshots.clear();
    }
    if (!pending.isEmpty()) {
      polls.snapshots(feeds.get(DataType.ORDERBOOK_SNAPSHOT), pending);
    }
    feeds.onInstruments(instruments);
  }

  /** Starts a feed for symbols it does not collect yet (called by {@link MarketFeeds}). */
  private void startFeed(DataType type, FeedSettings feed, List<String> symbols, boolean first) {
    switch (type) {
      case ORDERBOOK_DELTA -> books.add(symbols);
      case ORDERBOOK_SNAPSHOT -> {
        if (feed.snapshotSource() == SnapshotSource.REST) {
          snapshots(feed, symbols);
        }
      }
      case TRADES -> {
        tradeSymbols.addAll(symbols);
        trades.add(KrakenTrades.topics(symbols));
      }
      case LIQUIDATION -> {
        liquidationSymbols.addAll(symbols);
        trades.add(KrakenTrades.topics(symbols));
      }
      case OPEN_INTEREST -> {
        openInterestSymbols.addAll(symbols);
        tickers.add(KrakenTickers.topics(symbols));
      }
      case FUNDING_RATE -> {
        fundingSymbols.addAll(symbols);
        tickers.add(KrakenTickers.topics(symbols));
      }
      case CONTRACTS -> {}
    }
  }

  private synchronized void snapshots(FeedSettings feed, List<String> symbols) {
    if (market.futures || pairsKnown) {
      polls.snapshots(feed, symbols);
    } else {
      pendingSnapshots.addAll(symbols); // Depth needs each pair's REST name, from AssetPairs
    }
  }

  @Override
  public synchronized void close() {
    polls.close();
    if (books != null) {
      books.close();
    }
    events().forEach(EventFeed::close);
  }

  private List<EventFeed> events() {
    List<EventFeed> events = new ArrayList<>(2);
    if (trades != null) {
      events.add(trades);
    }
    if (tickers != null) {
      events.add(tickers);
    }
    return events;
  }

  @Override
  public ConnectorStats stats() {
    return market.ledger().stats(books, events());
  }

  /** For tests: the book streams, or null without a delta feed. */
  BookStreams bookStreams() {
    return books;
  }
}
