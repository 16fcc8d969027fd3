package dev.lake.exchanges.binance;

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
import dev.lake.testing.binance.DepthEvent;
import dev.lake.testing.binance.FakeBinance;
import dev.lake.testing.binance.FakeBook;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Binance connector against a fake Binance speaking the real protocol on loopback: which rows
 * land for normal flow, a lost message, a duplicate, a dropped connection, a 429 and malformed
 * frames, and that the book rebuilt from the delta rows equals the server's book.
 */
class BinanceConnectorTest {
  private FakeBinance binance;
  private Transport transport;
  private CollectingSink sink;
  private BinanceConnector connector;

  @BeforeEach
  void start() {
    binance = FakeBinance.start(Duration.ofSeconds(1));
    binance.addSymbol(MarketType.SPOT, "BTCUSDT", "BTC", "USDT", 50);
    binance.addSymbol(MarketType.SPOT, "ETHUSDT", "ETH", "USDT", 50);
    binance.addSymbol(MarketType.SPOT, "ETHBTC", "ETH", "BTC", 20);
    binance.addSymbol(MarketType.FUTURE, "BTCUSDT", "BTC", "USDT", 50);
    binance.addSymbol(MarketType.FUTURE, "ETHUSDT", "ETH", "USDT", 50);
    transport = Transport.create(2);
    sink = new CollectingSink();
  }

  @AfterEach
  void stop() {
    if (connector != null) {
      connector.close();
    }
    transport.close();
    binance.close();
  }

  private String rest(MarketType market) {
    return binance.httpBase() + (market == MarketType.SPOT ? "/api/v3/" : "/fapi/v1/");
  }

  private FeedSettings feed(
      MarketType market, DataType type, SymbolSelection symbols, long intervalMs) {
    FeedSettings defaults = new BinanceVenue().defaults(market, type);
    URI url =
        switch (type) {
          case ORDERBOOK_DELTA ->
              URI.create(binance.wsBase() + (market == MarketType.SPOT ? "/ws" : "/public/ws"));
          case LIQUIDATION -> URI.create(binance.wsBase() + "/market/ws");
          case TRADES ->
              URI.create(binance.wsBase() + (market == MarketType.SPOT ? "/ws" : "/public/ws"));
          default ->
              URI.create(
                  rest(market)
                      + defaults
                          .url()
                          .getPath()
                          .substring(defaults.url().getPath().lastIndexOf('/') + 1));
        };
    return new FeedSettings(
        type,
        true,
        url,
        intervalMs > 0 ? intervalMs : defaults.intervalMs(),
        type == DataType.ORDERBOOK_SNAPSHOT ? 20 : 0,
        defaults.snapshotSource(),
        100,
        type == DataType.ORDERBOOK_DELTA ? URI.create(rest(market) + "depth") : null,
        symbols);
  }

  private BinanceConnector connect(
      MarketType market, Map<DataType, FeedSettings> feeds, Map<String, Long> persisted) {
    connector =
        new BinanceConnector(
            new MarketSettings("binance", market, feeds),
            ConnectorContext.of(transport, sink, persisted));
    connector.start();
    return connector;
  }

  private BinanceConnector connectDeltas(MarketType market, String... symbols) {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(
        DataType.ORDERBOOK_DELTA,
        feed(market, DataType.ORDERBOOK_DELTA, SymbolSelection.of(List.of(symbols)), 100));
    return connect(market, feeds, Map.of());
  }

  private String stream(String symbol) {
    return symbol.toLowerCase() + "@depth@100ms";
  }

  /** Waits until the connector's book has applied everything the server published. */
  private void awaitInSync(MarketType market, String symbol) {
    FakeBook book = binance.book(market, symbol);
    CollectingSink.awaitTrue(
        symbol + " in sync",
        () -> {
          BookSync sync = connector.depthStreams().syncs().get(symbol);
          return sync != null
              && sync.state() != BookSync.State.SYNCING
              && sync.bookId() == book.lastUpdateId();
        },
        Duration.ofSeconds(20));
  }

