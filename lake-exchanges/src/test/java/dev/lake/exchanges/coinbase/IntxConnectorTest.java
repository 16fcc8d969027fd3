package dev.lake.exchanges.coinbase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.Contract;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.OrderBookDelta;
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
import dev.lake.exchanges.Venue;
import dev.lake.exchanges.book.BookReplay;
import dev.lake.exchanges.transport.Transport;
import dev.lake.testing.coinbase.CoinbaseBook;
import dev.lake.testing.coinbase.FakeIntx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Coinbase {@code future} (INTX perpetuals) connector against a fake INTX on loopback that
 * checks every subscription's signature: books and a {@code sequence} break, a refused signature,
 * trades, open interest (a RISK message without it makes no row), settled and predicted funding,
 * instruments.
 */
class IntxConnectorTest {
  private static final String BTC = "BTC-PERP";
  private static final String ETH = "ETH-PERP";
  private static final String KEY = "intx-key";
  private static final String SECRET =
      Base64.getEncoder().encodeToString("intx-secret".getBytes(StandardCharsets.UTF_8));
  private static final String PASSPHRASE = "intx-pass";
  private static final Duration WAIT = Duration.ofSeconds(15);

  private FakeIntx intx;
  private Transport transport;
  private CollectingSink sink;
  private CoinbaseConnector connector;

  @BeforeEach
  void start() {
    intx = FakeIntx.start(KEY, SECRET, PASSPHRASE);
    intx.addPerpetual(BTC, 20);
    intx.addPerpetual(ETH, 20);
    transport = Transport.create(2);
    sink = new CollectingSink();
  }

  @AfterEach
  void stop() {
    if (connector != null) {
      connector.close();
    }
    transport.close();
    intx.close();
  }

  private FeedSettings feed(DataType type, List<String> symbols, long intervalMs) {
    FeedSettings defaults = new CoinbaseVenue().defaults(MarketType.FUTURE, type);
    URI url =
        CoinbaseVenue.isHttp(defaults.url())
            ? Venue.sameHost(URI.create(intx.httpBase()), defaults.url())
            : URI.create(intx.wsUrl());
    return new FeedSettings(
        type,
        true,
        url,
        intervalMs,
        0,
        defaults.snapshotSource(),
        0,
        null,
        SymbolSelection.of(symbols));
  }

  private void connect(Credentials credentials, DataType... types) {
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(DataType.CONTRACTS, feed(DataType.CONTRACTS, List.of(), 3_600_000));
    for (DataType type : types) {
      feeds.put(type, feed(type, List.of(BTC, ETH), 0));
    }
    connector =
        new CoinbaseConnector(
            new MarketSettings("coinbase", MarketType.FUTURE, feeds, credentials),
            ConnectorContext.of(transport, sink, Map.of()));
    connector.start();
  }

  private void connect(DataType... types) {
    connect(new Credentials(KEY, SECRET, PASSPHRASE), types);
  }

  private boolean equalsFake(String symbol) {
    CoinbaseBook book = intx.book(symbol);
    return BookReplay.rebuild(sink.deltas(symbol))
        .map(BookReplay.Rebuilt::book)
        .map(
            rebuilt ->
                rebuilt.levels(BookSide.BID).equals(book.bidLevels())
                    && rebuilt.levels(BookSide.ASK).equals(book.askLevels()))
        .orElse(false);
  }

  private void awaitRebuiltEqualsFake(String symbol) {
    CollectingSink.awaitTrue(
        symbol + " rebuilt equal to the fake's", () -> equalsFake(symbol), WAIT);
  }

  private long loads(String symbol) {
    return sink.events(StreamEventType.RESYNC).stream()
        .filter(e -> symbol.equals(e.symbol()))
        .count();
  }

  private void awaitLoads(String symbol, long count) {
    CollectingSink.awaitTrue(count + " loads of " + symbol, () -> loads(symbol) >= count, WAIT);
  }

  @Test
  void signedSubscriptionsBringSnapshotsAndEveryUpdateIsStored() {
    connect(DataType.ORDERBOOK_DELTA);
    awaitLoads(BTC, 1);
    awaitLoads(ETH, 1);
    for (int i = 0; i < 20; i++) {
      intx.publishBook(BTC, 2);
      intx.publishBook(ETH, 1);
    }
    awaitRebuiltEqualsFake(BTC);
    awaitRebuiltEqualsFake(ETH);

    assertThat(intx.rejectedSubscriptions()).isZero();
    assertThat(intx.requests()).allMatch(r -> r.contains("\"signature\":\""));
    assertThat(sink.deltas(BTC).stream().filter(d -> !d.isSnapshot())).hasSize(40);
    assertThat(sink.deltas(BTC).stream().filter(OrderBookDelta::isSnapshot)).hasSize(40);
    assertThat(sink.events(StreamEventType.GAP)).isEmpty();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
  }

