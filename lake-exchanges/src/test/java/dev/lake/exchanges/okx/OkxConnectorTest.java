package dev.lake.exchanges.okx;

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
import dev.lake.exchanges.Venue;
import dev.lake.exchanges.book.BookReplay;
import dev.lake.exchanges.book.BookSync;
import dev.lake.exchanges.book.OrderBook;
import dev.lake.exchanges.transport.Transport;
import dev.lake.testing.okx.FakeOkx;
import dev.lake.testing.okx.OkxBook;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OKX connector against a fake OKX speaking its v5 protocol on loopback: exactly which rows and
 * {@code stream_events} rows land for normal flow, a lost push, a disconnect, malformed frames, a
 * rate limit, and OKX's own cases (heartbeat, ids going down after maintenance, a bad checksum,
 * checksum 0, no in-stream snapshot with a REST seed older or newer than the buffered pushes, sizes
 * in contracts); and that the book rebuilt from the delta rows equals the fake's.
 */
class OkxConnectorTest {
  private static final String BTC = "BTC-USDT";
  private static final String ETH = "ETH-USDT";
  private static final String SWAP = "ETH-USDT-SWAP";
  private static final Duration WAIT = Duration.ofSeconds(15);

  private FakeOkx okx;
  private Transport transport;
  private CollectingSink sink;
  private OkxConnector connector;

  @BeforeEach
  void start() {
    okx = FakeOkx.start();
    okx.addSpot(BTC, "BTC", "USDT", 40);
    okx.addSpot(ETH, "ETH", "USDT", 40);
    okx.addSwap(SWAP, "ETH", "USDT", "0.1", 40);
    transport = Transport.create(2);
    sink = new CollectingSink();
  }

  @AfterEach
  void stop() {
    if (connector != null) {
      connector.close();
    }
    transport.close();
    okx.close();
  }

  private FeedSettings feed(MarketType market, DataType type, List<String> symbols) {
    FeedSettings defaults = new OkxVenue().defaults(market, type);
    URI url =
        OkxVenue.isHttp(defaults.url())
            ? Venue.sameHost(URI.create(okx.httpBase()), defaults.url())
            : URI.create(okx.publicUrl());
    return new FeedSettings(
        type,
        true,
        url,
        type == DataType.ORDERBOOK_SNAPSHOT ? 200 : defaults.intervalMs(),
        type == DataType.ORDERBOOK_SNAPSHOT ? 5 : 0,
        defaults.snapshotSource(),
        400,
        type == DataType.ORDERBOOK_DELTA
            ? Venue.sameHost(URI.create(okx.httpBase()), defaults.snapshotUrl())
            : null,
        SymbolSelection.of(symbols));
  }

  private void connect(MarketType market, Map<DataType, FeedSettings> feeds) {
    connector =
        new OkxConnector(
            new MarketSettings("okx", market, feeds),
            ConnectorContext.of(transport, sink, Map.of()));
    connector.start();
  }

  private void connectBooks(MarketType market, String... symbols) {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(DataType.ORDERBOOK_DELTA, feed(market, DataType.ORDERBOOK_DELTA, List.of(symbols)));
    connect(market, feeds);
    for (String symbol : symbols) {
      okx.awaitSubscribed("books:" + symbol, WAIT);
    }
  }

  private BookSync sync(String symbol) {
    return connector.bookStreams().syncs().get(symbol);
  }

  /** Waits until the connector's book is live at the fake's last id. */
  private void awaitInSync(String symbol) {
    long seqId = okx.book(symbol).seqId();
    CollectingSink.awaitTrue(
        symbol + " in sync at " + seqId,
        () -> {
          BookSync sync = sync(symbol);
          return sync != null && sync.state() != BookSync.State.SYNCING && sync.bookId() == seqId;
        },
        WAIT);
  }

  private void publish(String symbol, int pushes) {
    for (int i = 0; i < pushes; i++) {
      okx.publishBook(symbol, 1 + i % 4);
    }
  }

  private void assertRebuiltBookEqualsFake(String symbol, String ctVal) {
    OkxBook book = okx.book(symbol);
    OrderBook rebuilt = BookReplay.rebuild(sink.deltas(symbol)).orElseThrow().book();
    assertThat(rebuilt.levels(BookSide.BID)).containsExactlyElementsOf(book.bidLevels(ctVal));
    assertThat(rebuilt.levels(BookSide.ASK)).containsExactlyElementsOf(book.askLevels(ctVal));
  }

