package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Liquidation;
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
import dev.lake.testing.okx.FakeOkx;
import dev.lake.testing.okx.OkxBook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code bin/lake ingest} from the packaged distribution, as a separate process against a fake OKX
 * on loopback (spot and SWAP, every feed), stopped with SIGTERM: it exits 0, every table has its
 * rows, every pushed update is stored or inside a recorded gap, and the books rebuilt from the
 * tables equal the fake's (SWAP sizes in contracts times ctVal).
 */
class OkxIngestIT {
  private static final Map<String, String> CT_VAL =
      Map.of("BTC-USDT", "1", "ETH-USDT", "1", "BTC-USDT-SWAP", "0.01", "ETH-USDT-SWAP", "0.1");

  @TempDir Path folder;
  private FakeOkx okx;

  @BeforeEach
  void start() {
    okx = FakeOkx.start();
    okx.addSpot("BTC-USDT", "BTC", "USDT", 40);
    okx.addSpot("ETH-USDT", "ETH", "USDT", 40);
    okx.addSwap("BTC-USDT-SWAP", "BTC", "USDT", "0.01", 40);
    okx.addSwap("ETH-USDT-SWAP", "ETH", "USDT", "0.1", 40);
    long next = System.currentTimeMillis() + 3_600_000;
    okx.setOpenInterest("BTC-USDT-SWAP", "2500000", "25000");
    okx.setOpenInterest("ETH-USDT-SWAP", "1200000", "120000");
    okx.setFundingRate("BTC-USDT-SWAP", "0.0001", next);
    okx.setFundingRate("ETH-USDT-SWAP", "0.00005", next);
  }

  @AfterEach
  void stop() {
    okx.close();
  }

  private String config() {
    return """
        source:
          okx:
            spot:
              symbols: [BTC-USDT, ETH-USDT]
              orderbook:
                snapshots: {url: %1$s/api/v5/market/books, interval_ms: 500, limit: 20}
                delta: {url: %2$s, snapshot_url: %1$s/api/v5/market/books}
              contracts: {url: %1$s/api/v5/public/instruments, interval_ms: 3600000}
              trades: {url: %2$s}
            future:
              symbols: [BTC-USDT-SWAP, ETH-USDT-SWAP]
              orderbook:
                snapshots: {source: book, interval_ms: 500, limit: 20}
                delta: {url: %2$s, snapshot_url: %1$s/api/v5/market/books}
              contracts: {url: %1$s/api/v5/public/instruments, interval_ms: 3600000}
              liquidation: {url: %2$s}
              open_interest: {url: %1$s/api/v5/public/open-interest, interval_ms: 500}
              funding_rate: {url: %1$s/api/v5/public/funding-rate, interval_ms: 500}
              trades: {url: %2$s}
        sink:
          warehouse: ./warehouse
          commit_interval_ms: 1000
          wal_dir: ./wal
        """
        .formatted(okx.httpBase(), okx.publicUrl());
  }

  private record Sent(String symbol, OkxBook.Update update) {}

  @Test
  void ingestFillsEveryTableOfBothMarketsAndCommitsEverythingOnSigterm() throws Exception {
    Distribution distribution = Distribution.unpack(folder);
    Path work = Files.createDirectories(folder.resolve("work"));
    Files.writeString(work.resolve("lake.yml"), config());
    Process lake =
        distribution.start(work, "ingest", "--config", "lake.yml", "--status-interval", "1s");
    for (String symbol : CT_VAL.keySet()) {
      okx.awaitSubscribed("books:" + symbol, Distribution.STARTUP);
      okx.awaitSubscribed("trades:" + symbol, Distribution.STARTUP);
    }
    okx.awaitSubscribed("liquidation-orders:SWAP", Distribution.STARTUP);
    List<Sent> sent = new ArrayList<>();
    List<Sent> lost = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int round = 0; round < 40; round++) {
      for (String symbol : CT_VAL.keySet()) {
        sent.add(new Sent(symbol, okx.publishBook(symbol, 1 + round % 3)));
        okx.publishTrade(symbol, round % 2 == 0 ? "buy" : "sell", "100.5", "3");
      }
      if (round == 10) {
        lost.add(new Sent("BTC-USDT", okx.dropNextBook("BTC-USDT", 2))); // a lost push
      }
      if (round == 20) {
        okx.publishHeartbeat("ETH-USDT-SWAP");
        okx.publishLiquidation("BTC-USDT-SWAP", "sell", "59000.5", "25", now);
        okx.publishLiquidation("ETH-USDT-SWAP", "buy", "3100.1", "40", now + 1);
      }
      Thread.sleep(50);
    }
    Thread.sleep(1500); // let polls, grid snapshots and the last pushes arrive
    java.time.Instant beforeStop = java.time.Instant.now();
    lake.destroy(); // SIGTERM
    assertThat(lake.waitFor(90, TimeUnit.SECONDS)).as("lake stops on SIGTERM").isTrue();
    String out = Files.readString(work.resolve("stdout.txt"));
    String err = Files.readString(work.resolve("stderr.txt"));
    assertThat(lake.exitValue()).as(out + err).isZero();
    assertThat(out).contains("lake ingest: stopped. Rows committed:");