  private void assertRebuiltBookEqualsServer(MarketType market, String symbol) {
    FakeBook server = binance.book(market, symbol);
    OrderBook rebuilt = BookReplay.rebuild(sink.deltas(symbol), market == MarketType.FUTURE);
    assertThat(rebuilt.levels(BookSide.BID)).containsExactlyElementsOf(levels(server.bids()));
    assertThat(rebuilt.levels(BookSide.ASK)).containsExactlyElementsOf(levels(server.asks()));
  }

  private static List<PriceLevel> levels(NavigableMap<Double, Double> side) {
    return side.entrySet().stream().map(e -> new PriceLevel(e.getKey(), e.getValue())).toList();
  }

  private List<DepthEvent> publish(MarketType market, String symbol, int events) {
    List<DepthEvent> published = new java.util.ArrayList<>();
    for (int i = 0; i < events; i++) {
      published.add(binance.publishDepth(market, symbol, 1 + i % 4));
    }
    return published;
  }

  @Test
  void normalFlowStoresEveryEventAndTheRebuiltBookEqualsTheServerBook() {
    connectDeltas(MarketType.SPOT, "BTCUSDT", "ETHUSDT");
    binance.awaitSubscribed(MarketType.SPOT, stream("BTCUSDT"), Duration.ofSeconds(10));
    binance.awaitSubscribed(MarketType.SPOT, stream("ETHUSDT"), Duration.ofSeconds(10));
    List<DepthEvent> btc = publish(MarketType.SPOT, "BTCUSDT", 60);
    publish(MarketType.SPOT, "ETHUSDT", 30);
    awaitInSync(MarketType.SPOT, "BTCUSDT");
    awaitInSync(MarketType.SPOT, "ETHUSDT");

    int expectedLevels = btc.stream().mapToInt(e -> e.bids().size() + e.asks().size()).sum();
    assertThat(sink.deltas("BTCUSDT").stream().filter(d -> !d.isSnapshot()))
        .hasSize(expectedLevels);
    assertThat(sink.deltas("BTCUSDT").stream().filter(OrderBookDelta::isSnapshot)).isNotEmpty();
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(sink.events(StreamEventType.RESYNC))
        .extracting(StreamEvent::symbol)
        .containsExactlyInAnyOrder("BTCUSDT", "ETHUSDT");
    assertThat(sink.events(StreamEventType.CONNECT)).hasSize(1);
    OrderBookDelta first =
        sink.deltas("BTCUSDT").stream().filter(d -> !d.isSnapshot()).findFirst().orElseThrow();
    assertThat(first.timestampMicros()).isEqualTo(btc.get(0).eventTimeMs() * 1000);
    assertThat(first.localTimestampMicros()).isGreaterThanOrEqualTo(first.timestampMicros() - 1000);
    assertThat(first.firstUpdateId()).isEqualTo(btc.get(0).firstUpdateId());
    assertRebuiltBookEqualsServer(MarketType.SPOT, "BTCUSDT");
    assertRebuiltBookEqualsServer(MarketType.SPOT, "ETHUSDT");
    assertThat(connector.stats().gaps()).isZero();
    assertThat(connector.stats().validated()).isGreaterThanOrEqualTo(88);
  }

