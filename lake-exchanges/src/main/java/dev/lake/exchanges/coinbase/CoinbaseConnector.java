package dev.lake.exchanges.coinbase;

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
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one Coinbase market: on spot (Advanced Trade) validated books from {@code level2}, book
 * snapshots (REST {@code product_book} polls, or the local book on a wall-clock grid), contracts
 * and trades; on future (INTX perpetuals) validated books from {@code LEVEL2}, snapshots from the
 * local book, contracts, trades ({@code MATCH}), open interest ({@code RISK}) and settled funding
 * ({@code FUNDING}). Coinbase serves an alias product's market data under the product it stands for
 * ({@code BTC-USDC} is {@code BTC-USD}), so every feed starts once the products (and their aliases)
 * are in: a listed alias is collected as its product, once, and {@code symbols: all} lists each
 * book once. Which symbols each feed collects is {@link MarketFeeds}' business.
 */
public final class CoinbaseConnector implements Connector {
  private static final Logger LOG = LoggerFactory.getLogger(CoinbaseConnector.class);
  private static final long DEFAULT_PRODUCTS_INTERVAL_MS = 3_600_000;

  private final CoinbaseMarket market;
  private final MarketFeeds feeds;
  private final CoinbasePolls polls;
  private final Map<DataType, Set<String>> started = new EnumMap<>(DataType.class);
  private volatile Map<String, String> aliases = Map.of();
  private boolean listedStarted;
  private final Set<String> openInterest = ConcurrentHashMap.newKeySet();
  private final Set<String> funding = ConcurrentHashMap.newKeySet();
  // set by start(), read by stats() from a metrics thread without the lock
  private volatile BookStreams books;
  private volatile EventFeed trades;
  private volatile EventFeed risk;

  CoinbaseConnector(MarketSettings settings, ConnectorContext context) {
    this.market = new CoinbaseMarket(settings, context);
    this.polls = new CoinbasePolls(market);
    this.feeds = new MarketFeeds(market.name(), settings, this::startFeed);
  }

  @Override
  public synchronized void start() {
    FeedSettings snapshots = feeds.get(DataType.ORDERBOOK_SNAPSHOT);
    boolean bookSnapshots = snapshots != null && snapshots.snapshotSource() == SnapshotSource.BOOK;
    FeedSettings delta = feeds.get(DataType.ORDERBOOK_DELTA);
    if (delta != null) {
      books = CoinbaseBookStreams.create(market, delta, bookSnapshots ? snapshots : null);
    }
    if (feeds.get(DataType.TRADES) != null) {
      trades = CoinbaseTrades.feed(market, feeds.get(DataType.TRADES));
    }
    FeedSettings riskFeed =
        feeds.get(DataType.FUNDING_RATE) != null
            ? feeds.get(DataType.FUNDING_RATE)
            : feeds.get(DataType.OPEN_INTEREST);
    if (riskFeed != null) {
      risk =
          IntxRisk.feed(
              market,
              riskFeed.url(),
              feeds.get(DataType.OPEN_INTEREST) != null ? openInterest : null,
              feeds.get(DataType.FUNDING_RATE) != null ? funding : null);
    }
    FeedSettings contracts = feeds.get(DataType.CONTRACTS);
    URI url = contracts != null ? contracts.url() : productsUrl();
    long interval = contracts != null ? contracts.intervalMs() : DEFAULT_PRODUCTS_INTERVAL_MS;
    polls.products(url, interval, contracts != null, this::onProducts);
    LOG.info("{}: started {}", market.name(), feeds.types());
  }

  private synchronized void onProducts(CoinbaseRest.Products products) {
    aliases = Map.copyOf(products.aliases());
    if (!listedStarted) {
      listedStarted = true;
      feeds.startListed();
    }
    feeds.onInstruments(products.instruments());
  }

  /** The products endpoint beside the REST endpoints configured (default: Coinbase's). */
  private URI productsUrl() {
    return Instruments.endpointBeside(
        feeds.all(),
        market.market() == MarketType.SPOT
            ? "/api/v3/brokerage/market/products"
            : "/api/v1/instruments",
        new CoinbaseVenue().defaults(market.market(), DataType.CONTRACTS).url());
  }

  /** Starts a feed for products it does not collect yet, an alias as the product it stands for. */
  private void startFeed(DataType type, FeedSettings feed, List<String> symbols, boolean first) {
    Set<String> running = started.computeIfAbsent(type, t -> new HashSet<>());
    Set<String> fresh = new LinkedHashSet<>();
    for (String symbol : symbols) {
      String product = aliases.getOrDefault(symbol, symbol);
      if (running.add(product)) {
        fresh.add(product);
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    List<String> products = List.copyOf(fresh);
    switch (type) {
      case ORDERBOOK_DELTA -> books.add(products);
      case ORDERBOOK_SNAPSHOT -> {
        if (feed.snapshotSource() == SnapshotSource.REST) {
          polls.snapshots(feed, products);
        }
      }
      case TRADES -> trades.add(products);
      case OPEN_INTEREST -> {
        openInterest.addAll(products);
        risk.add(products);
      }
      case FUNDING_RATE -> {
        funding.addAll(products);
        risk.add(products);
      }
      default -> {}
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
    if (risk != null) {
      risk.close();
    }
  }

  @Override
  public ConnectorStats stats() {
    List<EventFeed> events = new ArrayList<>(1);
    if (trades != null) {
      events.add(trades);
    }
    if (risk != null) {
      events.add(risk);
    }
    return market.ledger().stats(books, events);
  }

  /** For tests: the book streams, or null without a delta feed. */
  BookStreams bookStreams() {
    return books;
  }
}
