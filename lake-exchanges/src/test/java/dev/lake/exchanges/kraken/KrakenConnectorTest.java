package dev.lake.exchanges.kraken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.Contract;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.Liquidation;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.OrderBookSnapshot;
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
import dev.lake.testing.kraken.FakeKraken;
import dev.lake.testing.kraken.KrakenBook;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kraken connector against a fake Kraken speaking spot WebSocket v2 and Kraken Futures on
 * loopback: exactly which rows and {@code stream_events} rows land for normal flow, a lost message,
 * a resync, a disconnect, malformed frames, a rate limit, and Kraken's own cases (a bad checksum, a
 * level leaving the subscribed depth without a delete, a quantity whose trailing zeros the checksum
 * needs, a futures {@code seq} jump, a liquidation among fills); and that the book rebuilt from the
 * delta rows equals the fake's.
 */
class KrakenConnectorTest {
  private static final String BTC = "BTC/USD";
  private static final String ETH = "ETH/USD";
  private static final String PF = "PF_ETHUSD";
  private static final String PI = "PI_XBTUSD";
  private static final int DEPTH = 10;
  private static final Duration WAIT = Duration.ofSeconds(15);

  private FakeKraken kraken;
  private Transport transport;
  private CollectingSink sink;
  private KrakenConnector connector;

  @BeforeEach
  void start() {
    kraken = FakeKraken.start();
    kraken.addPair(BTC, "XXBTZUSD", "XBT/USD", 30);
    kraken.addPair(ETH, "XETHZUSD", "ETH/USD", 30);
    kraken.addProduct(PF, 30);
    kraken.addProduct(PI, 30);
    transport = Transport.create(2);
    sink = new CollectingSink();
  }

  @AfterEach
  void stop() {
    if (connector != null) {
      connector.close();
    }
    transport.close();
    kraken.close();
  }

  private FeedSettings feed(MarketType market, DataType type, List<String> symbols) {
    FeedSettings defaults = new KrakenVenue().defaults(market, type);
    URI url =
        KrakenVenue.isHttp(defaults.url())
            ? URI.create(kraken.httpBase() + defaults.url().getPath())
            : URI.create(market == MarketType.SPOT ? kraken.spotUrl() : kraken.futuresUrl());
    return new FeedSettings(
        type,
        true,
        url,
        type == DataType.ORDERBOOK_SNAPSHOT ? 200 : defaults.intervalMs(),
        type == DataType.ORDERBOOK_SNAPSHOT ? 5 : 0,
        type == DataType.ORDERBOOK_SNAPSHOT ? SnapshotSource.REST : null,
        0,
        null,
        SymbolSelection.of(symbols),
        type == DataType.ORDERBOOK_DELTA && market == MarketType.SPOT
            ? Map.of(KrakenVenue.DEPTH, Integer.toString(DEPTH))
            : Map.of());
  }

  private void connect(MarketType market, Map<DataType, FeedSettings> feeds) {
    connector =
        new KrakenConnector(
            new MarketSettings("kraken", market, feeds),
            ConnectorContext.of(transport, sink, Map.of()));
    connector.start();
  }

  private void connect(MarketType market, DataType type, String... symbols) {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(type, feed(market, type, List.of(symbols)));
    connect(market, feeds);
  }

  private void connectBooks(MarketType market, String... symbols) {
    connect(market, DataType.ORDERBOOK_DELTA, symbols);
    for (String symbol : symbols) {
      kraken.awaitSubscribed("book:" + symbol, WAIT);
    }
  }

  private BookSync sync(String symbol) {
    return connector.bookStreams().syncs().get(symbol);
  }

  /** The fake's book as a subscriber sees it: the spot depth, or the whole futures book. */
  private List<List<dev.lake.core.model.PriceLevel>> fakeBook(String symbol) {
    int depth = symbol.contains("/") ? DEPTH : 1000;
    KrakenBook book = kraken.book(symbol);
    return List.of(book.levels(true, depth), book.levels(false, depth));
  }