  private long updateRows(String symbol) {
    return sink.deltas(symbol).stream().filter(d -> !d.isSnapshot()).count();
  }

  private List<StreamEvent> bookEvents(StreamEventType type) {
    return sink.events(type).stream().filter(e -> e.dataType().equals("orderbook_delta")).toList();
  }

  @Test
  void normalFlowStoresTheStreamSnapshotAndEveryUpdateWithVerifiedChecksums() {
    connectBooks(MarketType.SPOT, BTC, ETH);
    awaitInSync(BTC);
    List<OkxBook.Update> updates = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      updates.add(okx.publishBook(BTC, 1 + i % 4));
    }
    publish(ETH, 20);
    awaitInSync(BTC);
    awaitInSync(ETH);

    long levels = updates.stream().mapToLong(u -> u.bids().size() + u.asks().size()).sum();
    assertThat(updateRows(BTC)).isEqualTo(levels);
    assertThat(sink.deltas(BTC).stream().filter(OrderBookDelta::isSnapshot)).hasSize(80);
    OrderBookDelta first =
        sink.deltas(BTC).stream().filter(d -> !d.isSnapshot()).findFirst().orElseThrow();
    assertThat(first.lastUpdateId()).isEqualTo(updates.get(0).seqId());
    assertThat(first.prevUpdateId()).isEqualTo(updates.get(0).prevSeqId());
    assertThat(first.timestampMicros()).isEqualTo(updates.get(0).ts() * 1000);
    assertThat(bookEvents(StreamEventType.RESYNC))
        .extracting(StreamEvent::symbol)
        .containsExactlyInAnyOrder(BTC, ETH);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(sink.events(StreamEventType.CHECKSUM_MISMATCH)).isEmpty();
    assertThat(sink.events(StreamEventType.CONNECT)).hasSize(1);
    assertThat(sync(BTC).validated()).isEqualTo(40);
    assertRebuiltBookEqualsFake(BTC, "1");
    assertRebuiltBookEqualsFake(ETH, "1");
  }

  @Test
  void aLostPushIsAGapFromTheLastSeqIdToPrevSeqIdThenAResubscribeResyncsTheBook() {
    connectBooks(MarketType.SPOT, BTC);
    awaitInSync(BTC);
    publish(BTC, 5);
    long last = okx.book(BTC).seqId();
    OkxBook.Update lost = okx.dropNextBook(BTC, 2);
    publish(BTC, 5);
    awaitInSync(BTC);
    publish(BTC, 5);
    awaitInSync(BTC);

    assertThat(bookEvents(StreamEventType.GAP))
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.fromUpdateId()).isEqualTo(last + 1);
              assertThat(gap.toUpdateId()).isEqualTo(lost.seqId());
            });
    assertThat(bookEvents(StreamEventType.RESYNC)).hasSize(2);
    assertThat(okx.requestsPerConnection()).containsExactly(3);
    assertRebuiltBookEqualsFake(BTC, "1");
  }

  @Test
  void aDisconnectIsRecordedAndTheNewConnectionReloadsTheBookFromItsSnapshot() {
    connectBooks(MarketType.SPOT, BTC);
    awaitInSync(BTC);
    publish(BTC, 5);
    awaitInSync(BTC);
    okx.disconnectAll();
    sink.await("a second connect", s -> s.events(StreamEventType.CONNECT).size() == 2);
    okx.awaitSubscribed("books:" + BTC, WAIT);
    CollectingSink.awaitTrue(
        "a second resync", () -> bookEvents(StreamEventType.RESYNC).size() == 2, WAIT);
    publish(BTC, 5);
    awaitInSync(BTC);

    assertThat(sink.events(StreamEventType.DISCONNECT)).hasSize(1);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertRebuiltBookEqualsFake(BTC, "1");
  }

  @Test
  void malformedFramesAreRejectedWithTheirReasonAndTheBookStaysLive() {
    connectBooks(MarketType.SPOT, BTC);
    awaitInSync(BTC);
    okx.sendRaw("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"upd");
    okx.sendRaw(
        "{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"update\","
            + "\"data\":[{\"asks\":[[\"abc\",\"1\",\"0\",\"1\"]],\"bids\":[],\"ts\":\"1\","
            + "\"checksum\":0,\"prevSeqId\":1,\"seqId\":2}]}");
    okx.sendRaw("{\"event\":\"error\",\"code\":\"60012\",\"msg\":\"Invalid request\"}");
    okx.sendRaw("pong");
    publish(BTC, 5);
    awaitInSync(BTC);

    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .extracting(StreamEvent::detail)
        .satisfiesExactly(
            detail -> assertThat(detail).startsWith("invalid JSON"),
            detail -> assertThat(detail).startsWith("asks price is not a number: \"abc\""),
            detail -> assertThat(detail).startsWith("error from OKX: code 60012: Invalid request"));
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertRebuiltBookEqualsFake(BTC, "1");
  }

  @Test
  void aRateLimitAnswerIsARateLimitedRowAndPollingGoesOn() {
    okx.rateLimitNext(1);
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(
        DataType.ORDERBOOK_SNAPSHOT,
        feed(MarketType.SPOT, DataType.ORDERBOOK_SNAPSHOT, List.of(BTC)));
    connect(MarketType.SPOT, feeds);
    sink.await("a snapshot row", s -> !s.rows(OrderBookSnapshot.class).isEmpty());

    assertThat(sink.events(StreamEventType.RATE_LIMITED))
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.dataType()).isEqualTo("orderbook_snapshot");
              assertThat(row.detail()).contains("50011");
            });
    OrderBookSnapshot snapshot = sink.rows(OrderBookSnapshot.class).get(0);
    assertThat(snapshot.source()).isEqualTo(SnapshotSource.REST);
    assertThat(snapshot.bids()).hasSize(5);
    assertThat(snapshot.lastUpdateId()).isEqualTo(okx.book(BTC).seqId());
  }

  @Test
  void aHeartbeatMakesNoRowsAndIsNeitherAGapNorADuplicate() {
    connectBooks(MarketType.SPOT, BTC);
    awaitInSync(BTC);
    publish(BTC, 3);
    okx.publishHeartbeat(BTC);
    okx.publishHeartbeat(BTC);
    publish(BTC, 3);
    awaitInSync(BTC);

    assertThat(sync(BTC).validated()).isEqualTo(8);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(bookEvents(StreamEventType.RESYNC)).hasSize(1);
    assertRebuiltBookEqualsFake(BTC, "1");
  }

  @Test
  void seqIdsGoingDownAfterMaintenanceAreFollowedWithoutAGap() {
    connectBooks(MarketType.SPOT, BTC);
    awaitInSync(BTC);
    publish(BTC, 5);
    long before = okx.book(BTC).seqId();
    okx.restartIds(BTC);
    publish(BTC, 5);
    awaitInSync(BTC);

    assertThat(okx.book(BTC).seqId()).isLessThan(before);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(bookEvents(StreamEventType.RESYNC)).hasSize(1);
    assertThat(sync(BTC).validated()).isEqualTo(10);
    assertRebuiltBookEqualsFake(BTC, "1");
  }

  @Test
  void aBadChecksumIsAChecksumMismatchRowAndTheBookIsResynced() {
    connectBooks(MarketType.SPOT, BTC);
    awaitInSync(BTC);
    publish(BTC, 3);
    okx.badChecksumNext();
    OkxBook.Update bad = okx.publishBook(BTC, 2);
    CollectingSink.awaitTrue(
        "a second resync", () -> bookEvents(StreamEventType.RESYNC).size() == 2, WAIT);
    publish(BTC, 3);
    awaitInSync(BTC);

    assertThat(sink.events(StreamEventType.CHECKSUM_MISMATCH))
        .singleElement()
        .satisfies(row -> assertThat(row.toUpdateId()).isEqualTo(bad.seqId()));
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertRebuiltBookEqualsFake(BTC, "1");
  }

  @Test
  void checksumZeroThroughoutIsNoChecksumAndTheBookIsValidatedBySeqIdAlone() {
    okx.sendChecksumZero();
    connectBooks(MarketType.SPOT, BTC);
    awaitInSync(BTC);
    publish(BTC, 20);
    awaitInSync(BTC);

    assertThat(sink.events(StreamEventType.CHECKSUM_MISMATCH)).isEmpty();
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(sync(BTC).validated()).isEqualTo(20);
    assertRebuiltBookEqualsFake(BTC, "1");
  }

  @Test
  void withoutAnInStreamSnapshotTheBookIsSeededFromRestAndStitchedToTheBufferedPushes() {
    okx.stopStreamSnapshots();
    connectBooks(MarketType.SPOT, BTC);
    publish(BTC, 5);
    awaitInSync(BTC);
    publish(BTC, 5);
    awaitInSync(BTC);

    assertThat(bookEvents(StreamEventType.RESYNC))
        .singleElement()
        .satisfies(row -> assertThat(row.detail()).startsWith("book loaded from a snapshot of"));
    assertThat(okx.restRequests("/api/v5/market/books")).isEqualTo(1);
    assertThat(updateRows(BTC)).isPositive();
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertRebuiltBookEqualsFake(BTC, "1");
  }

  @Test
  void aRestSeedOlderThanTheBufferedPushesIsFetchedAgain() {
    okx.stopStreamSnapshots();
    publish(BTC, 5); // before anyone subscribes: the stale answer predates every push received
    okx.staleBooksNext(BTC, 50, 1); // from before the subscription
    connectBooks(MarketType.SPOT, BTC);
    publish(BTC, 5);
    awaitInSync(BTC);
    publish(BTC, 3);
    awaitInSync(BTC);

    assertThat(okx.restRequests("/api/v5/market/books")).isEqualTo(2);
    assertThat(bookEvents(StreamEventType.RESYNC)).hasSize(1);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertRebuiltBookEqualsFake(BTC, "1");
  }

  @Test
  void aRestSeedAheadOfThePushesInFlightWaitsForThePushThatStraddlesIt() {
    okx.stopStreamSnapshots();
    connectBooks(MarketType.SPOT, BTC);
    okx.publishBook(BTC, 2);
    CollectingSink.awaitTrue("a buffered push", () -> updateRows(BTC) > 0, WAIT);
    okx.stall(Duration.ofMillis(800));
    publish(BTC, 6);
    CollectingSink.awaitTrue(
        "a REST seed", () -> okx.restRequests("/api/v5/market/books") > 0, WAIT);
    awaitInSync(BTC);
    publish(BTC, 3);
    awaitInSync(BTC);

    assertThat(bookEvents(StreamEventType.RESYNC)).hasSize(1);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertRebuiltBookEqualsFake(BTC, "1");
  }

  @Test
  void swapSizesInContractsAreStoredTimesCtVal() {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    for (DataType type : DataType.values()) {
      feeds.put(type, feed(MarketType.FUTURE, type, List.of(SWAP)));
    }
    okx.setOpenInterest(SWAP, "12345", "1234.5");
    okx.setFundingRate(SWAP, "0.0001", 1_800_000_000_000L);
    connect(MarketType.FUTURE, feeds);
    okx.awaitSubscribed("books:" + SWAP, WAIT);
    okx.awaitSubscribed("trades:" + SWAP, WAIT);
    okx.awaitSubscribed("liquidation-orders:SWAP", WAIT);
    awaitInSync(SWAP);
    publish(SWAP, 10);
    okx.publishTrade(SWAP, "sell", "3000.5", "7");
    okx.publishLiquidation(SWAP, "buy", "3001.5", "13", 1_700_000_000_000L);
    okx.publishLiquidation("ETH-USDT-SWAP", "sell", "2999", "2", 1_700_000_000_001L);
    awaitInSync(SWAP);
    sink.await(
        "every table",
        s ->
            !s.rows(Trade.class).isEmpty()
                && s.rows(Liquidation.class).size() == 2
                && !s.rows(OpenInterest.class).isEmpty()
                && !s.rows(FundingRate.class).isEmpty()
                && !s.rows(Contract.class).isEmpty()
                && !s.rows(OrderBookSnapshot.class).isEmpty());

    assertRebuiltBookEqualsFake(SWAP, "0.1");
    Trade trade = sink.rows(Trade.class).get(0);
    assertThat(trade.quantity()).isEqualTo(0.7);
    assertThat(trade.side()).isEqualTo(TradeSide.SELL);
    assertThat(sink.rows(Liquidation.class))
        .extracting(Liquidation::side, Liquidation::price, Liquidation::quantity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(TradeSide.BUY, 3001.5, 1.3),
            org.assertj.core.groups.Tuple.tuple(TradeSide.SELL, 2999.0, 0.2));
    assertThat(sink.rows(OpenInterest.class).get(0).openInterest()).isEqualTo(1234.5);
    assertThat(sink.rows(FundingRate.class).get(0).fundingTimeMs()).isEqualTo(1_800_000_000_000L);
    Contract contract = sink.rows(Contract.class).get(0);
    assertThat(contract.contractSize()).isEqualTo(0.1);
    assertThat(contract.baseAsset()).isEqualTo("ETH");
    assertThat(contract.quoteAsset()).isEqualTo("USDT");
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
  }

  @Test
  void whenTheResubscribeAfterAGapBringsNoSnapshotTheBookIsSeededFromRest() {
    connectBooks(MarketType.SPOT, BTC);
    awaitInSync(BTC);
    okx.stopStreamSnapshots();
    publish(BTC, 3);
    okx.dropNextBook(BTC, 2);
    publish(BTC, 3);
    CollectingSink.awaitTrue(
        "a REST seed after the resubscribe",
        () -> okx.restRequests("/api/v5/market/books") == 1,
        WAIT);
    publish(BTC, 3);
    awaitInSync(BTC);

    assertThat(okx.requestsPerConnection()).containsExactly(3);
    assertThat(bookEvents(StreamEventType.GAP)).hasSize(1);
    assertThat(bookEvents(StreamEventType.RESYNC))
        .extracting(StreamEvent::detail)
        .satisfiesExactly(
            first -> assertThat(first).startsWith("book loaded from the stream's snapshot"),
            second -> assertThat(second).startsWith("book loaded from a snapshot of"));
    assertRebuiltBookEqualsFake(BTC, "1");
  }

  @Test
  void theSubscribeRequestNamesEachChannelByInstIdAndLiquidationsByInstType() {
    OkxStreams streams =
        new OkxStreams(
            URI.create(okx.publicUrl()),
            200,
            dev.lake.exchanges.transport.WebSocketSession.Options.defaults("test"));

    assertThat(streams.subscribe(List.of("books:BTC-USDT", "liquidation-orders:SWAP"), 7))
        .isEqualTo(
            "{\"id\":\"7\",\"op\":\"subscribe\",\"args\":[{\"channel\":\"books\","
                + "\"instId\":\"BTC-USDT\"},{\"channel\":\"liquidation-orders\","
                + "\"instType\":\"SWAP\"}]}");
    assertThat(streams.requestsPerHour()).isEqualTo(480);
    assertThat(streams.keepalive().interval()).isLessThan(Duration.ofSeconds(30));
    assertThat(streams.keepalive().frame().apply(1)).isEqualTo("ping");
  }

  @Test
  void symbolsAllTakesTheLiveInstrumentsNarrowedByQuoteAssetsAndMaxSymbols() {
    okx.addSpot("ETH-BTC", "ETH", "BTC", 10);
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(
        DataType.ORDERBOOK_DELTA,
        feed(MarketType.SPOT, DataType.ORDERBOOK_DELTA, List.of())
            .withSymbols(new SymbolSelection(List.of(), true, List.of("USDT"), 1)));
    connect(MarketType.SPOT, feeds);
    CollectingSink.awaitTrue(
        "a book of symbols: all", () -> !connector.bookStreams().syncs().isEmpty(), WAIT);
    String chosen = connector.bookStreams().syncs().keySet().iterator().next();
    okx.awaitSubscribed("books:" + chosen, WAIT);
    awaitInSync(chosen);

    assertThat(connector.bookStreams().syncs()).hasSize(1);
    assertThat(chosen).isIn(BTC, ETH);
  }

  @Test
  void newConnectionsAreSpacedToOkxsThreeASecond() {
    OkxStreams streams =
        new OkxStreams(
            URI.create(okx.publicUrl()),
            200,
            dev.lake.exchanges.transport.WebSocketSession.Options.defaults("test"));
    long start = System.nanoTime();
    var first = streams.connectStep().toCompletableFuture();
    var second = streams.connectStep().toCompletableFuture();
    var third = streams.connectStep().toCompletableFuture();
    third.join();

    assertThat(first.join()).isEqualTo(streams.url());
    assertThat(second.join()).isEqualTo(streams.url());
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(650));
  }
}
