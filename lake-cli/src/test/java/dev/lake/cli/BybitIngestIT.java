package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Liquidation;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import dev.lake.core.read.TableRows;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.exchanges.book.BookReplay;
import dev.lake.exchanges.book.OrderBook;
import dev.lake.testing.bybit.FakeBybit;
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
 * Bybit on loopback, spot and linear with every feed, stopped with SIGTERM: it exits 0, every table
 * has its rows, every delta sent is stored, the ones lost are inside recorded gaps, and the books
 * rebuilt from the table equal the fake's.
 */
class BybitIngestIT {
  private static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT");

  @TempDir Path folder;
  private FakeBybit bybit;

  /** A delta the fake sent or lost: its symbol, market and {@code u}. */
  private record Sent(MarketType market, String symbol, long u) {}

  @BeforeEach
  void start() {
    bybit = FakeBybit.start();
    for (MarketType market : MarketType.values()) {
      bybit.addSymbol(market, "BTCUSDT", "BTC", "USDT", 40);
      bybit.addSymbol(market, "ETHUSDT", "ETH", "USDT", 40);
    }
    bybit.setTicker("BTCUSDT", "58117.022", "0.0001", System.currentTimeMillis() + 3_600_000);
    bybit.setTicker("ETHUSDT", "1200000.5", "0.00005", System.currentTimeMillis() + 3_600_000);
  }

  @AfterEach
  void stop() {
    bybit.close();
  }

  private String config() {
    return """
        source:
          bybit:
            spot:
              orderbook:
                snapshots: {url: %1$s/v5/market/orderbook, interval_ms: 500, limit: 20, symbols: [BTCUSDT, ETHUSDT]}
                delta: {url: %2$s, depth: 200, symbols: [BTCUSDT, ETHUSDT]}
              contracts: {url: %1$s/v5/market/instruments-info, interval_ms: 3600000}
              trades: {url: %2$s, symbols: [BTCUSDT, ETHUSDT]}
            future:
              orderbook:
                snapshots: {source: book, interval_ms: 500, limit: 20, symbols: [BTCUSDT, ETHUSDT]}
                delta: {url: %3$s, depth: 200, symbols: [BTCUSDT, ETHUSDT]}
              contracts: {url: %1$s/v5/market/instruments-info, interval_ms: 3600000}
              liquidation: {url: %3$s, symbols: [BTCUSDT, ETHUSDT]}
              open_interest: {url: %3$s, symbols: [BTCUSDT, ETHUSDT]}
              funding_rate: {url: %1$s/v5/market/tickers, interval_ms: 500, symbols: [BTCUSDT, ETHUSDT]}
              trades: {url: %3$s, symbols: [BTCUSDT, ETHUSDT]}
        sink:
          warehouse: ./warehouse
          commit_interval_ms: 1000
          wal_dir: ./wal
        """
        .formatted(
            bybit.httpBase(), bybit.streamUrl(MarketType.SPOT), bybit.streamUrl(MarketType.FUTURE));
  }

  private void awaitSubscribed() {
    for (MarketType market : MarketType.values()) {
      for (String symbol : SYMBOLS) {
        bybit.awaitSubscribed(market, "orderbook.200." + symbol, Distribution.STARTUP);
        bybit.awaitSubscribed(market, "publicTrade." + symbol, Distribution.STARTUP);
      }
    }
    bybit.awaitSubscribed(MarketType.FUTURE, "allLiquidation.ETHUSDT", Distribution.STARTUP);
    bybit.awaitSubscribed(MarketType.FUTURE, "tickers.ETHUSDT", Distribution.STARTUP);
  }

  @Test
  void ingestFillsEveryBybitTableSurvivesAGapAndADisconnectAndCommitsEverythingOnSigterm()
      throws Exception {
    Distribution distribution = Distribution.unpack(folder);
    Path work = Files.createDirectories(folder.resolve("work"));
    Files.writeString(work.resolve("lake.yml"), config());
    Process lake =
        distribution.start(work, "ingest", "--config", "lake.yml", "--status-interval", "1s");
    awaitSubscribed();
    List<Sent> sent = new ArrayList<>();
    List<Sent> lost = new ArrayList<>();
    List<String> trades = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int round = 0; round < 40; round++) {
      for (MarketType market : MarketType.values()) {
        for (String symbol : SYMBOLS) {
          sent.add(new Sent(market, symbol, bybit.publishDepth(market, symbol, 1 + round % 3)));
        }
        trades.add(
            bybit.publishTrade(
                market,
                "BTCUSDT",
                round % 2 == 0 ? "Buy" : "Sell",
                "60000.5",
                "0.01",
                now + round));
      }
      if (round == 10) {
        lost.add(
            new Sent(
                MarketType.SPOT, "BTCUSDT", bybit.dropNextDepth(MarketType.SPOT, "BTCUSDT", 2)));
      }
      if (round == 15) {
        bybit.publishTickerDelta("BTCUSDT", Map.of("openInterest", "58200.5"));
      }
      if (round == 30) {
        bybit.publishLiquidation("BTCUSDT", "Buy", "60000.5", "0.25", now);
        bybit.publishLiquidation("ETHUSDT", "Sell", "3000.1", "4.5", now + 1);
      }
      if (round == 20) {
        int opened = bybit.connectionsOpened(MarketType.FUTURE);
        int open = bybit.openConnections(MarketType.FUTURE);
        bybit.disconnectAll(MarketType.FUTURE); // lake reconnects and subscribes again
        for (int i = 0; i < 2; i++) { // while lake is away
          lost.add(
              new Sent(
                  MarketType.FUTURE,
                  "BTCUSDT",
                  bybit.dropNextDepth(MarketType.FUTURE, "BTCUSDT", 2)));
        }
        awaitReconnected(opened + open);
        awaitSubscribed();
      }
      Thread.sleep(50);
    }
    Thread.sleep(1500); // let snapshots, polls and the last messages arrive
    lake.destroy(); // SIGTERM
    assertThat(lake.waitFor(90, TimeUnit.SECONDS)).as("lake stops on SIGTERM").isTrue();
    String out = Files.readString(work.resolve("stdout.txt"));
    String err = Files.readString(work.resolve("stderr.txt"));
    assertThat(lake.exitValue()).as(out + err).isZero();
    assertThat(out).contains("lake ingest: stopped. Rows committed:");
    assertThat(err).contains("SIGTERM received");

