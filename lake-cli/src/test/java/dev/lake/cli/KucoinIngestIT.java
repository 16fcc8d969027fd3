package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.Trade;
import dev.lake.core.read.TableRows;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.exchanges.book.BookReplay;
import dev.lake.exchanges.book.OrderBook;
import dev.lake.testing.kucoin.FakeKucoin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lake ingest} from the packaged distribution, as a separate process against a fake
 * KuCoin on loopback (spot and futures hosts, every feed KuCoin offers, through the bullet token),
 * stopped with SIGTERM: it exits 0, every table but {@code liquidation} (KuCoin has none) has its
 * rows, every pushed update is stored or inside a recorded gap, the token is in no table, and the
 * books rebuilt from the tables equal the fake's (futures sizes in contracts times multiplier).
 */
class KucoinIngestIT {
  private static final Map<String, MarketType> SYMBOLS =
      Map.of(
          "BTC-USDT", MarketType.SPOT,
          "ETH-USDT", MarketType.SPOT,
          "XBTUSDTM", MarketType.FUTURE,
          "ETHUSDTM", MarketType.FUTURE);

  @TempDir Path folder;
  private FakeKucoin kucoin;

  @BeforeEach
  void start() {
    kucoin = FakeKucoin.start();
    kucoin.addSymbol(MarketType.SPOT, "BTC-USDT", 60000);
    kucoin.addSymbol(MarketType.SPOT, "ETH-USDT", 3000);
    kucoin.addSymbol(MarketType.FUTURE, "XBTUSDTM", 60000);
    kucoin.addSymbol(MarketType.FUTURE, "ETHUSDTM", 3000);
  }

  @AfterEach
  void stop() {
    kucoin.close();
  }

  private String config() {
    return """
        source:
          kucoin:
            spot:
              symbols: [BTC-USDT, ETH-USDT]
              orderbook:
                snapshots: {url: %1$s/api/v1/market/orderbook/level2_100, interval_ms: 500, limit: 100}
                delta: {url: %1$s/api/v1/bullet-public, snapshot_url: %1$s/api/v1/market/orderbook/level2_100}
              contracts: {url: %1$s/api/v2/symbols, interval_ms: 3600000}
              trades: {url: %1$s/api/v1/bullet-public}
            future:
              symbols: [XBTUSDTM, ETHUSDTM]
              orderbook:
                snapshots: {source: book, interval_ms: 500, limit: 20}
                delta: {url: %2$s/api/v1/bullet-public, snapshot_url: %2$s/api/v1/level2/snapshot}
              contracts: {url: %2$s/api/v1/contracts/active, interval_ms: 3600000}
              open_interest: {url: %2$s/api/v1/contracts/active, interval_ms: 500}
              funding_rate: {url: %2$s/api/v1/funding-rate, interval_ms: 500}
              trades: {url: %2$s/api/v1/bullet-public}
        sink:
          warehouse: ./warehouse
          commit_interval_ms: 1000
          wal_dir: ./wal
        """
        .formatted(kucoin.httpBase(MarketType.SPOT), kucoin.httpBase(MarketType.FUTURE));
  }

  private record Sent(String symbol, long sequence) {}

  private static String bookTopic(String symbol, MarketType market) {
    return (market == MarketType.SPOT ? "/market/level2:" : "/contractMarket/level2:") + symbol;
  }

  private static String tradeTopic(String symbol, MarketType market) {
    return (market == MarketType.SPOT ? "/market/match:" : "/contractMarket/execution:") + symbol;
  }