  @Test
  void aLostMessageIsAGapWithItsIdRangeThenAResync() {
    connectDeltas(MarketType.SPOT, "BTCUSDT");
    binance.awaitSubscribed(MarketType.SPOT, stream("BTCUSDT"), Duration.ofSeconds(10));
    publish(MarketType.SPOT, "BTCUSDT", 10);
    awaitInSync(MarketType.SPOT, "BTCUSDT");
    DepthEvent lost = binance.dropNextDepth(MarketType.SPOT, "BTCUSDT", 3);
    publish(MarketType.SPOT, "BTCUSDT", 10);
    awaitInSync(MarketType.SPOT, "BTCUSDT");

    assertThat(sink.events(StreamEventType.GAP))
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.fromUpdateId()).isEqualTo(lost.firstUpdateId());
              assertThat(gap.toUpdateId()).isEqualTo(lost.lastUpdateId());
              assertThat(gap.symbol()).isEqualTo("BTCUSDT");
            });
    assertThat(sink.events(StreamEventType.RESYNC)).hasSize(2);
    assertThat(sink.deltas("BTCUSDT"))
        .noneMatch(d -> d.lastUpdateId() == lost.lastUpdateId() && !d.isSnapshot());
    assertRebuiltBookEqualsServer(MarketType.SPOT, "BTCUSDT");
  }

  @Test
  void aDuplicateIsRejectedAndStoredOnce() {
    connectDeltas(MarketType.SPOT, "BTCUSDT");
    binance.awaitSubscribed(MarketType.SPOT, stream("BTCUSDT"), Duration.ofSeconds(10));
    List<DepthEvent> events = publish(MarketType.SPOT, "BTCUSDT", 5);
    binance.resendLastDepth(MarketType.SPOT, "BTCUSDT");
    publish(MarketType.SPOT, "BTCUSDT", 5);
    awaitInSync(MarketType.SPOT, "BTCUSDT");
    DepthEvent repeated = events.get(4);
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .singleElement()
        .satisfies(
            event ->
                assertThat(event.detail())
                    .startsWith("duplicate depth event: u " + repeated.lastUpdateId()));
    assertThat(
            sink.deltas("BTCUSDT").stream()
                .filter(d -> !d.isSnapshot() && d.lastUpdateId() == repeated.lastUpdateId()))
        .hasSize(repeated.bids().size() + repeated.asks().size());
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertRebuiltBookEqualsServer(MarketType.SPOT, "BTCUSDT");
  }

  @Test
  void aDroppedConnectionReconnectsAndRecordsWhatWasMissed() {
    connectDeltas(MarketType.FUTURE, "BTCUSDT");
    binance.awaitSubscribed(MarketType.FUTURE, stream("BTCUSDT"), Duration.ofSeconds(10));
    publish(MarketType.FUTURE, "BTCUSDT", 10);
    awaitInSync(MarketType.FUTURE, "BTCUSDT");
    long lastSeen = binance.book(MarketType.FUTURE, "BTCUSDT").lastUpdateId();

    binance.disconnectAll(MarketType.FUTURE);
    sink.await("disconnect", s -> !s.events(StreamEventType.DISCONNECT).isEmpty());
    List<DepthEvent> missed = publish(MarketType.FUTURE, "BTCUSDT", 5); // nobody is subscribed
    binance.awaitSubscribed(MarketType.FUTURE, stream("BTCUSDT"), Duration.ofSeconds(20));
    publish(MarketType.FUTURE, "BTCUSDT", 10);
    awaitInSync(MarketType.FUTURE, "BTCUSDT");

    assertThat(sink.events(StreamEventType.CONNECT)).hasSize(2);
    assertThat(sink.events(StreamEventType.GAP))
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.fromUpdateId()).isEqualTo(lastSeen + 1);
              assertThat(gap.toUpdateId()).isEqualTo(missed.get(missed.size() - 1).lastUpdateId());
            });
    assertRebuiltBookEqualsServer(MarketType.FUTURE, "BTCUSDT");
  }

  @Test
  void a429PausesRequestsAndIsRecordedAndTheSnapshotIsFetchedAfter() {
    binance.failNextRequests("/api/v3/depth", 1, 429, 1);
    connectDeltas(MarketType.SPOT, "BTCUSDT");
    binance.awaitSubscribed(MarketType.SPOT, stream("BTCUSDT"), Duration.ofSeconds(10));
    publish(MarketType.SPOT, "BTCUSDT", 5);
    sink.await("rate limit", s -> !s.events(StreamEventType.RATE_LIMITED).isEmpty());
    publish(MarketType.SPOT, "BTCUSDT", 5);
    awaitInSync(MarketType.SPOT, "BTCUSDT");
    assertThat(sink.events(StreamEventType.RATE_LIMITED))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.detail())
                  .startsWith(
                      "HTTP 429 for "
                          + binance.httpBase()
                          + "/api/v3/depth?symbol=BTCUSDT&limit=100");
              assertThat(event.dataType()).isEqualTo("orderbook_snapshot");
            });
    assertThat(binance.restRequests("/api/v3/depth")).isEqualTo(2);
    assertRebuiltBookEqualsServer(MarketType.SPOT, "BTCUSDT");
  }

  @Test
  void malformedFramesAreRejectedWithACopyAndIngestionGoesOn() {
    connectDeltas(MarketType.SPOT, "BTCUSDT");
    binance.awaitSubscribed(MarketType.SPOT, stream("BTCUSDT"), Duration.ofSeconds(10));
    publish(MarketType.SPOT, "BTCUSDT", 3);
    binance.sendRaw(
        MarketType.SPOT, "ws", "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"BTCUSDT\",\"U\":1");
    binance.sendRaw(
        MarketType.SPOT,
        "ws",
        "{\"e\":\"depthUpdate\",\"E\":1723100000000,\"s\":\"BTCUSDT\",\"U\":1,\"u\":2,\"b\":[[\"1e400\",\"1\"]],\"a\":[]}");
    binance.sendRaw(
        MarketType.SPOT, "ws", "{\"e\":\"kline\",\"E\":1723100000000,\"s\":\"BTCUSDT\"}");
    binance.sendRaw(MarketType.SPOT, "ws", "x".repeat(5000));
    publish(MarketType.SPOT, "BTCUSDT", 3);
    awaitInSync(MarketType.SPOT, "BTCUSDT");

    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .extracting(StreamEvent::detail)
        .satisfiesExactly(
            invalid ->
                assertThat(invalid)
                    .startsWith("invalid JSON: ")
                    .contains("{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"BTCUSDT\",\"U\":1"),
            range -> assertThat(range).startsWith("price is out of range: 1e400: {"),
            unknown ->
                assertThat(unknown)
                    .startsWith("unexpected message of type kline: {\"e\":\"kline\""),
            garbage ->
                assertThat(garbage)
                    .startsWith("invalid JSON: ")
                    .hasSize(StreamEvent.MAX_DETAIL_LENGTH)
                    .endsWith("... [5000 chars]"));
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertRebuiltBookEqualsServer(MarketType.SPOT, "BTCUSDT");
  }

  private BinanceConnector connectTrades(MarketType market, String... symbols) {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(
        DataType.TRADES, feed(market, DataType.TRADES, SymbolSelection.of(List.of(symbols)), 0));
    return connect(market, feeds, Map.of());
  }

  @Test
  void everyTradeTheVenueSendsIsStoredOnceWithTheTakersSide() {
    connectTrades(MarketType.FUTURE, "BTCUSDT", "ETHUSDT");
    binance.awaitSubscribed(MarketType.FUTURE, "btcusdt@trade", Duration.ofSeconds(10));
    binance.awaitSubscribed(MarketType.FUTURE, "ethusdt@trade", Duration.ofSeconds(10));
    long now = System.currentTimeMillis();
    for (int i = 0; i < 20; i++) {
      binance.publishTrade(MarketType.FUTURE, "BTCUSDT", "60000.5", "0.010", now + i, i % 2 == 0);
      binance.publishTrade(MarketType.FUTURE, "ETHUSDT", "3000.25", "1.5", now + i, false);
    }
    sink.await("40 trades", s -> s.rows(Trade.class).size() == 40);

    assertThat(sink.rows(Trade.class))
        .filteredOn(trade -> trade.symbol().equals("BTCUSDT"))
        .extracting(Trade::tradeId)
        .containsExactlyElementsOf(
            java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(Integer::toString).toList());
    assertThat(sink.rows(Trade.class).get(0))
        .satisfies(
            trade -> {
              assertThat(trade.exchange()).isEqualTo("binance");
              assertThat(trade.marketType()).isEqualTo(MarketType.FUTURE);
              assertThat(trade.side()).as("m = true: the taker sold").isEqualTo(TradeSide.SELL);
              assertThat(trade.price()).isEqualTo(60000.5);
              assertThat(trade.quantity()).isEqualTo(0.01);
              assertThat(trade.timestampMicros()).isEqualTo(now * 1000);
              assertThat(trade.localTimestampMicros()).isPositive();
            });
    assertThat(sink.rows(Trade.class))
        .filteredOn(trade -> trade.symbol().equals("ETHUSDT"))
        .extracting(Trade::side)
        .as("m = false: the taker bought")
        .containsOnly(TradeSide.BUY);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
  }

  @Test
  void aMissedTradeIdIsAGapWithItsRange() {
    connectTrades(MarketType.SPOT, "BTCUSDT");
    binance.awaitSubscribed(MarketType.SPOT, "btcusdt@trade", Duration.ofSeconds(10));
    long now = System.currentTimeMillis();
    binance.publishTrade(MarketType.SPOT, "BTCUSDT", "60000", "0.1", now, true);
    long first = binance.dropNextTrade(MarketType.SPOT, "BTCUSDT");
    long last = binance.dropNextTrade(MarketType.SPOT, "BTCUSDT");
    binance.publishTrade(MarketType.SPOT, "BTCUSDT", "60001", "0.2", now + 1, false);
    sink.await("2 trades", s -> s.rows(Trade.class).size() == 2);

    assertThat(sink.events(StreamEventType.GAP))
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.dataType()).isEqualTo("trades");
              assertThat(gap.symbol()).isEqualTo("BTCUSDT");
              assertThat(gap.fromUpdateId()).isEqualTo(first);
              assertThat(gap.toUpdateId()).isEqualTo(last);
            });
  }

  @Test
  void aRepeatedTradeIsRejectedAndStoredOnce() {
    connectTrades(MarketType.SPOT, "BTCUSDT");
    binance.awaitSubscribed(MarketType.SPOT, "btcusdt@trade", Duration.ofSeconds(10));
    String trade =
        "{\"e\":\"trade\",\"E\":1723100000001,\"s\":\"BTCUSDT\",\"t\":7,\"p\":\"1\","
            + "\"q\":\"2\",\"T\":1723100000000,\"m\":true}";
    binance.sendRaw(MarketType.SPOT, "ws", trade);
    binance.sendRaw(MarketType.SPOT, "ws", trade);
    sink.await("a rejection", s -> !s.events(StreamEventType.REJECTED_MESSAGE).isEmpty());

    assertThat(sink.rows(Trade.class)).hasSize(1);
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .singleElement()
        .satisfies(
            event ->
                assertThat(event.detail()).startsWith("duplicate trade t=7 (last stored t=7): {"));
  }

  @Test
  void futuresCollectEveryFeed() {
    long now = System.currentTimeMillis();
    binance.setOpenInterest("BTCUSDT", "83782.317");
    binance.setPremiumIndex("BTCUSDT", "0.00010000", now + 3_600_000);
    binance.setPremiumIndex("ETHUSDT", "-0.00002500", now + 3_600_000);
    SymbolSelection btc = SymbolSelection.of(List.of("BTCUSDT"));
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(
        DataType.ORDERBOOK_DELTA, feed(MarketType.FUTURE, DataType.ORDERBOOK_DELTA, btc, 100));
    feeds.put(
        DataType.ORDERBOOK_SNAPSHOT,
        feed(MarketType.FUTURE, DataType.ORDERBOOK_SNAPSHOT, btc, 200));
    feeds.put(
        DataType.CONTRACTS,
        feed(MarketType.FUTURE, DataType.CONTRACTS, SymbolSelection.none(), 60_000));
    feeds.put(DataType.LIQUIDATION, feed(MarketType.FUTURE, DataType.LIQUIDATION, btc, 0));
    feeds.put(DataType.OPEN_INTEREST, feed(MarketType.FUTURE, DataType.OPEN_INTEREST, btc, 200));
    feeds.put(
        DataType.FUNDING_RATE,
        feed(
            MarketType.FUTURE,
            DataType.FUNDING_RATE,
            SymbolSelection.of(List.of("BTCUSDT", "ETHUSDT")),
            200));
    connect(MarketType.FUTURE, feeds, Map.of());
    binance.awaitSubscribed(MarketType.FUTURE, "btcusdt@forceOrder", Duration.ofSeconds(10));
    binance.publishForceOrder("BTCUSDT", "SELL", "60010.5", "0.014", now);
    binance.publishForceOrder("BTCUSDT", "BUY", "60020.0", "1.5", now + 1);
    sink.await(
        "every feed",
        s ->
            s.rows(Liquidation.class).size() == 2
                && !s.rows(OpenInterest.class).isEmpty()
                && s.rows(FundingRate.class).size() >= 2
                && !s.rows(Contract.class).isEmpty()
                && !s.rows(OrderBookSnapshot.class).isEmpty());

    assertThat(sink.rows(Liquidation.class))
        .extracting(
            Liquidation::side, Liquidation::price, Liquidation::quantity, Liquidation::timestampMs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(TradeSide.SELL, 60010.5, 0.014, now),
            org.assertj.core.groups.Tuple.tuple(TradeSide.BUY, 60020.0, 1.5, now + 1));
    assertThat(sink.rows(OpenInterest.class).get(0).openInterest()).isEqualTo(83782.317);
    assertThat(sink.rows(FundingRate.class))
        .filteredOn(rate -> rate.symbol().equals("ETHUSDT"))
        .first()
        .satisfies(
            rate -> {
              assertThat(rate.fundingRate()).isEqualTo(-0.000025);
              assertThat(rate.fundingTimeMs()).isEqualTo(now + 3_600_000);
            });
    assertThat(sink.rows(Contract.class))
        .filteredOn(contract -> contract.symbol().equals("BTCUSDT"))
        .first()
        .satisfies(
            contract -> {
              assertThat(contract.contractType()).isEqualTo("PERPETUAL");
              assertThat(contract.baseAsset()).isEqualTo("BTC");
              assertThat(contract.quoteAsset()).isEqualTo("USDT");
              assertThat(contract.tickSize()).isPositive();
            });
    OrderBookSnapshot snapshot = sink.rows(OrderBookSnapshot.class).get(0);
    assertThat(snapshot.source()).isEqualTo(SnapshotSource.REST);
    assertThat(snapshot.bids()).hasSize(20);
    assertThat(snapshot.lastUpdateId()).isNotNull();
  }

  @Test
  void allSymbolsAreResolvedFromExchangeInformationNarrowedByQuoteAsset() {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(
        DataType.ORDERBOOK_DELTA,
        feed(
            MarketType.SPOT,
            DataType.ORDERBOOK_DELTA,
            new SymbolSelection(List.of(), true, List.of("USDT"), 0),
            100));
    connect(MarketType.SPOT, feeds, Map.of());
    binance.awaitSubscribed(MarketType.SPOT, stream("BTCUSDT"), Duration.ofSeconds(10));
    binance.awaitSubscribed(MarketType.SPOT, stream("ETHUSDT"), Duration.ofSeconds(10));
    assertThat(binance.subscriptions(MarketType.SPOT)).doesNotContain(stream("ETHBTC"));
    assertThat(binance.restRequests("/api/v3/exchangeInfo")).isEqualTo(1);
  }

  @Test
  void bookSnapshotsAreTakenFromTheValidatedBookOnTheWallClockGrid() {
    SymbolSelection btc = SymbolSelection.of(List.of("BTCUSDT"));
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(DataType.ORDERBOOK_DELTA, feed(MarketType.SPOT, DataType.ORDERBOOK_DELTA, btc, 100));
    FeedSettings rest = feed(MarketType.SPOT, DataType.ORDERBOOK_SNAPSHOT, btc, 200);
    feeds.put(
        DataType.ORDERBOOK_SNAPSHOT,
        new FeedSettings(rest.type(), true, rest.url(), 200, 5, SnapshotSource.BOOK, 0, null, btc));
    connect(MarketType.SPOT, feeds, Map.of());
    binance.awaitSubscribed(MarketType.SPOT, stream("BTCUSDT"), Duration.ofSeconds(10));
    publish(MarketType.SPOT, "BTCUSDT", 5);
    awaitInSync(MarketType.SPOT, "BTCUSDT");
    sink.await("two book snapshots", s -> s.rows(OrderBookSnapshot.class).size() >= 2);
    OrderBookSnapshot snapshot = sink.rows(OrderBookSnapshot.class).get(1);
    assertThat(snapshot.source()).isEqualTo(SnapshotSource.BOOK);
    assertThat(snapshot.timestampMs() % 200).isZero();
    assertThat(snapshot.bids()).hasSize(5);
    assertThat(snapshot.bids().get(0).price())
        .isEqualTo(binance.book(MarketType.SPOT, "BTCUSDT").bids().firstKey());
    assertThat(binance.restRequests("/api/v3/depth")).isEqualTo(1); // only the sync snapshot
  }

  @Test
  void aFullSinkStopsReadingAndLosesNothing() {
    connectDeltas(MarketType.SPOT, "BTCUSDT");
    binance.awaitSubscribed(MarketType.SPOT, stream("BTCUSDT"), Duration.ofSeconds(10));
    publish(MarketType.SPOT, "BTCUSDT", 5);
    awaitInSync(MarketType.SPOT, "BTCUSDT");
    sink.close();
    List<DepthEvent> held = publish(MarketType.SPOT, "BTCUSDT", 40);
    CollectingSink.awaitTrue("a refusal", () -> sink.refusals() > 0, Duration.ofSeconds(10));
    sink.open();
    awaitInSync(MarketType.SPOT, "BTCUSDT");
    for (DepthEvent event : held) {
      assertThat(sink.deltas("BTCUSDT")).anyMatch(d -> d.lastUpdateId() == event.lastUpdateId());
    }
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertRebuiltBookEqualsServer(MarketType.SPOT, "BTCUSDT");
  }

  @Test
  void aRestartRecordsTheSpanSinceTheLastPersistedId() {
    FakeBook book = binance.book(MarketType.SPOT, "BTCUSDT");
    long persisted = book.lastUpdateId();
    publish(MarketType.SPOT, "BTCUSDT", 4); // happened while lake was down
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(
        DataType.ORDERBOOK_DELTA,
        feed(
            MarketType.SPOT,
            DataType.ORDERBOOK_DELTA,
            SymbolSelection.of(List.of("BTCUSDT")),
            100));
    connect(MarketType.SPOT, feeds, Map.of("BTCUSDT", persisted));
    binance.awaitSubscribed(MarketType.SPOT, stream("BTCUSDT"), Duration.ofSeconds(10));
    DepthEvent first = publish(MarketType.SPOT, "BTCUSDT", 3).get(0);
    awaitInSync(MarketType.SPOT, "BTCUSDT");
    assertThat(sink.events(StreamEventType.RESTART_GAP))
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.fromUpdateId()).isEqualTo(persisted + 1);
              assertThat(gap.toUpdateId()).isEqualTo(first.firstUpdateId() - 1);
            });
  }

  /** Symbols that would change a request if they went into its URL as they are. */
  private static final List<String> AWKWARD_SYMBOLS =
      List.of("ETHUSDT&limit=5000", "BTC=USDT", "BTC USDT", "BTC%26USDT", "BTC/USDT");

  @Test
  void aSnapshotRequestCarriesEachSymbolAsOneExactParameterWhateverItsCharacters() {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(
        DataType.ORDERBOOK_SNAPSHOT,
        feed(
            MarketType.SPOT,
            DataType.ORDERBOOK_SNAPSHOT,
            SymbolSelection.of(AWKWARD_SYMBOLS),
            200));
    connect(MarketType.SPOT, feeds, Map.of());
    CollectingSink.awaitTrue(
        "a request for each symbol",
        () -> Set.copyOf(binance.restQueries("/api/v3/depth")).size() >= AWKWARD_SYMBOLS.size(),
        Duration.ofSeconds(10));

    assertThat(Set.copyOf(binance.restQueries("/api/v3/depth")))
        .containsExactlyInAnyOrderElementsOf(
            AWKWARD_SYMBOLS.stream()
                .map(symbol -> Map.of("symbol", List.of(symbol), "limit", List.of("20")))
                .toList());
  }

  @Test
  void anOpenInterestRequestCarriesTheSymbolAsItsOnlyParameter() {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(
        DataType.OPEN_INTEREST,
        feed(
            MarketType.FUTURE,
            DataType.OPEN_INTEREST,
            SymbolSelection.of(List.of("ETHUSDT&limit=5000")),
            200));
    connect(MarketType.FUTURE, feeds, Map.of());
    CollectingSink.awaitTrue(
        "an open interest request",
        () -> !binance.restQueries("/fapi/v1/openInterest").isEmpty(),
        Duration.ofSeconds(10));

    assertThat(binance.restQueries("/fapi/v1/openInterest").get(0))
        .isEqualTo(Map.of("symbol", List.of("ETHUSDT&limit=5000")));
  }
}
