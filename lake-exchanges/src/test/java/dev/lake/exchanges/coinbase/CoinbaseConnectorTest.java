package dev.lake.exchanges.coinbase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.Contract;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import dev.lake.exchanges.CollectingSink;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.SymbolSelection;
import dev.lake.exchanges.Venue;
import dev.lake.exchanges.book.BookReplay;
import dev.lake.exchanges.book.OrderBook;
import dev.lake.exchanges.transport.Transport;
import dev.lake.testing.coinbase.CoinbaseBook;
import dev.lake.testing.coinbase.FakeCoinbase;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Coinbase connector against a fake Advanced Trade on loopback: exactly which rows and {@code
 * stream_events} rows land for normal flow, a lost message, a disconnect, malformed frames, a rate
 * limit, and Coinbase's own cases (a {@code sequence_num} break on a heartbeat resyncs every book
 * of the connection, a frame with two products, an alias product, a refused subscribe); and that
 * the book rebuilt from the delta rows equals the fake's.
 */
class CoinbaseConnectorTest {
  private static final String BTC = "BTC-USD";
  private static final String ETH = "ETH-USD";
  private static final String BTC_USDC = "BTC-USDC";
  private static final Duration WAIT = Duration.ofSeconds(15);

  private FakeCoinbase coinbase;
  private Transport transport;
  private CollectingSink sink;
  private CoinbaseConnector connector;

  @BeforeEach
  void start() {
    coinbase = FakeCoinbase.start();
    coinbase.addProduct(BTC, "BTC", "USD", 30);
    coinbase.addProduct(ETH, "ETH", "USD", 30);
    coinbase.addAlias(BTC_USDC, BTC);
    transport = Transport.create(2);
    sink = new CollectingSink();
  }

  @AfterEach
  void stop() {
    if (connector != null) {
      connector.close();
    }
    transport.close();
    coinbase.close();
  }

  private FeedSettings feed(DataType type, SymbolSelection symbols) {
    FeedSettings defaults = new CoinbaseVenue().defaults(MarketType.SPOT, type);
    URI url =
        CoinbaseVenue.isHttp(defaults.url())
            ? Venue.sameHost(URI.create(coinbase.httpBase()), defaults.url())
            : URI.create(coinbase.wsUrl());
    boolean polled = type == DataType.ORDERBOOK_SNAPSHOT || type == DataType.CONTRACTS;
    return new FeedSettings(
        type,
        true,
        url,
        polled ? 200 : 0,
        polled ? 5 : 0,
        defaults.snapshotSource(),
        0,
        null,
        symbols);
  }

  /**
   * Connects with the feeds given and, as every Coinbase market has, its products (polled hourly
   * unless the feeds include contracts), which aliases and symbols: all come from.
   */
  private void connect(Map<DataType, FeedSettings> feeds) {
    if (!feeds.containsKey(DataType.CONTRACTS)) {
      FeedSettings products = feed(DataType.CONTRACTS, SymbolSelection.none());
      feeds.put(
          DataType.CONTRACTS,
          new FeedSettings(
              DataType.CONTRACTS,
              true,
              products.url(),
              3_600_000,
              0,
              null,
              0,
              null,
              SymbolSelection.none()));
    }
    connector =
        new CoinbaseConnector(
            new MarketSettings("coinbase", MarketType.SPOT, feeds),
            ConnectorContext.of(transport, sink, Map.of()));
    connector.start();
  }

  private void connectBooks(String... symbols) {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(
        DataType.ORDERBOOK_DELTA,
        feed(DataType.ORDERBOOK_DELTA, SymbolSelection.of(List.of(symbols))));
    connect(feeds);
    for (String symbol : symbols) {
      coinbase.awaitSubscribed("level2", symbol.equals(BTC_USDC) ? BTC : symbol, WAIT);
    }
  }

  private Optional<OrderBook> rebuilt(String symbol) {
    return BookReplay.rebuild(sink.deltas(symbol)).map(BookReplay.Rebuilt::book);
  }

  private boolean equalsFake(String symbol) {
    CoinbaseBook book = coinbase.book(symbol);
    return rebuilt(symbol)
        .map(
            rebuilt ->
                rebuilt.levels(BookSide.BID).equals(book.bidLevels())
                    && rebuilt.levels(BookSide.ASK).equals(book.askLevels()))
        .orElse(false);
  }

