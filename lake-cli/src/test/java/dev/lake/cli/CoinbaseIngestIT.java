package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.Trade;
import dev.lake.core.read.TableRows;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.exchanges.book.BookReplay;
import dev.lake.exchanges.book.OrderBook;
import dev.lake.testing.coinbase.CoinbaseBook;
import dev.lake.testing.coinbase.FakeCoinbase;
import dev.lake.testing.coinbase.FakeIntx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lake ingest} from the packaged distribution, as a separate process against a fake
 * Coinbase Advanced Trade (spot) and a fake INTX (future, signed subscriptions, credentials from
 * the environment) on loopback, every feed, stopped with SIGTERM: it exits 0, every table Coinbase
 * offers has its rows (it publishes no liquidations), every level change sent is stored or inside a
 * recorded gap, and the books rebuilt from the tables equal the fakes'.
 */
class CoinbaseIngestIT {
  private static final List<String> SPOT = List.of("BTC-USD", "ETH-USD");
  private static final List<String> PERPS = List.of("BTC-PERP", "ETH-PERP");
  private static final String SECRET =
      Base64.getEncoder().encodeToString("intx-secret".getBytes(StandardCharsets.UTF_8));

  @TempDir Path folder;
  private FakeCoinbase coinbase;
  private FakeIntx intx;

  @BeforeEach
  void start() {
    coinbase = FakeCoinbase.start();
    coinbase.addProduct("BTC-USD", "BTC", "USD", 30);
    coinbase.addProduct("ETH-USD", "ETH", "USD", 30);
    coinbase.addAlias("BTC-USDC", "BTC-USD");
    intx = FakeIntx.start("intx-key", SECRET, "intx-pass");
    PERPS.forEach(symbol -> intx.addPerpetual(symbol, 30));
  }

  @AfterEach
  void stop() {
    coinbase.close();
    intx.close();
  }

  private String config() {
    return """
        source:
          coinbase:
            spot:
              symbols: [BTC-USD, BTC-USDC, ETH-USD]
              orderbook:
                snapshots: {url: %1$s/api/v3/brokerage/market/product_book, interval_ms: 500, limit: 20}
                delta: {url: %2$s}
              contracts: {url: %1$s/api/v3/brokerage/market/products, interval_ms: 3600000}
              trades: {url: %2$s}
            future:
              credentials: {key: "${INTX_API_KEY}", secret: "${INTX_API_SECRET}", passphrase: "${INTX_API_PASSPHRASE}"}
              symbols: [BTC-PERP, ETH-PERP]
              orderbook:
                snapshots: {source: book, interval_ms: 500, limit: 20}
                delta: {url: %4$s}
              contracts: {url: %3$s/api/v1/instruments, interval_ms: 3600000}
              open_interest: {url: %4$s}
              funding_rate: {url: %4$s}
              trades: {url: %4$s}
        sink:
          warehouse: ./warehouse
          commit_interval_ms: 1000
          wal_dir: ./wal
        """
        .formatted(coinbase.httpBase(), coinbase.wsUrl(), intx.httpBase(), intx.wsUrl());
  }

