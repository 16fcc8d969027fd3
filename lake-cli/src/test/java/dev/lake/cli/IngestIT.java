package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Liquidation;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.read.TableRows;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.exchanges.book.BookReplay;
import dev.lake.exchanges.book.OrderBook;
import dev.lake.testing.binance.DepthEvent;
import dev.lake.testing.binance.FakeBinance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lake ingest} from the packaged distribution, as a separate process against a fake
 * Binance on loopback, stopped with SIGTERM: it exits 0, every table has its rows, and nothing the
 * fake sent is missing.
 */
class IngestIT {
  @TempDir Path folder;
  private FakeBinance binance;

  @BeforeEach
  void start() {
    binance = FakeBinance.start(Duration.ofSeconds(2));
    for (MarketType market : MarketType.values()) {
      binance.addSymbol(market, "BTCUSDT", "BTC", "USDT", 40);
      binance.addSymbol(market, "ETHUSDT", "ETH", "USDT", 40);
    }
    long next = System.currentTimeMillis() + 3_600_000;
    binance.setOpenInterest("BTCUSDT", "83782.317");
    binance.setOpenInterest("ETHUSDT", "1200000.5");
    binance.setPremiumIndex("BTCUSDT", "0.00010000", next);
    binance.setPremiumIndex("ETHUSDT", "0.00005000", next);
  }

  @AfterEach
  void stop() {
    binance.close();
  }

  private String config() {
    String http = binance.httpBase();
    String ws = binance.wsBase();
    return """
        source:
          binance:
            spot:
              orderbook:
                snapshots: {url: %1$s/api/v3/depth, interval_ms: 500, limit: 20, symbols: [BTCUSDT, ETHUSDT]}
                delta: {url: %2$s/ws, interval_ms: 100, snapshot_limit: 1000, snapshot_url: %1$s/api/v3/depth, symbols: [BTCUSDT, ETHUSDT]}
              contracts: {url: %1$s/api/v3/exchangeInfo, interval_ms: 3600000}
              trades: {url: %2$s/ws, symbols: [BTCUSDT, ETHUSDT]}
            future:
              orderbook:
                snapshots: {source: book, interval_ms: 500, limit: 20, symbols: [BTCUSDT, ETHUSDT]}
                delta: {url: %2$s/public/stream, interval_ms: 100, snapshot_limit: 1000, snapshot_url: %1$s/fapi/v1/depth, symbols: [BTCUSDT, ETHUSDT]}
              contracts: {url: %1$s/fapi/v1/exchangeInfo, interval_ms: 3600000}
              liquidation: {url: %2$s/market/ws, symbols: [BTCUSDT, ETHUSDT]}
              open_interest: {url: %1$s/fapi/v1/openInterest, interval_ms: 500, symbols: [BTCUSDT, ETHUSDT]}
              funding_rate: {url: %1$s/fapi/v1/premiumIndex, interval_ms: 500, symbols: [BTCUSDT, ETHUSDT]}
        sink:
          warehouse: ./warehouse
          commit_interval_ms: 1000
          wal_dir: ./wal
        """
        .formatted(http, ws);
  }