  /** Waits until the connector's live book equals the fake's. */
  private void awaitInSync(String symbol) {
    CollectingSink.awaitTrue(
        symbol + " in sync",
        () -> {
          BookSync sync = sync(symbol);
          if (sync == null || sync.state() != BookSync.State.LIVE) {
            return false;
          }
          try {
            OrderBook book = sync.book();
            return List.of(book.levels(BookSide.BID), book.levels(BookSide.ASK))
                .equals(fakeBook(symbol));
          } catch (RuntimeException e) {
            return false; // read while the event loop changes it: look again
          }
        },
        WAIT);
  }

  private void assertRebuiltBookEqualsFake(String symbol) {
    OrderBook rebuilt = BookReplay.rebuild(sink.deltas(symbol)).orElseThrow().book();
    assertThat(List.of(rebuilt.levels(BookSide.BID), rebuilt.levels(BookSide.ASK)))
        .isEqualTo(fakeBook(symbol));
  }

  private List<StreamEvent> bookEvents(StreamEventType type) {
    return sink.events(type).stream().filter(e -> e.dataType().equals("orderbook_delta")).toList();
  }

  private int publishSpot(String symbol, int times) {
    int sent = 0;
    for (int i = 0; i < times; i++) {
      sent += kraken.publishSpotBook(symbol, 1 + i % 3);
    }
    return sent;
  }

  @Test
  void spotNormalFlowVerifiesEveryChecksumAndTheRebuiltBooksEqualKrakens() {
    connectBooks(MarketType.SPOT, BTC, ETH);
    awaitInSync(BTC);
    int sent = publishSpot(BTC, 40);
    publishSpot(ETH, 10);
    awaitInSync(BTC);
    awaitInSync(ETH);
    CollectingSink.awaitTrue("every update checked", () -> sync(BTC).validated() == sent, WAIT);

    assertThat(sink.deltas(BTC).stream().filter(OrderBookDelta::isSnapshot)).hasSize(2 * DEPTH);
    assertThat(bookEvents(StreamEventType.RESYNC))
        .extracting(StreamEvent::symbol)
        .containsExactlyInAnyOrder(BTC, ETH);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(sink.events(StreamEventType.CHECKSUM_MISMATCH)).isEmpty();
    assertThat(sink.events(StreamEventType.CONNECT)).hasSize(1);
    List<Long> ids =
        sink.deltas(BTC).stream().map(OrderBookDelta::lastUpdateId).distinct().toList();
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    assertRebuiltBookEqualsFake(BTC);
    assertRebuiltBookEqualsFake(ETH);
  }

  @Test
  void aBadChecksumIsAChecksumMismatchRowAndTheBookIsSubscribedAgain() {
    connectBooks(MarketType.SPOT, BTC);
    awaitInSync(BTC);
    publishSpot(BTC, 3);
    kraken.badChecksumNext();
    kraken.publishSpotLevel(BTC, true, "59999.9", "1.50000000");
    CollectingSink.awaitTrue(
        "a second resync", () -> bookEvents(StreamEventType.RESYNC).size() == 2, WAIT);
    publishSpot(BTC, 3);
    awaitInSync(BTC);

    assertThat(sink.events(StreamEventType.CHECKSUM_MISMATCH))
        .singleElement()
        .satisfies(row -> assertThat(row.symbol()).isEqualTo(BTC));
    assertThat(kraken.subscriptions("book:" + BTC)).isEqualTo(2);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertRebuiltBookEqualsFake(BTC);
  }

  @Test
  void aLevelPushedOutOfTheDepthWithoutADeleteIsStoredAsARemovalAndTheChecksumStillVerifies() {
    connectBooks(MarketType.SPOT, BTC);
    awaitInSync(BTC);
    List<KrakenBook.Level> before = kraken.book(BTC).top(true, DEPTH);
    KrakenBook.Level pushedOut = before.get(DEPTH - 1);
    kraken.publishSpotLevel(BTC, true, "59999.9", "2.00000000"); // a new best bid
    awaitInSync(BTC);

    List<OrderBookDelta> updates = sink.deltas(BTC).stream().filter(d -> !d.isSnapshot()).toList();
    assertThat(updates)
        .extracting(OrderBookDelta::price, OrderBookDelta::quantity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(59999.9, 2.0),
            org.assertj.core.groups.Tuple.tuple(Double.parseDouble(pushedOut.price()), 0.0));
    assertThat(sink.events(StreamEventType.CHECKSUM_MISMATCH)).isEmpty();
    assertThat(sync(BTC).validated()).isEqualTo(1);
    assertRebuiltBookEqualsFake(BTC);
  }