  @Test
  void aBreakInTheConnectionsSequenceResyncsEveryBookWithAGapRow() {
    connect(DataType.ORDERBOOK_DELTA);
    awaitLoads(BTC, 1);
    awaitLoads(ETH, 1);
    intx.dropNext(1);
    intx.publishBook(BTC, 2);
    intx.publishBook(ETH, 2);
    awaitLoads(BTC, 2);
    awaitLoads(ETH, 2);
    intx.publishBook(ETH, 2);
    awaitRebuiltEqualsFake(BTC);
    awaitRebuiltEqualsFake(ETH);

    assertThat(sink.events(StreamEventType.GAP))
        .extracting(StreamEvent::symbol)
        .containsExactlyInAnyOrder(BTC, ETH);
    assertThat(sink.events(StreamEventType.GAP)).allMatch(g -> g.detail().contains("LEVEL2"));
  }

  @Test
  void aBadSignatureIsAnsweredWithIntxsRejectAndRecordedWithoutTheSecret() {
    String wrong = Base64.getEncoder().encodeToString("wrong".getBytes(StandardCharsets.UTF_8));
    connect(new Credentials(KEY, wrong, PASSPHRASE), DataType.ORDERBOOK_DELTA);
    sink.await("a rejection", s -> !s.events(StreamEventType.REJECTED_MESSAGE).isEmpty());

    assertThat(intx.rejectedSubscriptions()).isPositive();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE).get(0).detail())
        .startsWith("request refused by Coinbase: Failed to subscribe: Authentication failed")
        .doesNotContain(wrong)
        .doesNotContain(PASSPHRASE);
    assertThat(sink.rows(OrderBookDelta.class)).isEmpty();
  }

  @Test
  void matchesAreTradesWithTheAggressorsSide() {
    connect(DataType.TRADES);
    intx.awaitSubscribed("MATCH", BTC, WAIT);
    long buy = intx.publishMatch(BTC, "BUY", "3000.5", "0.25");
    long sell = intx.publishMatch(BTC, "SELL", "2999.5", "1.5");
    sink.await("two trades", s -> s.rows(Trade.class).size() == 2);

    assertThat(sink.rows(Trade.class))
        .extracting(Trade::tradeId, Trade::side, Trade::price, Trade::quantity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Long.toString(buy), TradeSide.BUY, 3000.5, 0.25),
            org.assertj.core.groups.Tuple.tuple(Long.toString(sell), TradeSide.SELL, 2999.5, 1.5));
  }

  @Test
  void aRiskMessageWithoutOpenInterestMakesNoRow() {
    connect(DataType.OPEN_INTEREST);
    intx.awaitSubscribed("RISK", BTC, WAIT);
    intx.publishRisk(BTC, "3000.1", null);
    intx.publishRisk(BTC, "3000.2", "1234.5");
    sink.await("open interest", s -> !s.rows(OpenInterest.class).isEmpty());

    assertThat(sink.rows(OpenInterest.class))
        .singleElement()
        .satisfies(
            oi -> {
              assertThat(oi.symbol()).isEqualTo(BTC);
              assertThat(oi.openInterest()).isEqualTo(1234.5);
            });
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
  }

  @Test
  void onlySettledFundingRatesAreStoredAtTheirSettlementTime() {
    connect(DataType.FUNDING_RATE);
    intx.awaitSubscribed("FUNDING", BTC, WAIT);
    Instant settlement = Instant.parse("2024-11-06T02:00:00Z");
    intx.publishFunding(BTC, "0.000005", false, settlement.minusMillis(845));
    intx.publishFunding(BTC, "-0.000017", true, settlement);
    sink.await("funding", s -> !s.rows(FundingRate.class).isEmpty());

    assertThat(sink.rows(FundingRate.class))
        .singleElement()
        .satisfies(
            rate -> {
              assertThat(rate.fundingRate()).isEqualTo(-0.000017);
              assertThat(rate.fundingTimeMs()).isEqualTo(settlement.toEpochMilli());
            });
  }

  @Test
  void instrumentsAreContractsInTheBaseAsset() {
    connect();
    sink.await("contracts", s -> s.rows(Contract.class).size() >= 2);

    assertThat(sink.rows(Contract.class))
        .extracting(Contract::symbol, Contract::contractType, Contract::contractSize)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(BTC, "PERP", 1.0),
            org.assertj.core.groups.Tuple.tuple(ETH, "PERP", 1.0));
  }
}