    Catalog catalog =
        LakeCatalogs.open(CatalogSettings.embedded(work.resolve("warehouse").toString()));
    for (TableDefinition<?> definition : LakeTables.all()) {
      assertThat(read(catalog, definition.name())).as(definition.name() + " has rows").isNotEmpty();
    }
    List<OrderBookDelta> deltas =
        read(catalog, "orderbook_delta").stream().map(OrderBookDelta.class::cast).toList();
    List<StreamEvent> events =
        read(catalog, "stream_events").stream().map(StreamEvent.class::cast).toList();
    for (Sent delta : sent) {
      if (!bybit.deliveredDeltas(delta.market(), delta.symbol()).contains(delta.u())) {
        continue; // published while lake was subscribing again: its next snapshot covers it
      }
      assertThat(
              ResyncCoverage.storedOrCoveredByResync(
                  deltas,
                  row -> row.market() == delta.market() && row.symbol().equals(delta.symbol()),
                  delta.u()))
          .as(
              "%s %s u=%s stored, or covered by a resync's snapshot",
              delta.market(), delta.symbol(), delta.u())
          .isTrue();
    }
    assertThat(sent)
        .filteredOn(
            d ->
                ResyncCoverage.stored(
                    deltas,
                    row -> row.market() == d.market() && row.symbol().equals(d.symbol()),
                    d.u()))
        .as("most deltas were stored as deltas")
        .hasSizeGreaterThan(sent.size() * 3 / 4);
    for (Sent delta : lost) {
      assertThat(events)
          .as("lost %s %s u=%s inside a recorded gap", delta.market(), delta.symbol(), delta.u())
          .anyMatch(
              e ->
                  e.event() == StreamEventType.GAP
                      && e.marketType().equals(delta.market().text())
                      && delta.symbol().equals(e.symbol())
                      && e.fromUpdateId() <= delta.u()
                      && e.toUpdateId() >= delta.u());
    }
    for (MarketType market : MarketType.values()) {
      for (String symbol : SYMBOLS) {
        List<OrderBookDelta> rows =
            deltas.stream().filter(d -> d.market() == market && d.symbol().equals(symbol)).toList();
        OrderBook rebuilt = BookReplay.rebuild(rows).orElseThrow().book();
        assertThat(rebuilt.levels(BookSide.BID))
            .as(market + " " + symbol)
            .containsExactlyElementsOf(levels(bybit.book(market, symbol).bids()));
        assertThat(rebuilt.levels(BookSide.ASK))
            .as(market + " " + symbol)
            .containsExactlyElementsOf(levels(bybit.book(market, symbol).asks()));
      }
    }
    assertThat(events)
        .filteredOn(e -> e.event() == StreamEventType.REJECTED_MESSAGE)
        .as("no message rejected")
        .isEmpty();
    assertThat(read(catalog, "trades"))
        .extracting(row -> ((Trade) row).tradeId())
        .containsExactlyInAnyOrderElementsOf(trades);
    assertThat(read(catalog, "liquidation"))
        .extracting(row -> ((Liquidation) row).symbol() + " " + ((Liquidation) row).side())
        .containsExactlyInAnyOrder("BTCUSDT " + TradeSide.SELL, "ETHUSDT " + TradeSide.BUY);
    assertThat(read(catalog, "open_interest"))
        .extracting(row -> ((OpenInterest) row).openInterest())
        .contains(58117.022, 58200.5, 1200000.5);
    assertThat(read(catalog, "funding_rate"))
        .extracting(row -> ((FundingRate) row).symbol())
        .contains("BTCUSDT", "ETHUSDT");
  }

  private static List<LakeRow> read(Catalog catalog, String table) {
    return TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", table)));
  }

  /** Waits until every linear connection cut has been opened again. */
  private void awaitReconnected(int opened) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (bybit.connectionsOpened(MarketType.FUTURE) < opened) {
      assertThat(System.nanoTime()).as("%s connections opened", opened).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static List<PriceLevel> levels(NavigableMap<Double, Double> side) {
    return side.entrySet().stream().map(e -> new PriceLevel(e.getKey(), e.getValue())).toList();
  }
}