  @Test
  void ingestFillsEveryTableKucoinOffersOnBothMarketsAndCommitsEverythingOnSigterm()
      throws Exception {
    Distribution distribution = Distribution.unpack(folder);
    Path work = Files.createDirectories(folder.resolve("work"));
    Files.writeString(work.resolve("lake.yml"), config());
    Process lake =
        distribution.start(work, "ingest", "--config", "lake.yml", "--status-interval", "1s");
    for (Map.Entry<String, MarketType> symbol : SYMBOLS.entrySet()) {
      kucoin.awaitSubscribed(bookTopic(symbol.getKey(), symbol.getValue()), Distribution.STARTUP);
      kucoin.awaitSubscribed(tradeTopic(symbol.getKey(), symbol.getValue()), Distribution.STARTUP);
    }
    List<Sent> sent = new ArrayList<>();
    List<Sent> lost = new ArrayList<>();
    long placeholder = -1;
    for (int round = 0; round < 40; round++) {
      for (Map.Entry<String, MarketType> symbol : SYMBOLS.entrySet()) {
        sent.add(
            new Sent(symbol.getKey(), kucoin.publishDepth(symbol.getValue(), symbol.getKey())));
        kucoin.publishTrade(
            symbol.getValue(), symbol.getKey(), round % 2 == 0 ? "buy" : "sell", 100.5, 3);
      }
      if (round == 10) {
        lost.add(new Sent("BTC-USDT", kucoin.dropDepth(MarketType.SPOT, "BTC-USDT")));
      }
      if (round == 20) {
        placeholder = kucoin.publishPlaceholder("ETH-USDT");
      }
      Thread.sleep(50);
    }
    Thread.sleep(1500); // let polls, grid snapshots and the last pushes arrive
    lake.destroy(); // SIGTERM
    assertThat(lake.waitFor(90, TimeUnit.SECONDS)).as("lake stops on SIGTERM").isTrue();
    String out = Files.readString(work.resolve("stdout.txt"));
    String err = Files.readString(work.resolve("stderr.txt"));
    assertThat(lake.exitValue()).as(out + err).isZero();
    assertThat(out).contains("lake ingest: stopped. Rows committed:");
    assertThat(out + err).doesNotContain("SECRET");

    Catalog catalog =
        LakeCatalogs.open(CatalogSettings.embedded(work.resolve("warehouse").toString()));
    for (TableDefinition<?> definition : LakeTables.all()) {
      if (!definition.name().equals("liquidation")) {
        assertThat(read(catalog, definition.name()))
            .as(definition.name() + " has rows")
            .isNotEmpty();
      }
    }
    List<OrderBookDelta> deltas =
        read(catalog, "orderbook_delta").stream().map(OrderBookDelta.class::cast).toList();
    List<StreamEvent> events =
        read(catalog, "stream_events").stream().map(StreamEvent.class::cast).toList();
    assertThat(events)
        .allSatisfy(e -> assertThat(String.valueOf(e.detail())).doesNotContain("SECRET"));
    long zero = placeholder;
    assertThat(deltas)
        .as("a price 0 placeholder makes no row")
        .noneMatch(d -> d.symbol().equals("ETH-USDT") && d.lastUpdateId() == zero);
    for (Sent push : sent) {
      assertThat(
              ResyncCoverage.storedOrCoveredByResync(
                  deltas, d -> d.symbol().equals(push.symbol()), push.sequence()))
          .as(
              "push sequence=%s of %s stored, or covered by a resync's snapshot",
              push.sequence(), push.symbol())
          .isTrue();
    }
    assertThat(sent)
        .filteredOn(
            p -> ResyncCoverage.stored(deltas, d -> d.symbol().equals(p.symbol()), p.sequence()))
        .as("most pushes were stored as deltas")
        .hasSizeGreaterThan(sent.size() * 3 / 4);
    for (Sent push : lost) {
      assertThat(events)
          .as("lost push sequence=%s inside a recorded gap", push.sequence())
          .anyMatch(
              e ->
                  e.event() == StreamEventType.GAP
                      && push.symbol().equals(e.symbol())
                      && e.fromUpdateId() <= push.sequence()
                      && e.toUpdateId() >= push.sequence());
    }
    assertThat(events)
        .filteredOn(e -> e.event() == StreamEventType.GAP)
        .singleElement()
        .satisfies(gap -> assertThat(gap.symbol()).isEqualTo("BTC-USDT"));
    assertThat(events)
        .filteredOn(e -> e.event() == StreamEventType.REJECTED_MESSAGE)
        .as("no rejected messages")
        .isEmpty();
    for (Map.Entry<String, MarketType> symbol : SYMBOLS.entrySet()) {
      FakeKucoin.Book server = kucoin.book(symbol.getValue(), symbol.getKey());
      double divisor = symbol.getValue() == MarketType.SPOT ? 1 : 1000;
      OrderBook rebuilt =
          BookReplay.rebuild(
                  deltas.stream().filter(d -> d.symbol().equals(symbol.getKey())).toList())
              .orElseThrow()
              .book();
      assertThat(rebuilt.levels(BookSide.BID))
          .as(symbol.getKey())
          .containsExactlyElementsOf(levels(server.bids.descendingMap(), divisor));
      assertThat(rebuilt.levels(BookSide.ASK))
          .as(symbol.getKey())
          .containsExactlyElementsOf(levels(server.asks, divisor));
    }
    assertThat(read(catalog, "trades")).as("every trade of both markets").hasSize(40 * 4);
    assertThat(read(catalog, "trades"))
        .filteredOn(row -> ((Trade) row).symbol().equals("XBTUSDTM"))
        .allSatisfy(row -> assertThat(((Trade) row).quantity()).isEqualTo(0.003));
  }