  /** Waits until the book rebuilt from the delta rows is the fake's (the README's rule). */
  private void awaitRebuiltEqualsFake(String symbol) {
    CollectingSink.awaitTrue(
        symbol + " rebuilt equal to the fake's", () -> equalsFake(symbol), WAIT);
  }

  private void assertRebuiltBookEqualsFake(String symbol) {
    CoinbaseBook book = coinbase.book(symbol);
    OrderBook rebuilt = rebuilt(symbol).orElseThrow();
    assertThat(rebuilt.levels(BookSide.BID)).containsExactlyElementsOf(book.bidLevels());
    assertThat(rebuilt.levels(BookSide.ASK)).containsExactlyElementsOf(book.askLevels());
  }

  private List<StreamEvent> bookEvents(StreamEventType type) {
    return sink.events(type).stream().filter(e -> e.dataType().equals("orderbook_delta")).toList();
  }

  private long snapshotLoads(String symbol) {
    return bookEvents(StreamEventType.RESYNC).stream()
        .filter(e -> symbol.equals(e.symbol()))
        .count();
  }

  private void awaitSnapshotLoads(String symbol, long count) {
    CollectingSink.awaitTrue(
        count + " snapshots of " + symbol, () -> snapshotLoads(symbol) >= count, WAIT);
  }

  @Test
  void normalFlowStoresEachSnapshotAndEveryUpdateWithoutGaps() {
    connectBooks(BTC, ETH);
    awaitSnapshotLoads(BTC, 1);
    awaitSnapshotLoads(ETH, 1);
    for (int i = 0; i < 30; i++) {
      coinbase.publishBook(BTC, 1 + i % 3);
      coinbase.publishBook(ETH, 2);
    }
    coinbase.publishHeartbeat();
    awaitRebuiltEqualsFake(BTC);
    awaitRebuiltEqualsFake(ETH);

    assertThat(sink.deltas(BTC).stream().filter(d -> !d.isSnapshot())).hasSize(60);
    assertThat(sink.deltas(ETH).stream().filter(d -> !d.isSnapshot())).hasSize(60);
    assertThat(sink.deltas(BTC).stream().filter(OrderBookDelta::isSnapshot)).hasSize(60);
    assertThat(sink.deltas(BTC))
        .extracting(OrderBookDelta::lastUpdateId)
        .isSorted()
        .allMatch(id -> id > 1_600_000_000_000_000L);
    assertThat(bookEvents(StreamEventType.RESYNC)).hasSize(2);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(sink.events(StreamEventType.CONNECT)).hasSize(1);
    assertThat(coinbase.requests())
        .startsWith("{\"type\":\"subscribe\",\"channel\":\"heartbeats\"}")
        .contains(
            "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\",\"ETH-USD\"],\"channel\":\"level2\"}");
  }

  @Test
  void aFrameWithTwoProductsUpdatesBothBooksAtTheSameReceiveTime() {
    connectBooks(BTC, ETH);
    awaitSnapshotLoads(BTC, 1);
    awaitSnapshotLoads(ETH, 1);
    coinbase.publishBooks(List.of(BTC, ETH), 3);
    awaitRebuiltEqualsFake(BTC);
    awaitRebuiltEqualsFake(ETH);

    List<OrderBookDelta> btc = sink.deltas(BTC).stream().filter(d -> !d.isSnapshot()).toList();
    List<OrderBookDelta> eth = sink.deltas(ETH).stream().filter(d -> !d.isSnapshot()).toList();
    assertThat(btc).hasSize(3);
    assertThat(eth).hasSize(3);
    assertThat(btc.get(0).localTimestampMicros()).isEqualTo(eth.get(0).localTimestampMicros());
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
  }