  @Test
  void ingestFillsEveryTableSurvivesAGapAndADisconnectAndCommitsEverythingOnSigterm()
      throws Exception {
    Distribution distribution = Distribution.unpack(folder);
    Path work = Files.createDirectories(folder.resolve("work"));
    Files.writeString(work.resolve("lake.yml"), config());
    Process lake =
        distribution.start(work, "ingest", "--config", "lake.yml", "--status-interval", "1s");
    List<DepthEvent> sent = new ArrayList<>();
    List<DepthEvent> lost = new ArrayList<>();
    for (MarketType market : MarketType.values()) {
      binance.awaitSubscribed(market, "btcusdt@depth@100ms", Distribution.STARTUP);
      binance.awaitSubscribed(market, "ethusdt@depth@100ms", Distribution.STARTUP);
    }
    binance.awaitSubscribed(MarketType.FUTURE, "btcusdt@forceOrder", Distribution.STARTUP);
    binance.awaitSubscribed(MarketType.SPOT, "btcusdt@trade", Distribution.STARTUP);
    long now = System.currentTimeMillis();
    for (int round = 0; round < 40; round++) {
      for (MarketType market : MarketType.values()) {
        sent.add(binance.publishDepth(market, "BTCUSDT", 3));
        sent.add(binance.publishDepth(market, "ETHUSDT", 2));
      }
      binance.publishTrade(
          MarketType.SPOT, "BTCUSDT", "60000.5", "0.01", now + round, round % 2 == 0);
      if (round == 10) {
        lost.add(binance.dropNextDepth(MarketType.SPOT, "BTCUSDT", 2)); // a lost message
      }
      if (round == 20) {
        binance.publishForceOrder("BTCUSDT", "SELL", "60000.5", "0.25", now);
        binance.publishForceOrder("ETHUSDT", "BUY", "3000.1", "4.5", now + 1);
        binance.disconnectAll(MarketType.FUTURE); // lake reconnects and resyncs
        // published at once, before lake can have reconnected and subscribed again: waiting to see
        // no connection open raced lake's reconnect, which may come before any poll sees zero
        lost.add(binance.publishDepth(MarketType.FUTURE, "BTCUSDT", 2)); // while lake is away
        awaitConnections(MarketType.FUTURE, 2);
        binance.awaitSubscribed(MarketType.FUTURE, "btcusdt@depth@100ms", Duration.ofSeconds(30));
        binance.awaitSubscribed(MarketType.FUTURE, "ethusdt@depth@100ms", Duration.ofSeconds(30));
      }
      Thread.sleep(50); // pacing the fake: rounds of events spread over time, as a venue sends them
    }
    Thread.sleep(1500); // let snapshots, polls and the last events arrive
    // the books as of now: after it lake stops, and its own disconnects make later times inexact
    java.time.Instant beforeStop = java.time.Instant.now();
    lake.destroy(); // SIGTERM
    assertThat(lake.waitFor(90, TimeUnit.SECONDS)).as("lake stops on SIGTERM").isTrue();
    String out = Files.readString(work.resolve("stdout.txt"));
    String err = Files.readString(work.resolve("stderr.txt"));
    assertThat(lake.exitValue()).as(out + err).isZero();
    assertThat(out)
        .contains("lake ingest: stopped. Rows committed:")
        .containsPattern("rows/s .*delta \\d+");
    assertThat(err).contains("SIGTERM received");

    Catalog catalog =
        LakeCatalogs.open(CatalogSettings.embedded(work.resolve("warehouse").toString()));
    for (TableDefinition<?> definition : LakeTables.all()) {
      assertThat(
              TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", definition.name()))))
          .as(definition.name() + " has rows")
          .isNotEmpty();
    }
    List<LakeRow> deltas =
        TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta")));
    List<StreamEvent> events =
        TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", "stream_events"))).stream()
            .map(StreamEvent.class::cast)
            .toList();
    for (DepthEvent event : sent) {
      assertThat(deltas)
          .as("event u=%s of %s stored", event.lastUpdateId(), event.symbol())
          .anyMatch(
              row ->
                  row instanceof OrderBookDelta d
                      && d.symbol().equals(event.symbol())
                      && d.lastUpdateId() == event.lastUpdateId()
                      && !d.isSnapshot());
    }
    for (DepthEvent event : lost) {
      assertThat(events)
          .as("lost event u=%s of %s inside a recorded gap", event.lastUpdateId(), event.symbol())
          .anyMatch(
              e ->
                  e.event() == StreamEventType.GAP
                      && event.symbol().equals(e.symbol())
                      && e.fromUpdateId() <= event.firstUpdateId()
                      && e.toUpdateId() >= event.lastUpdateId());
    }
    for (MarketType market : MarketType.values()) {
      for (String symbol : List.of("BTCUSDT", "ETHUSDT")) {
        List<OrderBookDelta> rows =
            deltas.stream()
                .map(OrderBookDelta.class::cast)
                .filter(d -> d.market() == market && d.symbol().equals(symbol))
                .toList();
        OrderBook rebuilt = BookReplay.rebuild(rows, market == MarketType.FUTURE);
        assertThat(rebuilt.levels(BookSide.BID))
            .as(market + " " + symbol)
            .containsExactlyElementsOf(levels(binance.book(market, symbol).bids()));
        assertThat(rebuilt.levels(BookSide.ASK))
            .as(market + " " + symbol)
            .containsExactlyElementsOf(levels(binance.book(market, symbol).asks()));
        // and `lake book` rebuilds the same book from the tables lake ingest wrote
        CliRun book =
            CliRun.run(
                work,
                "book",
                "--config",
                "lake.yml",
                "--exchange",
                "binance",
                "--market",
                market.text(),
                "--symbol",
                symbol,
                "--at",
                beforeStop.toString(),
                "--depth",
                "5000",
                "--format",
                "json");
        assertThat(book.exitCode()).as(book.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode json =
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(book.out());
        assertThat(json.get("update_id").asLong())
            .as("lake book " + market + " " + symbol)
            .isEqualTo(binance.book(market, symbol).lastUpdateId());
        assertThat(json.get("exact").asBoolean())
            .as("lake book " + market + " " + symbol + ": " + json.get("gaps"))
            .isTrue();
        assertThat(jsonLevels(json.get("bids")))
            .as("lake book " + market + " " + symbol)
            .containsExactlyElementsOf(levels(binance.book(market, symbol).bids()));
        assertThat(jsonLevels(json.get("asks")))
            .as("lake book " + market + " " + symbol)
            .containsExactlyElementsOf(levels(binance.book(market, symbol).asks()));
      }
    }
    assertThat(events)
        .extracting(StreamEvent::event)
        .contains(
            StreamEventType.CONNECT,
            StreamEventType.DISCONNECT,
            StreamEventType.GAP,
            StreamEventType.RESYNC);
    assertThat(events)
        .filteredOn(e -> e.event() == StreamEventType.GAP && e.marketType().equals("spot"))
        .singleElement()
        .satisfies(gap -> assertThat(gap.symbol()).isEqualTo("BTCUSDT"));
    assertThat(
            TableRows.read(
                catalog.loadTable(TableIdentifier.of("crypto", "liquidation")),
                Expressions.alwaysTrue()))
        .extracting(row -> ((Liquidation) row).symbol())
        .containsExactlyInAnyOrder("BTCUSDT", "ETHUSDT");
  }

  private void awaitConnections(MarketType market, int count) {
    await()
        .atMost(Duration.ofSeconds(30))
        .alias(count + " connections")
        .until(() -> binance.openConnections(market) == count);
  }

  private static List<PriceLevel> jsonLevels(com.fasterxml.jackson.databind.JsonNode side) {
    List<PriceLevel> levels = new ArrayList<>();
    side.forEach(
        level ->
            levels.add(
                new PriceLevel(level.get("price").asDouble(), level.get("quantity").asDouble())));
    return levels;
  }

  private static List<PriceLevel> levels(NavigableMap<Double, Double> side) {
    return side.entrySet().stream().map(e -> new PriceLevel(e.getKey(), e.getValue())).toList();
  }
}