  @Test
  void withCredentialsFromTheEnvironmentSpotBooksAreSeededAtFullDepthAndNoSecretIsShown()
      throws Exception {
    kucoin.addSymbol(MarketType.SPOT, "DEEP-USDT", 60000, 250);
    kucoin.issueApiKey("kc-it-key", "kc-it-secret-0f3a", "kc-it-pass-8d2b");
    Distribution distribution = Distribution.unpack(folder);
    Path work = Files.createDirectories(folder.resolve("work"));
    Files.writeString(
        work.resolve("lake.yml"),
        """
        source:
          kucoin:
            spot:
              credentials: {key: "${KUCOIN_API_KEY}", secret: "${KUCOIN_API_SECRET}", passphrase: "${KUCOIN_API_PASSPHRASE}"}
              orderbook:
                delta: {url: %1$s/api/v1/bullet-public, snapshot_url: %1$s/api/v1/market/orderbook/level2_100, symbols: [DEEP-USDT]}
        sink:
          warehouse: ./warehouse
          commit_interval_ms: 500
          wal_dir: ./wal
        """
            .formatted(kucoin.httpBase(MarketType.SPOT)));
    Process lake =
        distribution.start(
            work,
            Map.of(
                "KUCOIN_API_KEY", "kc-it-key",
                "KUCOIN_API_SECRET", "kc-it-secret-0f3a",
                "KUCOIN_API_PASSPHRASE", "kc-it-pass-8d2b"),
            "ingest",
            "--config",
            "lake.yml");
    kucoin.awaitSubscribed(bookTopic("DEEP-USDT", MarketType.SPOT), Distribution.STARTUP);
    long last = 0;
    for (int i = 0; i < 30; i++) {
      last = kucoin.publishDepth(MarketType.SPOT, "DEEP-USDT");
    }
    Catalog catalog =
        LakeCatalogs.open(CatalogSettings.embedded(work.resolve("warehouse").toString()));
    long lastSent = last;
    awaitTrue(
        "the last push committed",
        () ->
            read(catalog, "orderbook_delta").stream()
                .anyMatch(row -> ((OrderBookDelta) row).lastUpdateId() == lastSent));
    lake.destroy(); // SIGTERM
    assertThat(lake.waitFor(90, TimeUnit.SECONDS)).as("lake stops on SIGTERM").isTrue();
    String output =
        Files.readString(work.resolve("stdout.txt")) + Files.readString(work.resolve("stderr.txt"));
    assertThat(lake.exitValue()).as(output).isZero();

    assertThat(kucoin.signedBooksServed()).isEqualTo(1);
    List<StreamEvent> events =
        read(catalog, "stream_events").stream().map(StreamEvent.class::cast).toList();
    assertThat(events)
        .filteredOn(e -> e.event() == StreamEventType.RESYNC)
        .singleElement()
        .satisfies(
            resync ->
                assertThat(resync.detail())
                    .contains("snapshot of 250 bids and 250 asks")
                    .doesNotContain("exact near the top only"));
    FakeKucoin.Book server = kucoin.book(MarketType.SPOT, "DEEP-USDT");
    OrderBook rebuilt =
        BookReplay.rebuild(
                read(catalog, "orderbook_delta").stream().map(OrderBookDelta.class::cast).toList())
            .orElseThrow()
            .book();
    assertThat(rebuilt.levels(BookSide.BID))
        .hasSizeGreaterThan(100)
        .containsExactlyElementsOf(levels(server.bids.descendingMap(), 1));
    assertThat(rebuilt.levels(BookSide.ASK)).containsExactlyElementsOf(levels(server.asks, 1));
    for (String secret : List.of("kc-it-secret-0f3a", "kc-it-pass-8d2b")) {
      assertThat(output).doesNotContain(secret);
      assertThat(events).allSatisfy(e -> assertThat(e.toString()).doesNotContain(secret));
    }
  }

  /** Polls a condition that may throw while lake has not created its tables yet. */
  private static void awaitTrue(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Distribution.STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException notYet) {
        // the table does not exist yet, or a commit is under way
      }
      Thread.sleep(100);
    }
    throw new AssertionError("Timed out waiting for " + what);
  }

  private static List<PriceLevel> levels(NavigableMap<Double, Double> side, double divisor) {
    return side.entrySet().stream()
        .map(e -> new PriceLevel(e.getKey(), e.getValue() / divisor))
        .toList();
  }

  private static List<LakeRow> read(Catalog catalog, String table) {
    return TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", table)));
  }
}