  @Test
  void aQuantityWithTrailingZerosVerifiesOnlyFromItsWireText() {
    connectBooks(MarketType.SPOT, BTC);
    awaitInSync(BTC);
    String bestAsk = kraken.book(BTC).top(false, 1).get(0).price();
    kraken.publishSpotLevel(BTC, false, bestAsk, "0.00100000");
    awaitInSync(BTC);

    assertThat(sink.events(StreamEventType.CHECKSUM_MISMATCH)).isEmpty();
    assertThat(sync(BTC).validated()).isEqualTo(1);
    assertThat(sync(BTC).book().levels(BookSide.ASK).get(0).quantity()).isEqualTo(0.001);
    assertRebuiltBookEqualsFake(BTC);
  }

  @Test
  void aLostSpotUpdateShowsAsAChecksumMismatchOnTheNextAndTheBookIsResynced() {
    connectBooks(MarketType.SPOT, BTC);
    awaitInSync(BTC);
    kraken.dropSpotBook(BTC, 3);
    kraken.publishSpotLevel(BTC, true, "59999.9", "1.00000000");
    CollectingSink.awaitTrue(
        "a second resync", () -> bookEvents(StreamEventType.RESYNC).size() == 2, WAIT);
    publishSpot(BTC, 5);
    awaitInSync(BTC);

    assertThat(sink.events(StreamEventType.CHECKSUM_MISMATCH)).hasSize(1);
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertRebuiltBookEqualsFake(BTC);
  }

  @Test
  void aDisconnectIsRecordedAndTheNewConnectionReloadsTheBookFromItsSnapshot() {
    connectBooks(MarketType.SPOT, BTC);
    awaitInSync(BTC);
    publishSpot(BTC, 5);
    awaitInSync(BTC);
    kraken.disconnectAll(false);
    sink.await("a second connect", s -> s.events(StreamEventType.CONNECT).size() == 2);
    CollectingSink.awaitTrue(
        "a second resync", () -> bookEvents(StreamEventType.RESYNC).size() == 2, WAIT);
    publishSpot(BTC, 5);
    awaitInSync(BTC);

    assertThat(sink.events(StreamEventType.DISCONNECT)).hasSize(1);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(sink.events(StreamEventType.CHECKSUM_MISMATCH)).isEmpty();
    assertRebuiltBookEqualsFake(BTC);
  }

  @Test
  void malformedFramesAreRejectedWithTheirReasonAndHeartbeatsAndPongsAreNot() {
    connectBooks(MarketType.SPOT, BTC);
    awaitInSync(BTC);
    kraken.sendRaw(false, "{\"channel\":\"book\",\"type\":\"upd");
    kraken.sendRaw(
        false,
        "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
            + "\"bids\":[{\"price\":\"abc\",\"qty\":1.0}],\"asks\":[],\"checksum\":1}]}");
    kraken.sendRaw(
        false,
        "{\"error\":\"Currency pair not supported XYZ/USD\",\"method\":\"subscribe\","
            + "\"success\":false,\"symbol\":\"XYZ/USD\"}");
    kraken.sendRaw(false, "{\"method\":\"pong\",\"req_id\":7}");
    kraken.heartbeat();
    publishSpot(BTC, 5);
    awaitInSync(BTC);

    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .extracting(StreamEvent::detail)
        .satisfiesExactly(
            detail -> assertThat(detail).startsWith("invalid JSON"),
            detail -> assertThat(detail).startsWith("bids price is not a number: \"abc\""),
            detail ->
                assertThat(detail)
                    .startsWith("error from Kraken: Currency pair not supported XYZ/USD"));
    assertThat(sink.events(StreamEventType.CHECKSUM_MISMATCH)).isEmpty();
    assertRebuiltBookEqualsFake(BTC);
  }