  @Test
  void ingestFillsEveryTableOfBothMarketsAndCommitsEverythingOnSigterm() throws Exception {
    Distribution distribution = Distribution.unpack(folder);
    Path work = Files.createDirectories(folder.resolve("work"));
    Files.writeString(work.resolve("lake.yml"), config());
    Process lake =
        distribution.start(
            work,
            Map.of(
                "INTX_API_KEY", "intx-key",
                "INTX_API_SECRET", SECRET,
                "INTX_API_PASSPHRASE", "intx-pass"),
            "ingest",
            "--config",
            "lake.yml",
            "--status-interval",
            "1s");
    for (String symbol : SPOT) {
      coinbase.awaitSubscribed("level2", symbol, Distribution.STARTUP);
      coinbase.awaitSubscribed("market_trades", symbol, Distribution.STARTUP);
    }
    for (String symbol : PERPS) {
      for (String channel : List.of("LEVEL2", "MATCH", "RISK", "FUNDING")) {
        intx.awaitSubscribed(channel, symbol, Distribution.STARTUP);
      }
    }
    List<long[]> published = new java.util.ArrayList<>(); // [spot index, time in micros]
    for (int round = 0; round < 40; round++) {
      for (String symbol : SPOT) {
        published.add(new long[] {SPOT.indexOf(symbol), System.currentTimeMillis() * 1000});
        coinbase.publishBook(symbol, 2);
        coinbase.publishTrade(symbol, round % 2 == 0 ? "BUY" : "SELL", "100.5", "0.3");
      }
      for (String symbol : PERPS) {
        intx.publishBook(symbol, 2);
        intx.publishMatch(symbol, round % 2 == 0 ? "BUY" : "SELL", "3000.5", "0.2");
      }
      coinbase.publishHeartbeat();
      if (round == 20) {
        coinbase.dropNext(1); // a lost heartbeat: every spot book of the connection resyncs
        coinbase.publishHeartbeat();
        for (String symbol : PERPS) {
          intx.publishRisk(symbol, "3000.1", null);
          intx.publishRisk(symbol, "3000.2", "1500.5");
          intx.publishFunding(symbol, "0.000005", false, Instant.now());
          intx.publishFunding(symbol, "0.00001", true, Instant.now());
        }
      }
      Thread.sleep(50);
    }
    Thread.sleep(2000); // let polls, grid snapshots, resyncs and the last messages arrive
    lake.destroy(); // SIGTERM
    assertThat(lake.waitFor(90, TimeUnit.SECONDS)).as("lake stops on SIGTERM").isTrue();
    String out = Files.readString(work.resolve("stdout.txt"));
    String err = Files.readString(work.resolve("stderr.txt"));
    assertThat(lake.exitValue()).as(out + err).isZero();
    assertThat(out + err).doesNotContain(SECRET).doesNotContain("intx-pass");

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
    for (String symbol : SPOT) {
      // Coinbase sends nothing of a product between lake's unsubscribe and its new snapshot: a
      // change published then is inside the recorded gap; every other one is stored.
      StreamEvent gap = only(events, StreamEventType.GAP, symbol);
      long reloaded =
          events.stream()
              .filter(e -> e.event() == StreamEventType.RESYNC && symbol.equals(e.symbol()))
              .mapToLong(StreamEvent::localTimestampMicros)
              .filter(time -> time > gap.localTimestampMicros())
              .min()
              .orElseThrow();
      long outsideGap =
          published.stream()
              .filter(p -> SPOT.get((int) p[0]).equals(symbol))
              .filter(p -> p[1] < gap.localTimestampMicros() || p[1] > reloaded)
              .count();
      long stored =
          deltas.stream().filter(d -> !d.isSnapshot() && d.symbol().equals(symbol)).count();
      assertThat(stored).as(symbol + " level changes stored").isBetween(2 * outsideGap, 80L);
    }
    assertThat(deltas).noneMatch(d -> d.symbol().equals("BTC-USDC"));
    assertThat(events)
        .filteredOn(e -> e.event() == StreamEventType.GAP)
        .extracting(StreamEvent::symbol)
        .containsExactlyInAnyOrderElementsOf(SPOT);
    assertThat(events)
        .filteredOn(e -> e.event() == StreamEventType.REJECTED_MESSAGE)
        .as("no rejected messages")
        .isEmpty();
    for (String symbol : SPOT) {
      assertRebuilt(deltas, symbol, coinbase.book(symbol));
    }
    for (String symbol : PERPS) {
      assertRebuilt(deltas, symbol, intx.book(symbol));
    }
    assertThat(read(catalog, "trades")).as("every trade of both markets").hasSize(40 * 4);
    assertThat(read(catalog, "trades"))
        .filteredOn(row -> ((Trade) row).symbol().equals("BTC-PERP"))
        .hasSize(40);
    assertThat(read(catalog, "open_interest"))
        .extracting(row -> ((OpenInterest) row).openInterest())
        .containsExactly(1500.5, 1500.5);
    assertThat(read(catalog, "funding_rate"))
        .extracting(row -> ((FundingRate) row).fundingRate())
        .containsExactly(0.00001, 0.00001);
  }

  private static void assertRebuilt(List<OrderBookDelta> deltas, String symbol, CoinbaseBook book) {
    OrderBook rebuilt =
        BookReplay.rebuild(deltas.stream().filter(d -> d.symbol().equals(symbol)).toList())
            .orElseThrow()
            .book();
    assertThat(rebuilt.levels(BookSide.BID)).as(symbol).containsExactlyElementsOf(book.bidLevels());
    assertThat(rebuilt.levels(BookSide.ASK)).as(symbol).containsExactlyElementsOf(book.askLevels());
  }

  private static StreamEvent only(List<StreamEvent> events, StreamEventType type, String symbol) {
    List<StreamEvent> found =
        events.stream().filter(e -> e.event() == type && symbol.equals(e.symbol())).toList();
    assertThat(found).as(type + " of " + symbol).hasSize(1);
    return found.get(0);
  }

  private static List<LakeRow> read(Catalog catalog, String table) {
    return TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", table)));
  }
}