  @Test
  void aLostUpdateIsAGapOnEveryBookOfTheConnectionAndEachResyncs() {
    connectBooks(BTC, ETH);
    awaitSnapshotLoads(BTC, 1);
    awaitSnapshotLoads(ETH, 1);
    coinbase.publishBook(BTC, 2);
    coinbase.dropNext(1);
    coinbase.publishBook(BTC, 2);
    coinbase.publishBook(ETH, 2);
    awaitSnapshotLoads(BTC, 2);
    awaitSnapshotLoads(ETH, 2);
    coinbase.publishBook(BTC, 2);
    awaitRebuiltEqualsFake(BTC);
    awaitRebuiltEqualsFake(ETH);

    assertThat(bookEvents(StreamEventType.GAP))
        .extracting(StreamEvent::symbol)
        .containsExactlyInAnyOrder(BTC, ETH);
    assertThat(bookEvents(StreamEventType.GAP))
        .allSatisfy(
            gap -> {
              assertThat(gap.detail()).contains("sequence_num").contains("l2_data");
              assertThat(gap.fromUpdateId()).isNotNull();
              assertThat(gap.toUpdateId()).isNull();
            });
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
  }

  @Test
  void aSequenceBreakOnAHeartbeatResyncsEveryBookOfTheConnection() {
    connectBooks(BTC, ETH);
    awaitSnapshotLoads(BTC, 1);
    awaitSnapshotLoads(ETH, 1);
    coinbase.publishBook(ETH, 1);
    coinbase.dropNext(1);
    coinbase.publishHeartbeat();
    coinbase.publishHeartbeat();
    awaitSnapshotLoads(BTC, 2);
    awaitSnapshotLoads(ETH, 2);
    awaitRebuiltEqualsFake(BTC);
    awaitRebuiltEqualsFake(ETH);

    assertThat(bookEvents(StreamEventType.GAP))
        .extracting(StreamEvent::symbol)
        .containsExactlyInAnyOrder(BTC, ETH);
    assertThat(bookEvents(StreamEventType.GAP))
        .allMatch(gap -> gap.detail().contains("heartbeats"));
  }

  @Test
  void aDisconnectIsAGapOnEveryBookAndTheNextConnectionLoadsNewSnapshots() {
    connectBooks(BTC, ETH);
    awaitSnapshotLoads(BTC, 1);
    awaitSnapshotLoads(ETH, 1);
    coinbase.publishBook(BTC, 2);
    coinbase.disconnectAll();
    awaitSnapshotLoads(BTC, 2);
    awaitSnapshotLoads(ETH, 2);
    coinbase.publishBook(BTC, 3);
    awaitRebuiltEqualsFake(BTC);
    awaitRebuiltEqualsFake(ETH);

    assertThat(sink.events(StreamEventType.DISCONNECT)).hasSize(1);
    assertThat(sink.events(StreamEventType.CONNECT)).hasSize(2);
    assertThat(bookEvents(StreamEventType.GAP))
        .extracting(StreamEvent::symbol)
        .containsExactlyInAnyOrder(BTC, ETH);
    assertThat(bookEvents(StreamEventType.GAP)).allMatch(gap -> gap.detail().contains("closed"));
  }

  @Test
  void aMalformedFrameIsRejectedWithItsReasonAndBreaksNothing() {
    connectBooks(BTC);
    awaitSnapshotLoads(BTC, 1);
    coinbase.sendRaw("{\"channel\":\"l2_data\",\"sequence_num\":");
    coinbase.sendRaw("{\"channel\":\"l2_data\",\"client_id\":\"\"}");
    coinbase.publishBook(BTC, 2);
    awaitRebuiltEqualsFake(BTC);
    sink.await("two rejections", s -> s.events(StreamEventType.REJECTED_MESSAGE).size() == 2);

    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .extracting(StreamEvent::detail)
        .satisfiesExactly(
            first -> assertThat(first).startsWith("invalid JSON"),
            second -> assertThat(second).startsWith("message without sequence_num"));
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
  }

