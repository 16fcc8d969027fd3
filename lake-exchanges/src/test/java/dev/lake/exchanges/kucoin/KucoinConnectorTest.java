package dev.lake.exchanges.kucoin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.Contract;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import dev.lake.exchanges.CollectingSink;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.Credentials;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.SymbolSelection;
import dev.lake.exchanges.book.BookReplay;
import dev.lake.exchanges.book.BookSync;
import dev.lake.exchanges.book.OrderBook;
import dev.lake.exchanges.transport.Transport;
import dev.lake.testing.kucoin.FakeKucoin;
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
 * The KuCoin connector against a fake KuCoin on loopback speaking its public protocol (bullet
 * token, welcome, subscribe and ack, ping and pong): which rows land for normal flow, a lost
 * message, a futures sequence jump, a price "0" placeholder, a spot message straddling the seed, a
 * disconnect, malformed frames, a 429000 answer, failing and rejected tokens, and the other feeds;
 * and that the book rebuilt from the delta rows by {@link BookReplay} equals the server's book.
 */
class KucoinConnectorTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SPOT = "BTC-USDT";
  private static final String FUTURE = "XBTUSDTM";
  private static final int DEEP_LEVELS = 250;
  private static final String API_KEY = "kc-key-5d1f";
  private static final String API_SECRET = "kc-secret-9b2e7f";
  private static final String API_PASSPHRASE = "kc-pass-4a6c";

  private FakeKucoin kucoin;
  private Transport transport;
  private CollectingSink sink;
  private KucoinConnector connector;

  @BeforeEach
  void start() {
    kucoin = FakeKucoin.start();
    kucoin.addSymbol(MarketType.SPOT, SPOT, 60000);
    kucoin.addSymbol(MarketType.SPOT, "ETH-USDT", 3000);
    kucoin.addSymbol(MarketType.FUTURE, FUTURE, 60000);
    transport = Transport.create(2);
    sink = new CollectingSink();
  }

  @AfterEach
  void stop() {
    if (connector != null) {
      connector.close();
    }
    transport.close();
    kucoin.close();
  }

  private FeedSettings feed(MarketType market, DataType type, String... symbols) {
    FeedSettings defaults = new KucoinVenue().defaults(market, type);
    String host = kucoin.httpBase(market);
    return new FeedSettings(
        type,
        true,
        URI.create(host + defaults.url().getPath()),
        type == DataType.ORDERBOOK_DELTA || type == DataType.TRADES ? 0 : 300,
        type == DataType.ORDERBOOK_SNAPSHOT ? 100 : 0,
        defaults.snapshotSource(),
        0,
        defaults.snapshotUrl() == null ? null : URI.create(host + defaults.snapshotUrl().getPath()),
        SymbolSelection.of(List.of(symbols)));
  }

  private void connect(MarketType market, FeedSettings... feeds) {
    connect(market, null, feeds);
  }

  private void connect(MarketType market, Credentials credentials, FeedSettings... feeds) {
    Map<DataType, FeedSettings> byType = new EnumMap<>(DataType.class);
    for (FeedSettings feed : feeds) {
      byType.put(feed.type(), feed);
    }
    connector =
        new KucoinConnector(
            new MarketSettings("kucoin", market, byType, credentials),
            ConnectorContext.of(transport, sink, Map.of()));
    connector.start();
  }

  /** Spot books of deep symbols, seeded with credentials. */
  private void connectSignedBooks(Credentials credentials, String... symbols) {
    for (String symbol : symbols) {
      kucoin.addSymbol(MarketType.SPOT, symbol, 60000, DEEP_LEVELS);
    }
    kucoin.issueApiKey(API_KEY, API_SECRET, API_PASSPHRASE);
    connect(MarketType.SPOT, credentials, feed(MarketType.SPOT, DataType.ORDERBOOK_DELTA, symbols));
    for (String symbol : symbols) {
      kucoin.awaitSubscribed(topic(MarketType.SPOT, symbol), WAIT);
    }
  }

  private static String topic(MarketType market, String symbol) {
    return (market == MarketType.SPOT ? "/market/level2:" : "/contractMarket/level2:") + symbol;
  }

  private void connectBooks(MarketType market, String... symbols) {
    connect(market, feed(market, DataType.ORDERBOOK_DELTA, symbols));
    for (String symbol : symbols) {
      kucoin.awaitSubscribed(topic(market, symbol), WAIT);
    }
  }

  private void publish(MarketType market, String symbol, int messages) {
    for (int i = 0; i < messages; i++) {
      kucoin.publishDepth(market, symbol);
    }
  }

  private void awaitInSync(MarketType market, String symbol) {
    CollectingSink.awaitTrue(
        symbol + " in sync",
        () -> {
          BookSync sync = connector.bookStreams().syncs().get(symbol);
          return sync != null
              && sync.state() != BookSync.State.SYNCING
              && sync.bookId() == kucoin.book(market, symbol).sequence;
        },
        WAIT);
  }

  private void assertRebuiltBookEqualsServer(MarketType market, String symbol) {
    FakeKucoin.Book server = kucoin.book(market, symbol);
    double size = market == MarketType.SPOT ? 1 : 1000;
    OrderBook rebuilt = BookReplay.rebuild(sink.deltas(symbol)).orElseThrow().book();
    assertThat(rebuilt.levels(BookSide.BID))
        .containsExactlyElementsOf(levels(server.bids.descendingMap(), size));
    assertThat(rebuilt.levels(BookSide.ASK)).containsExactlyElementsOf(levels(server.asks, size));
    OrderBook live = connector.bookStreams().syncs().get(symbol).book();
    assertThat(live.levels(BookSide.BID)).isEqualTo(rebuilt.levels(BookSide.BID));
  }

  private static List<PriceLevel> levels(NavigableMap<Double, Double> side, double divisor) {
    return side.entrySet().stream()
        .map(e -> new PriceLevel(e.getKey(), e.getValue() / divisor))
        .toList();
  }

  private List<OrderBookDelta> updates(String symbol) {
    return sink.deltas(symbol).stream().filter(d -> !d.isSnapshot()).toList();
  }

  @Test
  void spotBooksAreSeededFromLevel2AndEveryDeltaIsValidatedAndStored() {
    connectBooks(MarketType.SPOT, SPOT, "ETH-USDT");
    publish(MarketType.SPOT, SPOT, 30);
    publish(MarketType.SPOT, "ETH-USDT", 10);
    awaitInSync(MarketType.SPOT, SPOT);
    awaitInSync(MarketType.SPOT, "ETH-USDT");

    assertThat(updates(SPOT)).hasSize(30);
    assertThat(sink.events(StreamEventType.RESYNC))
        .extracting(StreamEvent::symbol)
        .containsExactlyInAnyOrder(SPOT, "ETH-USDT");
    assertThat(sink.events(StreamEventType.RESYNC))
        .allSatisfy(
            resync ->
                assertThat(resync.detail())
                    .contains("public top-100 seed: the book is exact near the top only"));
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(sink.events(StreamEventType.CONNECT)).hasSize(1);
    assertRebuiltBookEqualsServer(MarketType.SPOT, SPOT);
    assertRebuiltBookEqualsServer(MarketType.SPOT, "ETH-USDT");
  }

  @Test
  void withCredentialsASpotBookIsSeededFromTheSignedFullDepthBookAndKeepsEveryLevel() {
    connectSignedBooks(new Credentials(API_KEY, API_SECRET, API_PASSPHRASE), "DEEP-USDT");
    publish(MarketType.SPOT, "DEEP-USDT", 30);
    awaitInSync(MarketType.SPOT, "DEEP-USDT");

    assertThat(kucoin.signedBooksServed()).isEqualTo(1);
    assertThat(kucoin.server(MarketType.SPOT).requests("/api/v1/market/orderbook/level2_100"))
        .isEmpty();
    assertThat(sink.events(StreamEventType.RESYNC))
        .singleElement()
        .satisfies(
            resync ->
                assertThat(resync.detail())
                    .contains("snapshot of " + DEEP_LEVELS + " bids and " + DEEP_LEVELS + " asks")
                    .doesNotContain("exact near the top only"));
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
    assertThat(connector.bookStreams().syncs().get("DEEP-USDT").book().levels(BookSide.BID))
        .hasSizeGreaterThan(100);
    assertRebuiltBookEqualsServer(MarketType.SPOT, "DEEP-USDT");
  }

  @Test
  void aWrongSecretIsRefusedByKucoinRecordedOnceAndBooksFallBackToThePublicTop100() {
    connectSignedBooks(
        new Credentials(API_KEY, "not-the-secret", API_PASSPHRASE), "DEEP-USDT", "WIDE-USDT");
    publish(MarketType.SPOT, "DEEP-USDT", 10);
    publish(MarketType.SPOT, "WIDE-USDT", 10);
    awaitInSync(MarketType.SPOT, "DEEP-USDT");
    awaitInSync(MarketType.SPOT, "WIDE-USDT");

    assertThat(kucoin.signedBooksServed()).isZero();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .singleElement()
        .satisfies(
            rejected ->
                assertThat(rejected.detail())
                    .startsWith(
                        "KuCoin refused the signed full-depth book request (HTTP 401, code"
                            + " 400004: the passphrase, or the secret that signs it, is wrong):"
                            + " expected source.kucoin.spot.credentials to hold the key, secret"
                            + " and passphrase of one KuCoin API key (version 2)"));
    assertThat(sink.events(StreamEventType.RESYNC))
        .hasSize(2)
        .allSatisfy(
            resync ->
                assertThat(resync.detail())
                    .contains("public top-100 seed: the book is exact near the top only")
                    .contains("KuCoin refused the signed full-depth seed"));
    assertThat(connector.bookStreams().syncs().get("DEEP-USDT").book().levels(BookSide.BID))
        .containsExactlyElementsOf(
            levels(kucoin.book(MarketType.SPOT, "DEEP-USDT").bids.descendingMap(), 1)
                .subList(0, 100));
  }

  @Test
  void neitherTheSecretNorThePassphraseReachesAnyRowWhenKucoinRefusesThem() {
    connectSignedBooks(
        new Credentials(API_KEY, "wrong-secret-77e1", "wrong-pass-31c9"), "DEEP-USDT");
    publish(MarketType.SPOT, "DEEP-USDT", 3);
    awaitInSync(MarketType.SPOT, "DEEP-USDT");

    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .singleElement()
        .satisfies(r -> assertThat(r.detail()).contains("code 400004"));
    for (LakeRow row : sink.rows()) {
      assertThat(row.toString())
          .doesNotContain("wrong-secret-77e1")
          .doesNotContain("wrong-pass-31c9")
          .doesNotContain(API_KEY);
    }
  }

  @Test
  void theTokenNeverReachesStreamEventsAndEveryConnectAsksForANewOne() {
    connectBooks(MarketType.SPOT, SPOT);
    publish(MarketType.SPOT, SPOT, 3);
    awaitInSync(MarketType.SPOT, SPOT);
    kucoin.connections(MarketType.SPOT).forEach(c -> c.disconnect());
    CollectingSink.awaitTrue("a reconnect", () -> kucoin.tokensIssued() >= 2, WAIT);
    kucoin.awaitSubscribed(topic(MarketType.SPOT, SPOT), WAIT);
    sink.await("two connect rows", s -> s.events(StreamEventType.CONNECT).size() == 2);

    for (LakeRow row : sink.rows()) {
      assertThat(row.toString()).doesNotContain("SECRET");
    }
  }

  @Test
  void theClientPingsAtTheTokensIntervalAndSubscribesOnlyAfterWelcome() {
    connectBooks(MarketType.SPOT, SPOT);

    CollectingSink.awaitTrue("two pings", () -> kucoin.pings() >= 2, WAIT);
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
  }

  @Test
  void aSpotBookSeededFromTheTop20KeepsNoLevelBeyondIt() {
    FeedSettings delta = feed(MarketType.SPOT, DataType.ORDERBOOK_DELTA, SPOT);
    delta =
        delta.withSnapshotUrl(
            URI.create(kucoin.httpBase(MarketType.SPOT) + "/api/v1/market/orderbook/level2_20"));
    connect(MarketType.SPOT, delta);
    kucoin.awaitSubscribed(topic(MarketType.SPOT, SPOT), WAIT);
    publish(MarketType.SPOT, SPOT, 6);
    awaitInSync(MarketType.SPOT, SPOT);

    OrderBook live = connector.bookStreams().syncs().get(SPOT).book();
    assertThat(live.levels(BookSide.BID))
        .hasSize(20)
        .containsExactlyElementsOf(
            levels(kucoin.book(MarketType.SPOT, SPOT).bids.descendingMap(), 1).subList(0, 20));
    assertThat(sink.events(StreamEventType.RESYNC).get(0).detail()).contains("top-20");
  }

  @Test
  void aPriceZeroPlaceholderAdvancesTheSequenceAndMakesNoRow() {
    connectBooks(MarketType.SPOT, SPOT);
    publish(MarketType.SPOT, SPOT, 3);
    awaitInSync(MarketType.SPOT, SPOT);
    long placeholder = kucoin.publishPlaceholder(SPOT);
    publish(MarketType.SPOT, SPOT, 2);
    awaitInSync(MarketType.SPOT, SPOT);

    assertThat(updates(SPOT))
        .extracting(OrderBookDelta::lastUpdateId)
        .doesNotContain(placeholder)
        .hasSize(5);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertRebuiltBookEqualsServer(MarketType.SPOT, SPOT);
  }

  @Test
  void aSpotMessageStraddlingTheBooksSequenceAppliesItsChangesInSequenceOrder() {
    connectBooks(MarketType.SPOT, SPOT);
    publish(MarketType.SPOT, SPOT, 5);
    awaitInSync(MarketType.SPOT, SPOT);
    long end = kucoin.publishStraddling(SPOT, 3);
    publish(MarketType.SPOT, SPOT, 1);
    awaitInSync(MarketType.SPOT, SPOT);

    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(updates(SPOT)).extracting(OrderBookDelta::lastUpdateId).contains(end);
    assertRebuiltBookEqualsServer(MarketType.SPOT, SPOT);
  }

  @Test
  void aLostSpotMessageIsAGapWithTheMissingSequencesAndTheBookIsSeededAgain() {
    connectBooks(MarketType.SPOT, SPOT);
    publish(MarketType.SPOT, SPOT, 3);
    awaitInSync(MarketType.SPOT, SPOT);
    long lost = kucoin.dropDepth(MarketType.SPOT, SPOT);
    publish(MarketType.SPOT, SPOT, 4);
    awaitInSync(MarketType.SPOT, SPOT);

    assertThat(sink.events(StreamEventType.GAP))
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.fromUpdateId()).isEqualTo(lost);
              assertThat(gap.toUpdateId()).isEqualTo(lost);
            });
    assertThat(sink.events(StreamEventType.RESYNC)).hasSize(2);
    assertRebuiltBookEqualsServer(MarketType.SPOT, SPOT);
  }

  @Test
  void futuresBooksConvertContractsByTheMultiplierAndASequenceJumpIsAGap() {
    connectBooks(MarketType.FUTURE, FUTURE);
    publish(MarketType.FUTURE, FUTURE, 6);
    awaitInSync(MarketType.FUTURE, FUTURE);
    long lost = kucoin.dropDepth(MarketType.FUTURE, FUTURE);
    publish(MarketType.FUTURE, FUTURE, 5);
    awaitInSync(MarketType.FUTURE, FUTURE);

    assertThat(sink.events(StreamEventType.GAP))
        .singleElement()
        .satisfies(gap -> assertThat(gap.fromUpdateId()).isEqualTo(lost));
    assertThat(updates(FUTURE))
        .allSatisfy(d -> assertThat(d.firstUpdateId()).isEqualTo(d.lastUpdateId()));
    assertRebuiltBookEqualsServer(MarketType.FUTURE, FUTURE);
  }

  @Test
  void aDisconnectIsRecordedAndTheBookIsSeededAgainOnTheNewConnection() {
    connectBooks(MarketType.SPOT, SPOT);
    publish(MarketType.SPOT, SPOT, 3);
    awaitInSync(MarketType.SPOT, SPOT);
    kucoin.connections(MarketType.SPOT).forEach(c -> c.disconnect());
    sink.await("a disconnect row", s -> !s.events(StreamEventType.DISCONNECT).isEmpty());
    kucoin.awaitSubscribed(topic(MarketType.SPOT, SPOT), WAIT);
    sink.await("a second connect", s -> s.events(StreamEventType.CONNECT).size() == 2);
    publish(MarketType.SPOT, SPOT, 3);
    awaitInSync(MarketType.SPOT, SPOT);

    assertThat(sink.events(StreamEventType.DISCONNECT)).hasSize(1);
    assertRebuiltBookEqualsServer(MarketType.SPOT, SPOT);
  }

  @Test
  void malformedFramesAreRejectedWithTheirReason() {
    connectBooks(MarketType.SPOT, SPOT);
    publish(MarketType.SPOT, SPOT, 2);
    awaitInSync(MarketType.SPOT, SPOT);
    kucoin.sendRaw(MarketType.SPOT, "{\"type\":\"message\",\"topic\":\"/market/level2:BTC-US");
    kucoin.sendRaw(
        MarketType.SPOT,
        "{\"type\":\"message\",\"topic\":\"/market/level2:BTC-USDT\",\"subject\":"
            + "\"trade.l2update\",\"data\":{\"symbol\":\"BTC-USDT\",\"changes\":{}}}");
    sink.await("two rejections", s -> s.events(StreamEventType.REJECTED_MESSAGE).size() == 2);

    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .extracting(StreamEvent::detail)
        .anySatisfy(d -> assertThat(d).contains("invalid JSON"))
        .anySatisfy(d -> assertThat(d).contains("without sequenceStart and sequenceEnd"));
  }

  @Test
  void aRateLimitedSeedIsRetriedAndTheBookSyncs() {
    kucoin.rateLimitBooks(1);
    connectBooks(MarketType.SPOT, SPOT);
    publish(MarketType.SPOT, SPOT, 3);
    CollectingSink.awaitTrue(
        "the seed asked twice",
        () ->
            kucoin.server(MarketType.SPOT).requests("/api/v1/market/orderbook/level2_100").size()
                >= 2,
        Duration.ofSeconds(60));
    // The retried seed may be answered after every published message; it then waits (ALIGNING)
    // for one that straddles it, so publish only once the snapshot is loaded.
    CollectingSink.awaitTrue(
        "the snapshot loaded",
        () -> connector.bookStreams().syncs().get(SPOT).state() != BookSync.State.SYNCING,
        Duration.ofSeconds(60));
    publish(MarketType.SPOT, SPOT, 1);
    CollectingSink.awaitTrue(
        "in sync",
        () -> {
          BookSync sync = connector.bookStreams().syncs().get(SPOT);
          return sync.state() == BookSync.State.LIVE;
        },
        Duration.ofSeconds(60));

    assertThat(sink.events(StreamEventType.RATE_LIMITED)).isNotEmpty();
  }

  @Test
  void aFailingTokenRequestIsRetriedBeforeConnecting() {
    kucoin.failBullets(2);
    connectBooks(MarketType.SPOT, SPOT);

    assertThat(kucoin.server(MarketType.SPOT).requests("/api/v1/bullet-public")).hasSize(3);
    assertThat(sink.events(StreamEventType.CONNECT)).hasSize(1);
  }

  @Test
  void aRejectedTokenIsAnErrorRowAndTheNextConnectAsksForANewToken() {
    kucoin.rejectTokens(true);
    connect(MarketType.SPOT, feed(MarketType.SPOT, DataType.ORDERBOOK_DELTA, SPOT));
    sink.await(
        "the error frame",
        s ->
            s.events(StreamEventType.REJECTED_MESSAGE).stream()
                .anyMatch(e -> e.detail().contains("token is invalid")));
    kucoin.rejectTokens(false);
    kucoin.awaitSubscribed(topic(MarketType.SPOT, SPOT), WAIT);

    assertThat(kucoin.tokensIssued()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void tradesLandWithTheTakersSideAndFuturesSizesInCoins() {
    connect(MarketType.FUTURE, feed(MarketType.FUTURE, DataType.TRADES, FUTURE));
    kucoin.awaitSubscribed("/contractMarket/execution:" + FUTURE, WAIT);
    // awaitSubscribed covers the execution topic through the session's topics
    kucoin.publishTrade(MarketType.FUTURE, FUTURE, "sell", 60000.5, 20);
    sink.await("a trade", s -> s.rows(Trade.class).size() == 1);

    Trade trade = sink.rows(Trade.class).get(0);
    assertThat(trade.side()).isEqualTo(TradeSide.SELL);
    assertThat(trade.quantity()).isEqualTo(0.02);
    assertThat(trade.price()).isEqualTo(60000.5);
  }

  @Test
  void contractsOpenInterestAndFundingArePolled() {
    connect(
        MarketType.FUTURE,
        feed(MarketType.FUTURE, DataType.CONTRACTS),
        feed(MarketType.FUTURE, DataType.OPEN_INTEREST, FUTURE),
        feed(MarketType.FUTURE, DataType.FUNDING_RATE, FUTURE));
    sink.await(
        "one row of each",
        s ->
            !s.rows(Contract.class).isEmpty()
                && !s.rows(OpenInterest.class).isEmpty()
                && !s.rows(FundingRate.class).isEmpty());

    Contract contract = sink.rows(Contract.class).get(0);
    assertThat(contract.baseAsset()).isEqualTo("XBT");
    assertThat(contract.contractSize()).isEqualTo(0.001);
    assertThat(sink.rows(OpenInterest.class).get(0).openInterest()).isEqualTo(9876.432);
    assertThat(sink.rows(FundingRate.class).get(0).fundingRate()).isEqualTo(0.0001);
  }

  @Test
  void symbolsAllResolvesFromTheSpotSymbolsWithQuoteAssetsAndMaxSymbols() {
    kucoin.addSymbol(MarketType.SPOT, "SOL-USDC", 150);
    kucoin.addSymbol(MarketType.SPOT, "ADA-USDC", 1);
    FeedSettings trades =
        feed(MarketType.SPOT, DataType.TRADES)
            .withSymbols(new SymbolSelection(List.of(), true, List.of("usdc"), 1));
    connect(MarketType.SPOT, trades);
    kucoin.awaitSubscribed("/market/match:ADA-USDC", WAIT);
    kucoin.publishTrade(MarketType.SPOT, "ADA-USDC", "buy", 1.5, 10);
    sink.await("a trade", s -> s.rows(Trade.class).size() == 1);

    assertThat(connector.eventFeeds().get(0).topics()).containsExactly("/market/match:ADA-USDC");
    assertThat(sink.rows(Trade.class).get(0).side()).isEqualTo(TradeSide.BUY);
  }
}