  @Test
  void aRateLimitAnswerIsARateLimitedRowAndDepthIsAskedByThePairsRestName() {
    kraken.rateLimitNext("/0/public/Depth", 1);
    connect(MarketType.SPOT, DataType.ORDERBOOK_SNAPSHOT, BTC);
    sink.await("a snapshot row", s -> !s.rows(OrderBookSnapshot.class).isEmpty());

    assertThat(kraken.restRequests("/0/public/AssetPairs")).isEqualTo(1);
    assertThat(sink.events(StreamEventType.RATE_LIMITED))
        .singleElement()
        .satisfies(row -> assertThat(row.detail()).contains("EAPI:Rate limit exceeded"));
    OrderBookSnapshot snapshot = sink.rows(OrderBookSnapshot.class).get(0);
    assertThat(snapshot.symbol()).isEqualTo(BTC);
    assertThat(snapshot.source()).isEqualTo(SnapshotSource.REST);
    assertThat(snapshot.bids()).hasSize(5);
  }

  @Test
  void futuresNormalFlowValidatesEverySeqAndTheRebuiltBookEqualsKrakens() {
    connectBooks(MarketType.FUTURE, PF, PI);
    awaitFuturesInSync(PF);
    int deltas = 0;
    for (int i = 0; i < 20; i++) {
      kraken.publishFuturesBook(PF, 1 + i % 3);
      deltas += 1 + i % 3;
    }
    kraken.publishFuturesBook(PI, 5);
    awaitFuturesInSync(PF);
    awaitFuturesInSync(PI);

    assertThat(sync(PF).validated()).isEqualTo(deltas);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(bookEvents(StreamEventType.RESYNC)).hasSize(2);
    OrderBookDelta last = sink.deltas(PF).get(sink.deltas(PF).size() - 1);
    assertThat(last.lastUpdateId()).isEqualTo(kraken.seq(PF));
    assertThat(last.firstUpdateId()).isEqualTo(kraken.seq(PF));
    assertRebuiltBookEqualsFake(PF);
    assertRebuiltBookEqualsFake(PI);
  }

  private void awaitFuturesInSync(String symbol) {
    CollectingSink.awaitTrue(
        symbol + " at seq " + kraken.seq(symbol),
        () -> {
          BookSync sync = sync(symbol);
          return sync != null
              && sync.state() == BookSync.State.LIVE
              && sync.bookId() == kraken.seq(symbol);
        },
        WAIT);
  }