  @Test
  void aGarbledMessageIsRejectedAndTheSequenceBreakItLeavesResyncsTheBook() {
    connectBooks(BTC);
    awaitSnapshotLoads(BTC, 1);
    coinbase.garbleNext(1);
    coinbase.publishBook(BTC, 2);
    coinbase.publishBook(BTC, 2);
    awaitSnapshotLoads(BTC, 2);
    awaitRebuiltEqualsFake(BTC);

    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).hasSize(1);
    assertThat(bookEvents(StreamEventType.GAP))
        .singleElement()
        .extracting(StreamEvent::symbol)
        .isEqualTo(BTC);
  }

  @Test
  void anAliasProductIsCollectedOnceAsTheProductItStandsFor() {
    connectBooks(BTC, BTC_USDC);
    awaitSnapshotLoads(BTC, 1);
    coinbase.publishBook(BTC, 2);
    awaitRebuiltEqualsFake(BTC);

    assertThat(coinbase.requests())
        .filteredOn(r -> r.contains("level2"))
        .containsExactly(
            "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\"],\"channel\":\"level2\"}");
    assertThat(sink.rows(OrderBookDelta.class))
        .extracting(OrderBookDelta::symbol)
        .containsOnly(BTC);
    assertThat(bookEvents(StreamEventType.RESYNC)).hasSize(1);
  }

  @Test
  void symbolsAllListsEachBookOnceLeavingAliasesOut() {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(
        DataType.ORDERBOOK_DELTA,
        feed(DataType.ORDERBOOK_DELTA, new SymbolSelection(List.of(), true, List.of(), 0)));
    connect(feeds);
    coinbase.awaitSubscribed("level2", BTC, WAIT);
    coinbase.awaitSubscribed("level2", ETH, WAIT);
    awaitSnapshotLoads(BTC, 1);
    awaitSnapshotLoads(ETH, 1);

    assertThat(connector.bookStreams().syncs().keySet()).containsExactlyInAnyOrder(BTC, ETH);
  }

  @Test
  void aRefusedSubscribeIsRejectedWithCoinbasesMessage() {
    connectBooks(BTC);
    awaitSnapshotLoads(BTC, 1);
    coinbase.sendRaw("{\"type\":\"error\",\"message\":\"Failure to subscribe\"}");
    sink.await("a rejection", s -> !s.events(StreamEventType.REJECTED_MESSAGE).isEmpty());

    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .singleElement()
        .extracting(StreamEvent::detail)
        .asString()
        .startsWith("request refused by Coinbase: Failure to subscribe");
  }

  @Test
  void tradesAreStoredWithTheTakersSideAndTheirIds() {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(DataType.TRADES, feed(DataType.TRADES, SymbolSelection.of(List.of(BTC))));
    connect(feeds);
    coinbase.awaitSubscribed("market_trades", BTC, WAIT);
    long buy = coinbase.publishTrade(BTC, "BUY", "60000.01", "0.5");
    long sell = coinbase.publishTrade(BTC, "SELL", "59999.99", "0.25");
    sink.await("two trades", s -> s.rows(Trade.class).size() == 2);

    assertThat(sink.rows(Trade.class))
        .extracting(Trade::tradeId, Trade::side, Trade::price, Trade::quantity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Long.toString(buy), TradeSide.BUY, 60000.01, 0.5),
            org.assertj.core.groups.Tuple.tuple(
                Long.toString(sell), TradeSide.SELL, 59999.99, 0.25));
  }

  @Test
  void contractsListEveryProductAliasesIncluded() {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(DataType.CONTRACTS, feed(DataType.CONTRACTS, SymbolSelection.none()));
    connect(feeds);
    sink.await("contracts", s -> s.rows(Contract.class).size() >= 3);

    assertThat(sink.rows(Contract.class).subList(0, 3))
        .extracting(Contract::symbol)
        .containsExactlyInAnyOrder(BTC, ETH, BTC_USDC);
    assertThat(sink.rows(Contract.class)).allMatch(c -> c.tickSize() == 0.01);
  }

  @Test
  void aRateLimitAnswerIsARateLimitedRowAndTheSnapshotPollGoesOn() {
    coinbase.rateLimitNext(1);
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(DataType.CONTRACTS, feed(DataType.CONTRACTS, SymbolSelection.none()));
    feeds.put(
        DataType.ORDERBOOK_SNAPSHOT,
        feed(DataType.ORDERBOOK_SNAPSHOT, SymbolSelection.of(List.of(BTC))));
    connect(feeds);
    sink.await("a snapshot", s -> !s.rows(OrderBookSnapshot.class).isEmpty());

    assertThat(sink.events(StreamEventType.RATE_LIMITED))
        .singleElement()
        .satisfies(e -> assertThat(e.detail()).contains("429"));
    OrderBookSnapshot snapshot = sink.rows(OrderBookSnapshot.class).get(0);
    assertThat(snapshot.symbol()).isEqualTo(BTC);
    assertThat(snapshot.bids()).hasSize(5);
    assertThat(snapshot.lastUpdateId()).isNull();
  }
}