    Catalog catalog =
        LakeCatalogs.open(CatalogSettings.embedded(work.resolve("warehouse").toString()));
    for (TableDefinition<?> definition : LakeTables.all()) {
      assertThat(read(catalog, definition.name())).as(definition.name() + " has rows").isNotEmpty();
    }
    List<OrderBookDelta> deltas =
        read(catalog, "orderbook_delta").stream().map(OrderBookDelta.class::cast).toList();
    List<StreamEvent> events =
        read(catalog, "stream_events").stream().map(StreamEvent.class::cast).toList();
    for (Sent push : sent) {
      if (!okx.deliveredBooks(push.symbol()).contains(push.update().seqId())) {
        continue; // published while lake was subscribing again: the new snapshot covers it
      }
      assertThat(
              ResyncCoverage.storedOrCoveredByResync(
                  deltas, d -> d.symbol().equals(push.symbol()), push.update().seqId()))
          .as(
              "push seqId=%s of %s stored, or covered by a resync's snapshot",
              push.update().seqId(), push.symbol())
          .isTrue();
    }
    assertThat(sent)
        .filteredOn(
            p ->
                ResyncCoverage.stored(
                    deltas, d -> d.symbol().equals(p.symbol()), p.update().seqId()))
        .as("most pushes were stored as deltas")
        .hasSizeGreaterThan(sent.size() * 3 / 4);
    for (Sent push : lost) {
      assertThat(events)
          .as("lost push seqId=%s inside a recorded gap", push.update().seqId())
          .anyMatch(
              e ->
                  e.event() == StreamEventType.GAP
                      && push.symbol().equals(e.symbol())
                      && e.fromUpdateId() <= push.update().seqId()
                      && e.toUpdateId() >= push.update().seqId());
    }
    assertThat(events)
        .filteredOn(e -> e.event() == StreamEventType.GAP)
        .singleElement()
        .satisfies(gap -> assertThat(gap.symbol()).isEqualTo("BTC-USDT"));
    assertThat(events)
        .filteredOn(e -> e.event() == StreamEventType.REJECTED_MESSAGE)
        .as("no rejected messages")
        .isEmpty();
    for (String symbol : CT_VAL.keySet()) {
      OrderBook rebuilt =
          BookReplay.rebuild(deltas.stream().filter(d -> d.symbol().equals(symbol)).toList())
              .orElseThrow()
              .book();
      assertThat(rebuilt.levels(BookSide.BID))
          .as(symbol)
          .containsExactlyElementsOf(okx.book(symbol).bidLevels(CT_VAL.get(symbol)));
      assertThat(rebuilt.levels(BookSide.ASK))
          .as(symbol)
          .containsExactlyElementsOf(okx.book(symbol).askLevels(CT_VAL.get(symbol)));
    }
    // and `lake book` rebuilds a SWAP book (heartbeat included) from the tables, exact
    CliRun book =
        CliRun.run(
            work,
            "book",
            "--config",
            "lake.yml",
            "--exchange",
            "okx",
            "--market",
            "future",
            "--symbol",
            "ETH-USDT-SWAP",
            "--at",
            beforeStop.toString(),
            "--depth",
            "5000",
            "--format",
            "json");
    assertThat(book.exitCode()).as(book.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(book.out());
    assertThat(json.get("update_id").asLong()).isEqualTo(okx.book("ETH-USDT-SWAP").seqId());
    assertThat(json.get("exact").asBoolean()).as(json.get("gaps").toString()).isTrue();
    List<PriceLevel> bids = new ArrayList<>();
    json.get("bids")
        .forEach(
            level ->
                bids.add(
                    new PriceLevel(
                        level.get("price").asDouble(), level.get("quantity").asDouble())));
    assertThat(bids).containsExactlyElementsOf(okx.book("ETH-USDT-SWAP").bidLevels("0.1"));
    assertThat(read(catalog, "trades"))
        .as("every trade of both markets")
        .hasSize(40 * CT_VAL.size());
    assertThat(read(catalog, "trades"))
        .filteredOn(row -> ((Trade) row).symbol().equals("BTC-USDT-SWAP"))
        .allSatisfy(row -> assertThat(((Trade) row).quantity()).isEqualTo(0.03));
    assertThat(read(catalog, "liquidation"))
        .extracting(row -> ((Liquidation) row).symbol(), row -> ((Liquidation) row).quantity())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("BTC-USDT-SWAP", 0.25),
            org.assertj.core.groups.Tuple.tuple("ETH-USDT-SWAP", 4.0));
  }

  private static List<LakeRow> read(Catalog catalog, String table) {
    return TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", table)));
  }
}