  @Test
  void aFuturesSeqJumpIsAGapWithTheMissingSeqsAndTheBookIsSubscribedAgain() {
    connectBooks(MarketType.FUTURE, PF);
    awaitFuturesInSync(PF);
    List<Long> delivered = new java.util.ArrayList<>(kraken.publishFuturesBook(PF, 3));
    long last = kraken.seq(PF);
    kraken.dropFuturesBook(PF, 2);
    delivered.addAll(kraken.publishFuturesBook(PF, 1));
    CollectingSink.awaitTrue(
        "a second resync", () -> bookEvents(StreamEventType.RESYNC).size() == 2, WAIT);
    delivered.addAll(kraken.publishFuturesBook(PF, 3));
    awaitFuturesInSync(PF);

    assertThat(sink.deltas(PF).stream().filter(d -> !d.isSnapshot()))
        .extracting(OrderBookDelta::lastUpdateId)
        .containsExactlyElementsOf(delivered);

    assertThat(bookEvents(StreamEventType.GAP))
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.fromUpdateId()).isEqualTo(last + 1);
              assertThat(gap.toUpdateId()).isEqualTo(last + 2);
            });
    assertThat(kraken.subscriptions("book:" + PF)).isEqualTo(2);
    assertRebuiltBookEqualsFake(PF);
  }

  @Test
  void aLiquidationAmongFillsIsALiquidationRowAndTheFillsAreTrades() {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(DataType.TRADES, feed(MarketType.FUTURE, DataType.TRADES, List.of(PF)));
    feeds.put(DataType.LIQUIDATION, feed(MarketType.FUTURE, DataType.LIQUIDATION, List.of(PF)));
    connect(MarketType.FUTURE, feeds);
    kraken.awaitSubscribed("trade:" + PF, WAIT);
    String fill = kraken.publishFuturesTrade(PF, "fill", "buy", "3000.5", "1.5");
    kraken.publishFuturesTrade(PF, "liquidation", "sell", "2990.0", "4");
    String second = kraken.publishFuturesTrade(PF, "fill", "sell", "2999.5", "0.25");
    sink.await("two trades", s -> s.rows(Trade.class).size() == 2);
    sink.await("a liquidation", s -> s.rows(Liquidation.class).size() == 1);

    assertThat(sink.rows(Trade.class))
        .extracting(Trade::tradeId, Trade::side, Trade::price)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(fill, TradeSide.BUY, 3000.5),
            org.assertj.core.groups.Tuple.tuple(second, TradeSide.SELL, 2999.5));
    Liquidation liquidation = sink.rows(Liquidation.class).get(0);
    assertThat(liquidation.side()).isEqualTo(TradeSide.SELL);
    assertThat(liquidation.price()).isEqualTo(2990.0);
    assertThat(liquidation.quantity()).isEqualTo(4.0);
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(sink.events(StreamEventType.CONNECT)).hasSize(1);
  }

  @Test
  void spotTradesAreStoredAndASkippedTradeIdIsAGap() {
    connect(MarketType.SPOT, DataType.TRADES, BTC);
    kraken.awaitSubscribed("trade:" + BTC, WAIT);
    long first = kraken.publishSpotTrade(BTC, "buy", "60000.1", "0.01000000");
    kraken.skipSpotTrade(BTC);
    long third = kraken.publishSpotTrade(BTC, "sell", "60000.0", "0.5");
    sink.await("two trades", s -> s.rows(Trade.class).size() == 2);

    assertThat(sink.rows(Trade.class))
        .extracting(Trade::tradeId)
        .containsExactly(Long.toString(first), Long.toString(third));
    assertThat(sink.events(StreamEventType.GAP))
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.fromUpdateId()).isEqualTo(first + 1);
              assertThat(gap.toUpdateId()).isEqualTo(third - 1);
            });
  }

  @Test
  void tickersGiveOpenInterestAndTheRelativeFundingRate() {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(DataType.OPEN_INTEREST, feed(MarketType.FUTURE, DataType.OPEN_INTEREST, List.of(PF)));
    feeds.put(DataType.FUNDING_RATE, feed(MarketType.FUTURE, DataType.FUNDING_RATE, List.of(PF)));
    connect(MarketType.FUTURE, feeds);
    kraken.awaitSubscribed("ticker:" + PF, WAIT);
    kraken.publishTicker(PF, "1234.5", "0.0000125", 1_700_003_600_000L);
    sink.await("a funding row", s -> s.rows(FundingRate.class).size() == 1);

    assertThat(sink.rows(OpenInterest.class))
        .singleElement()
        .satisfies(row -> assertThat(row.openInterest()).isEqualTo(1234.5));
    FundingRate funding = sink.rows(FundingRate.class).get(0);
    assertThat(funding.fundingRate()).isEqualTo(0.0000125);
    assertThat(funding.fundingTimeMs()).isEqualTo(1_700_003_600_000L);
  }

  @Test
  void contractsAndSymbolsAllComeFromAssetPairsWithV2SymbolsAndFromInstruments() {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(DataType.CONTRACTS, feed(MarketType.SPOT, DataType.CONTRACTS, List.of()));
    feeds.put(
        DataType.TRADES,
        feed(MarketType.SPOT, DataType.TRADES, List.of())
            .withSymbols(new SymbolSelection(List.of(), true, List.of("USD"), 0)));
    connect(MarketType.SPOT, feeds);
    sink.await("two contracts", s -> s.rows(Contract.class).size() == 2);
    kraken.awaitSubscribed("trade:" + BTC, WAIT);
    kraken.awaitSubscribed("trade:" + ETH, WAIT);

    assertThat(sink.rows(Contract.class))
        .extracting(Contract::symbol, Contract::contractCode, Contract::baseAsset)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(BTC, "XXBTZUSD", "BTC"),
            org.assertj.core.groups.Tuple.tuple(ETH, "XETHZUSD", "ETH"));
  }

  @Test
  void futuresContractsComeFromInstruments() {
    connect(MarketType.FUTURE, DataType.CONTRACTS);
    sink.await("two contracts", s -> s.rows(Contract.class).size() == 2);

    assertThat(sink.rows(Contract.class))
        .extracting(Contract::symbol, Contract::contractType)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(PF, "flexible_futures perpetual"),
            org.assertj.core.groups.Tuple.tuple(PI, "futures_inverse perpetual"));
  }
}
