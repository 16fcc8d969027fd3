package dev.lake.exchanges.bybit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.Contract;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.Liquidation;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.SnapshotSource;
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
import dev.lake.exchanges.book.BookReplay;
import dev.lake.exchanges.book.BookSync;
import dev.lake.exchanges.book.OrderBook;
import dev.lake.exchanges.transport.Transport;
import dev.lake.testing.bybit.BybitBook;
import dev.lake.testing.bybit.FakeBybit;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Bybit connector against a fake Bybit speaking the v5 protocol on loopback: which rows land
 * for normal flow, a lost message, a mid-stream snapshot, a {@code u = 1} restart, a dropped
 * connection, malformed frames, a {@code retCode} 10006 answer, ticker deltas and the other feeds,
 * and that the book rebuilt from the delta rows by {@link BookReplay} equals the server's book.
 */
class BybitConnectorTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private FakeBybit bybit;
  private Transport transport;
  private CollectingSink sink;
  private BybitConnector connector;

  @BeforeEach
  void start() {
    bybit = FakeBybit.start();
    bybit.addSymbol(MarketType.SPOT, "BTCUSDT", "BTC", "USDT", 40);
    bybit.addSymbol(MarketType.SPOT, "ETHUSDT", "ETH", "USDT", 40);
    bybit.addSymbol(MarketType.FUTURE, "BTCUSDT", "BTC", "USDT", 40);
    bybit.addSymbol(MarketType.FUTURE, "ETHUSDT", "ETH", "USDT", 40);
    bybit.addSymbol(MarketType.FUTURE, "BTCPERP", "BTC", "USDC", 40);
    transport = Transport.create(2);
    sink = new CollectingSink();
  }

  @AfterEach
  void stop() {
    if (connector != null) {
      connector.close();
    }
    transport.close();
    bybit.close();
  }

  private FeedSettings feed(MarketType market, DataType type, SymbolSelection symbols) {
    FeedSettings defaults = new BybitVenue().defaults(market, type);
    URI url =
        BybitVenue.isHttp(defaults.url())
            ? URI.create(bybit.httpBase() + defaults.url().getPath())
            : URI.create(bybit.streamUrl(market));
    return new FeedSettings(
        type,
        true,
        url,
        type == DataType.ORDERBOOK_SNAPSHOT ? 200 : defaults.intervalMs(),
        type == DataType.ORDERBOOK_SNAPSHOT ? 5 : 0,
        defaults.snapshotSource(),
        0,
        null,
        symbols);
  }

  private FeedSettings feed(MarketType market, DataType type, String... symbols) {
    return feed(market, type, SymbolSelection.of(List.of(symbols)));
  }

  private void connect(MarketType market, FeedSettings... feeds) {
    Map<DataType, FeedSettings> byType = new EnumMap<>(DataType.class);
    for (FeedSettings feed : feeds) {
      byType.put(feed.type(), feed);
    }
    connector =
        new BybitConnector(
            new MarketSettings("bybit", market, byType),
            ConnectorContext.of(transport, sink, Map.of()));
    connector.start();
  }

  private void connectBooks(MarketType market, String... symbols) {
    connect(market, feed(market, DataType.ORDERBOOK_DELTA, symbols));
    for (String symbol : symbols) {
      bybit.awaitSubscribed(market, "orderbook.200." + symbol, WAIT);
    }
  }

  private void publish(MarketType market, String symbol, int messages) {
    for (int i = 0; i < messages; i++) {
      bybit.publishDepth(market, symbol, 1 + i % 4);
    }
  }

  /** Waits until the connector's book has applied everything the server published. */
  private void awaitInSync(MarketType market, String symbol) {
    BybitBook book = bybit.book(market, symbol);
    CollectingSink.awaitTrue(
        symbol + " in sync",
        () -> {
          BookSync sync = connector.bookStreams().syncs().get(symbol);
          return sync != null
              && sync.state() == BookSync.State.LIVE
              && sync.bookId() == book.lastUpdateId();
        },
        WAIT);
  }

  private void assertRebuiltBookEqualsServer(MarketType market, String symbol) {
    BybitBook server = bybit.book(market, symbol);
    OrderBook rebuilt = BookReplay.rebuild(sink.deltas(symbol)).orElseThrow().book();
    assertThat(rebuilt.levels(BookSide.BID)).containsExactlyElementsOf(levels(server.bids()));
    assertThat(rebuilt.levels(BookSide.ASK)).containsExactlyElementsOf(levels(server.asks()));
  }

  private static List<PriceLevel> levels(NavigableMap<Double, Double> side) {
    return side.entrySet().stream().map(e -> new PriceLevel(e.getKey(), e.getValue())).toList();
  }

  private List<OrderBookDelta> updates(String symbol) {
    return sink.deltas(symbol).stream().filter(d -> !d.isSnapshot()).toList();
  }

  @Test
  void normalFlowStoresEveryDeltaWithItsIdsAndTheRebuiltBooksEqualTheServerBooks() {
    connectBooks(MarketType.FUTURE, "BTCUSDT", "ETHUSDT");
    long first = bybit.book(MarketType.FUTURE, "BTCUSDT").lastUpdateId() + 1;
    publish(MarketType.FUTURE, "BTCUSDT", 40);
    publish(MarketType.FUTURE, "ETHUSDT", 20);
    awaitInSync(MarketType.FUTURE, "BTCUSDT");
    awaitInSync(MarketType.FUTURE, "ETHUSDT");

    assertThat(updates("BTCUSDT")).extracting(OrderBookDelta::lastUpdateId).contains(first);
    assertThat(updates("BTCUSDT"))
        .allSatisfy(
            row -> {
              assertThat(row.firstUpdateId()).isEqualTo(row.lastUpdateId());
              assertThat(row.prevUpdateId()).isGreaterThan(row.lastUpdateId());
            });
    assertThat(sink.events(StreamEventType.RESYNC))
        .extracting(StreamEvent::symbol)
        .containsExactlyInAnyOrder("BTCUSDT", "ETHUSDT");
    assertThat(sink.events(StreamEventType.CONNECT)).hasSize(1);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(connector.stats().validated()).isEqualTo(60);
    assertRebuiltBookEqualsServer(MarketType.FUTURE, "BTCUSDT");
    assertRebuiltBookEqualsServer(MarketType.FUTURE, "ETHUSDT");
  }

  @Test
  void aLostMessageIsAGapOfItsIdThenTheBookIsSubscribedAgainForAFreshSnapshot() {
    connectBooks(MarketType.SPOT, "BTCUSDT");
    publish(MarketType.SPOT, "BTCUSDT", 5);
    awaitInSync(MarketType.SPOT, "BTCUSDT");
    long lost = bybit.dropNextDepth(MarketType.SPOT, "BTCUSDT", 3);
    publish(MarketType.SPOT, "BTCUSDT", 1);
    sink.await("resync", s -> s.events(StreamEventType.RESYNC).size() == 2);
    publish(MarketType.SPOT, "BTCUSDT", 5);
    awaitInSync(MarketType.SPOT, "BTCUSDT");

    assertThat(sink.events(StreamEventType.GAP))
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.fromUpdateId()).isEqualTo(lost);
              assertThat(gap.toUpdateId()).isEqualTo(lost);
              assertThat(gap.detail())
                  .isEqualTo("event u=" + (lost + 1) + " does not follow u=" + (lost - 1));
            });
    assertThat(sink.events(StreamEventType.RESYNC).get(1).detail())
        .startsWith("book loaded from the stream's snapshot at " + (lost + 1));
    assertThat(updates("BTCUSDT")).noneMatch(d -> d.lastUpdateId() == lost);
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertRebuiltBookEqualsServer(MarketType.SPOT, "BTCUSDT");
  }

  @Test
  void aSnapshotMidStreamReplacesTheBookAsAResetNotADuplicate() {
    connectBooks(MarketType.FUTURE, "BTCUSDT");
    publish(MarketType.FUTURE, "BTCUSDT", 5);
    awaitInSync(MarketType.FUTURE, "BTCUSDT");
    long at = bybit.book(MarketType.FUTURE, "BTCUSDT").lastUpdateId();
    bybit.publishSnapshot(MarketType.FUTURE, "BTCUSDT");
    publish(MarketType.FUTURE, "BTCUSDT", 5);
    awaitInSync(MarketType.FUTURE, "BTCUSDT");

    assertThat(sink.events(StreamEventType.RESYNC))
        .extracting(StreamEvent::detail)
        .last()
        .asString()
        .startsWith("the venue sent a new snapshot mid-stream at " + at);
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertRebuiltBookEqualsServer(MarketType.FUTURE, "BTCUSDT");
  }

  @Test
  void aMessageWithUOneIsBybitRestartingAndReplacesTheBook() {
    connectBooks(MarketType.FUTURE, "BTCUSDT");
    publish(MarketType.FUTURE, "BTCUSDT", 5);
    awaitInSync(MarketType.FUTURE, "BTCUSDT");
    long before = bybit.book(MarketType.FUTURE, "BTCUSDT").lastUpdateId();
    bybit.restart(MarketType.FUTURE, "BTCUSDT");
    publish(MarketType.FUTURE, "BTCUSDT", 5);
    awaitInSync(MarketType.FUTURE, "BTCUSDT");

    assertThat(sink.events(StreamEventType.RESYNC))
        .extracting(StreamEvent::detail)
        .last()
        .asString()
        .startsWith("the venue reset the book: a snapshot at 1 after " + before);
    assertThat(sink.deltas("BTCUSDT"))
        .filteredOn(d -> d.isSnapshot() && d.lastUpdateId() == 1)
        .isNotEmpty();
    assertThat(updates("BTCUSDT")).extracting(OrderBookDelta::lastUpdateId).contains(2L, 6L);
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertRebuiltBookEqualsServer(MarketType.FUTURE, "BTCUSDT");
  }

  @Test
  void aDuplicateDeltaIsRejectedAndStoredOnce() {
    connectBooks(MarketType.SPOT, "BTCUSDT");
    publish(MarketType.SPOT, "BTCUSDT", 3);
    awaitInSync(MarketType.SPOT, "BTCUSDT");
    long last = bybit.book(MarketType.SPOT, "BTCUSDT").lastUpdateId();
    bybit.sendRaw(
        MarketType.SPOT,
        "{\"topic\":\"orderbook.200.BTCUSDT\",\"type\":\"delta\",\"ts\":1700000000000,\"data\":"
            + "{\"s\":\"BTCUSDT\",\"b\":[],\"a\":[],\"u\":"
            + last
            + ",\"seq\":1}}");
    publish(MarketType.SPOT, "BTCUSDT", 3);
    awaitInSync(MarketType.SPOT, "BTCUSDT");

    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .singleElement()
        .satisfies(
            event ->
                assertThat(event.detail())
                    .startsWith(
                        "duplicate depth event: u "
                            + last
                            + " is not past the last stored u "
                            + last));
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertRebuiltBookEqualsServer(MarketType.SPOT, "BTCUSDT");
  }

  @Test
  void aDroppedConnectionReconnectsSubscribesAgainAndRecordsTheIdsMissed() {
    connectBooks(MarketType.FUTURE, "BTCUSDT");
    publish(MarketType.FUTURE, "BTCUSDT", 5);
    awaitInSync(MarketType.FUTURE, "BTCUSDT");
    long lastSeen = bybit.book(MarketType.FUTURE, "BTCUSDT").lastUpdateId();

    bybit.disconnectAll(MarketType.FUTURE);
    sink.await("disconnect", s -> !s.events(StreamEventType.DISCONNECT).isEmpty());
    bybit.dropNextDepth(MarketType.FUTURE, "BTCUSDT", 2);
    long missedTo = bybit.dropNextDepth(MarketType.FUTURE, "BTCUSDT", 2);
    bybit.awaitSubscribed(MarketType.FUTURE, "orderbook.200.BTCUSDT", WAIT);
    publish(MarketType.FUTURE, "BTCUSDT", 5);
    awaitInSync(MarketType.FUTURE, "BTCUSDT");

    assertThat(sink.events(StreamEventType.CONNECT)).hasSize(2);
    assertThat(sink.events(StreamEventType.DISCONNECT)).hasSize(1);
    assertThat(sink.events(StreamEventType.GAP))
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.fromUpdateId()).isEqualTo(lastSeen + 1);
              assertThat(gap.toUpdateId()).isEqualTo(missedTo);
            });
    assertRebuiltBookEqualsServer(MarketType.FUTURE, "BTCUSDT");
  }

  @Test
  void malformedFramesAreRejectedWithTheirReasonAndTheBookGoesOn() {
    connectBooks(MarketType.SPOT, "BTCUSDT");
    publish(MarketType.SPOT, "BTCUSDT", 3);
    bybit.sendRaw(MarketType.SPOT, "{\"topic\":\"orderbook.200.BTCUSDT\",\"type\":");
    bybit.sendRaw(
        MarketType.SPOT,
        "{\"topic\":\"orderbook.200.BTCUSDT\",\"type\":\"delta\",\"ts\":1700000000000,"
            + "\"data\":{\"s\":\"BTCUSDT\",\"b\":[[\"abc\",\"1\"]],\"a\":[],\"u\":99999}}");
    bybit.sendRaw(MarketType.SPOT, "{\"topic\":\"kline.1.BTCUSDT\",\"ts\":1,\"data\":[]}");
    publish(MarketType.SPOT, "BTCUSDT", 3);
    awaitInSync(MarketType.SPOT, "BTCUSDT");

    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .extracting(StreamEvent::detail)
        .satisfiesExactly(
            first -> assertThat(first).startsWith("invalid JSON: Unexpected end-of-input"),
            second -> assertThat(second).startsWith("b price is not a number: \"abc\": {"),
            third -> assertThat(third).startsWith("unexpected topic kline.1.BTCUSDT: {"));
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertRebuiltBookEqualsServer(MarketType.SPOT, "BTCUSDT");
  }

  @Test
  void aRetCode10006AnswerIsARateLimitRowAndPollingResumes() {
    bybit.rateLimitNext("/v5/market/orderbook", 1);
    connect(MarketType.SPOT, feed(MarketType.SPOT, DataType.ORDERBOOK_SNAPSHOT, "BTCUSDT"));
    sink.await("two snapshots", s -> s.rows(OrderBookSnapshot.class).size() >= 2);

    assertThat(sink.events(StreamEventType.RATE_LIMITED))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.dataType()).isEqualTo("orderbook_snapshot");
              assertThat(event.symbol()).isEqualTo("BTCUSDT");
              assertThat(event.detail()).contains("retCode 10006: Too many visits!");
            });
    OrderBookSnapshot snapshot = sink.rows(OrderBookSnapshot.class).get(0);
    assertThat(snapshot.source()).isEqualTo(SnapshotSource.REST);
    assertThat(snapshot.bids()).hasSize(5);
    assertThat(snapshot.lastUpdateId())
        .isEqualTo(bybit.book(MarketType.SPOT, "BTCUSDT").lastUpdateId());
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
  }

  @Test
  void aTickerDeltaWithoutFundingFieldsChangesOpenInterestOnlyAndFundingKeepsItsMergedValues() {
    bybit.setTicker("BTCUSDT", "500.5", "0.0001", 1_767_225_600_000L);
    connect(
        MarketType.FUTURE,
        feed(MarketType.FUTURE, DataType.OPEN_INTEREST, "BTCUSDT"),
        feed(MarketType.FUTURE, DataType.FUNDING_RATE, "BTCUSDT"));
    bybit.awaitSubscribed(MarketType.FUTURE, "tickers.BTCUSDT", WAIT);
    sink.await("snapshot rows", s -> s.rows(FundingRate.class).size() == 1);
    bybit.publishTickerDelta("BTCUSDT", Map.of("openInterest", "501.25", "markPrice", "60001"));
    bybit.publishTickerDelta("BTCUSDT", Map.of("fundingRate", "-0.0002"));
    sink.await("funding delta", s -> s.rows(FundingRate.class).size() == 2);

    assertThat(sink.rows(OpenInterest.class))
        .extracting(OpenInterest::openInterest)
        .containsExactly(500.5, 501.25);
    assertThat(sink.rows(FundingRate.class))
        .extracting(FundingRate::fundingRate, FundingRate::fundingTimeMs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0.0001, 1_767_225_600_000L),
            org.assertj.core.groups.Tuple.tuple(-0.0002, 1_767_225_600_000L));
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(sink.events(StreamEventType.CONNECT))
        .singleElement()
        .extracting(StreamEvent::dataType)
        .isEqualTo("funding_rate");
  }

  @Test
  void aLiquidatedLongPositionIsStoredAsASellLiquidation() {
    connect(MarketType.FUTURE, feed(MarketType.FUTURE, DataType.LIQUIDATION, "BTCUSDT"));
    bybit.awaitSubscribed(MarketType.FUTURE, "allLiquidation.BTCUSDT", WAIT);
    bybit.publishLiquidation("BTCUSDT", "Buy", "59000.5", "0.25", 1_740_480_207_110L);
    bybit.publishLiquidation("BTCUSDT", "Sell", "61000", "1", 1_740_480_207_111L);
    sink.await("liquidations", s -> s.rows(Liquidation.class).size() == 2);

    assertThat(sink.rows(Liquidation.class))
        .extracting(
            Liquidation::side, Liquidation::price, Liquidation::quantity, Liquidation::timestampMs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(TradeSide.SELL, 59000.5, 0.25, 1_740_480_207_110L),
            org.assertj.core.groups.Tuple.tuple(TradeSide.BUY, 61000.0, 1.0, 1_740_480_207_111L));
  }

  @Test
  void tradesKeepTheTakerSideAndTheTradeIdAndARepeatedTradeIsStoredOnce() {
    connect(MarketType.FUTURE, feed(MarketType.FUTURE, DataType.TRADES, "BTCUSDT"));
    bybit.awaitSubscribed(MarketType.FUTURE, "publicTrade.BTCUSDT", WAIT);
    String id =
        bybit.publishTrade(
            MarketType.FUTURE, "BTCUSDT", "Sell", "60000.1", "0.5", 1_700_000_000_123L);
    bybit.sendRaw(
        MarketType.FUTURE,
        "{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1700000000200,\"data\":[{\"T\":1700000000123,"
            + "\"s\":\"BTCUSDT\",\"S\":\"Sell\",\"v\":\"0.5\",\"p\":\"60000.1\",\"i\":\""
            + id
            + "\"}]}");
    String next =
        bybit.publishTrade(MarketType.FUTURE, "BTCUSDT", "Buy", "60000.2", "1", 1_700_000_000_124L);
    sink.await("trades", s -> s.rows(Trade.class).size() == 2);

    assertThat(sink.rows(Trade.class))
        .extracting(Trade::tradeId, Trade::side, Trade::timestampMicros)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(id, TradeSide.SELL, 1_700_000_000_123_000L),
            org.assertj.core.groups.Tuple.tuple(next, TradeSide.BUY, 1_700_000_000_124_000L));
  }

  @Test
  void moreThanTenSpotBooksAreSubscribedInRequestsOfAtMostTen() {
    String[] symbols = new String[12];
    for (int i = 0; i < symbols.length; i++) {
      symbols[i] = "COIN" + i + "USDT";
      bybit.addSymbol(MarketType.SPOT, symbols[i], "COIN" + i, "USDT", 5);
    }
    connectBooks(MarketType.SPOT, symbols);

    assertThat(bybit.subscriptions(MarketType.SPOT)).hasSize(12);
    assertThat(bybit.refusedRequests()).isZero();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
  }

  @Test
  void pongsAndAcknowledgementsAreNeitherParsedNorRejected() {
    connectBooks(MarketType.SPOT, "BTCUSDT");
    bybit.sendRaw(
        MarketType.SPOT,
        "{\"success\":true,\"ret_msg\":\"pong\",\"conn_id\":\"x\",\"op\":\"ping\"}");
    bybit.sendRaw(
        MarketType.SPOT,
        "{\"success\":true,\"ret_msg\":\"subscribe\",\"conn_id\":\"x\",\"req_id\":\"9\",\"op\":\"subscribe\"}");
    publish(MarketType.SPOT, "BTCUSDT", 2);
    awaitInSync(MarketType.SPOT, "BTCUSDT");

    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(BybitStreams.KEEPALIVE.frame().apply(1)).isEqualTo("{\"op\":\"ping\"}");
    assertThat(BybitStreams.KEEPALIVE.interval()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void aRefusedSubscribeIsARejectedMessageNamingBybitsReason() {
    connectBooks(MarketType.SPOT, "BTCUSDT");
    bybit.sendRaw(
        MarketType.SPOT,
        "{\"success\":false,\"ret_msg\":\"args size >10\",\"conn_id\":\"x\",\"op\":\"subscribe\"}");
    sink.await("rejection", s -> !s.events(StreamEventType.REJECTED_MESSAGE).isEmpty());

    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .singleElement()
        .extracting(StreamEvent::detail)
        .asString()
        .startsWith("request refused by Bybit: args size >10: {\"success\":false");
  }

  @Test
  void symbolsAllFollowsInstrumentPagesAndKeepsTheChosenQuoteAssets() {
    bybit.instrumentsPageSize(1);
    FeedSettings books =
        feed(
            MarketType.FUTURE,
            DataType.ORDERBOOK_DELTA,
            new SymbolSelection(List.of(), true, List.of("USDT"), 0));
    connect(MarketType.FUTURE, books, feed(MarketType.FUTURE, DataType.CONTRACTS));
    bybit.awaitSubscribed(MarketType.FUTURE, "orderbook.200.ETHUSDT", WAIT);
    sink.await("contracts", s -> s.rows(Contract.class).size() == 3);

    assertThat(bybit.requests("/v5/market/instruments-info")).hasSize(3);
    assertThat(bybit.subscriptions(MarketType.FUTURE))
        .containsExactlyInAnyOrder("orderbook.200.BTCUSDT", "orderbook.200.ETHUSDT");
    assertThat(sink.rows(Contract.class))
        .extracting(Contract::symbol, Contract::contractType, Contract::quoteAsset)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("BTCUSDT", "LinearPerpetual", "USDT"),
            org.assertj.core.groups.Tuple.tuple("ETHUSDT", "LinearPerpetual", "USDT"),
            org.assertj.core.groups.Tuple.tuple("BTCPERP", "LinearPerpetual", "USDC"));
  }

  @Test
  void openInterestAndFundingFromRestWhenTheirUrlsAreHttp() {
    bybit.setTicker("ETHUSDT", "7000.5", "0.00005", 1_767_254_400_000L);
    FeedSettings oi =
        feed(MarketType.FUTURE, DataType.OPEN_INTEREST, "ETHUSDT")
            .withUrl(URI.create(bybit.httpBase() + "/v5/market/open-interest"));
    FeedSettings funding =
        feed(MarketType.FUTURE, DataType.FUNDING_RATE, "ETHUSDT")
            .withUrl(URI.create(bybit.httpBase() + "/v5/market/tickers"));
    connect(MarketType.FUTURE, oi, funding);
    sink.await(
        "rows", s -> !s.rows(OpenInterest.class).isEmpty() && !s.rows(FundingRate.class).isEmpty());

    assertThat(sink.rows(OpenInterest.class).get(0).openInterest()).isEqualTo(7000.5);
    assertThat(sink.rows(FundingRate.class))
        .extracting(FundingRate::symbol, FundingRate::fundingRate, FundingRate::fundingTimeMs)
        .first()
        .isEqualTo(org.assertj.core.groups.Tuple.tuple("ETHUSDT", 0.00005, 1_767_254_400_000L));
    assertThat(bybit.requests("/v5/market/open-interest").get(0).query())
        .containsEntry("category", List.of("linear"))
        .containsEntry("symbol", List.of("ETHUSDT"));
  }
}
