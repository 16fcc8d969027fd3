package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Liquidation;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.read.TableRows;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.exchanges.book.BookReplay;
import dev.lake.exchanges.book.OrderBook;
import dev.lake.testing.kraken.FakeKraken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lake ingest} from the packaged distribution, as a separate process against a fake
 * Kraken on loopback (spot WebSocket v2 and Kraken Futures, every feed), stopped with SIGTERM: it
 * exits 0, every table has its rows, every futures delta sent is stored or inside a recorded gap,
 * the spot checksum mismatch the fake caused is recorded and mended, and the books rebuilt from the
 * tables equal the fake's.
 */
class KrakenIngestIT {
  private static final List<String> SPOT = List.of("BTC/USD", "ETH/USD");
  private static final List<String> FUTURES = List.of("PF_ETHUSD", "PI_XBTUSD");
  private static final int DEPTH = 10;

  @TempDir Path folder;
  private FakeKraken kraken;

  @BeforeEach
  void start() {
    kraken = FakeKraken.start();
    kraken.addPair("BTC/USD", "XXBTZUSD", "XBT/USD", 30);
    kraken.addPair("ETH/USD", "XETHZUSD", "ETH/USD", 30);
    FUTURES.forEach(symbol -> kraken.addProduct(symbol, 30));
  }

  @AfterEach
  void stop() {
    kraken.close();
  }

  private String config() {
    return """
        source:
          kraken:
            spot:
              symbols: [BTC/USD, ETH/USD]
              orderbook:
                snapshots: {url: %1$s/0/public/Depth, interval_ms: 2000, limit: 10, source: rest}
                delta: {url: %2$s, depth: 10}
              contracts: {url: %1$s/0/public/AssetPairs, interval_ms: 3600000}
              trades: {url: %2$s}
            future:
              symbols: [PF_ETHUSD, PI_XBTUSD]
              orderbook:
                snapshots: {source: book, interval_ms: 500, limit: 10}
                delta: {url: %3$s}
              contracts: {url: %1$s/derivatives/api/v3/instruments, interval_ms: 3600000}
              liquidation: {url: %3$s}
              open_interest: {url: %3$s}
              funding_rate: {url: %3$s}
              trades: {url: %3$s}
        sink:
          warehouse: ./warehouse
          commit_interval_ms: 1000
          wal_dir: ./wal
        """
        .formatted(kraken.httpBase(), kraken.spotUrl(), kraken.futuresUrl());
  }

  private record Sent(String symbol, long seq) {}

  @Test
  void ingestFillsEveryTableOfBothMarketsAndCommitsEverythingOnSigterm() throws Exception {
    Distribution distribution = Distribution.unpack(folder);
    Path work = Files.createDirectories(folder.resolve("work"));
    Files.writeString(work.resolve("lake.yml"), config());
    Process lake =
        distribution.start(work, "ingest", "--config", "lake.yml", "--status-interval", "1s");
    Duration wait = Distribution.STARTUP;
    for (String symbol : SPOT) {
      kraken.awaitSubscribed("book:" + symbol, wait);
      kraken.awaitSubscribed("trade:" + symbol, wait);
    }
    for (String symbol : FUTURES) {
      kraken.awaitSubscribed("book:" + symbol, wait);
      kraken.awaitSubscribed("trade:" + symbol, wait);
      kraken.awaitSubscribed("ticker:" + symbol, wait);
    }
    List<Sent> sent = new ArrayList<>();
    List<Sent> lost = new ArrayList<>();
    for (int round = 0; round < 40; round++) {
      for (String symbol : SPOT) {
        kraken.publishSpotBook(symbol, 1 + round % 3);
        kraken.publishSpotTrade(symbol, round % 2 == 0 ? "buy" : "sell", "60000.1", "0.01000000");
      }
      for (String symbol : FUTURES) {
        for (long seq : kraken.publishFuturesBook(symbol, 1 + round % 3)) {
          sent.add(new Sent(symbol, seq));
        }
        kraken.publishFuturesTrade(symbol, "fill", round % 2 == 0 ? "buy" : "sell", "3000.5", "2");
      }
      if (round == 10) {
        long before = kraken.seq("PF_ETHUSD");
        kraken.dropFuturesBook("PF_ETHUSD", 2); // two lost deltas
        lost.add(new Sent("PF_ETHUSD", before + 1));
        lost.add(new Sent("PF_ETHUSD", before + 2));
      }
      if (round == 15) {
        kraken.badChecksumNext();
        kraken.publishSpotLevel("BTC/USD", true, "59999.9", "0.00100000");
      }
      if (round == 20) {
        kraken.publishFuturesTrade("PF_ETHUSD", "liquidation", "sell", "2950.0", "7");
        kraken.publishFuturesTrade("PI_XBTUSD", "liquidation", "buy", "3050.0", "1000");
        for (String symbol : FUTURES) {
          kraken.publishTicker(
              symbol, "125000", "0.0000125", System.currentTimeMillis() + 3_600_000);
        }
      }
      Thread.sleep(50);
    }
    Thread.sleep(2500); // let polls, grid snapshots, the resubscriptions and the last messages in
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
    for (Sent delta : sent) {
      assertThat(
              ResyncCoverage.storedOrCoveredByResync(
                  deltas, d -> d.symbol().equals(delta.symbol()), delta.seq()))
          .as(
              "delta seq=%s of %s stored, or covered by a resync's snapshot; events %s; ids %s",
              delta.seq(),
              delta.symbol(),
              events.stream().filter(e -> delta.symbol().equals(e.symbol())).toList(),
              deltas.stream()
                  .filter(d -> d.symbol().equals(delta.symbol()))
                  .map(d -> d.lastUpdateId() + (d.isSnapshot() ? "s" : ""))
                  .distinct()
                  .toList())
          .isTrue();
    }
    assertThat(sent)
        .filteredOn(
            d -> ResyncCoverage.stored(deltas, row -> row.symbol().equals(d.symbol()), d.seq()))
        .as("most deltas were stored as deltas")
        .hasSizeGreaterThan(sent.size() * 3 / 4);
    for (Sent delta : lost) {
      assertThat(events)
          .as("lost delta seq=%s inside a recorded gap", delta.seq())
          .anyMatch(
              e ->
                  e.event() == StreamEventType.GAP
                      && delta.symbol().equals(e.symbol())
                      && e.fromUpdateId() <= delta.seq()
                      && e.toUpdateId() >= delta.seq());
    }
    // The lost deltas' gap, and possibly a second one for the seqs published between lake's
    // unsubscribe and subscribe (Kraken sends nothing meanwhile), up to the new snapshot; never one
    // over a delta the fake delivered: every delivered delta reaches lake in order.
    List<StreamEvent> gaps = events.stream().filter(e -> e.event() == StreamEventType.GAP).toList();
    assertThat(gaps)
        .hasSizeBetween(1, 2)
        .allSatisfy(gap -> assertThat(gap.symbol()).isEqualTo("PF_ETHUSD"));
    for (Sent delta : sent) {
      assertThat(gaps)
          .as("delivered delta seq=%s of %s outside every gap", delta.seq(), delta.symbol())
          .noneMatch(
              gap ->
                  delta.symbol().equals(gap.symbol())
                      && gap.fromUpdateId() <= delta.seq()
                      && (gap.toUpdateId() == null || gap.toUpdateId() >= delta.seq()));
    }
    assertThat(events)
        .filteredOn(e -> e.event() == StreamEventType.CHECKSUM_MISMATCH)
        .singleElement()
        .satisfies(mismatch -> assertThat(mismatch.symbol()).isEqualTo("BTC/USD"));
    assertThat(events)
        .filteredOn(e -> e.event() == StreamEventType.REJECTED_MESSAGE)
        .as("no rejected messages")
        .isEmpty();
    for (String symbol : SPOT) {
      assertRebuiltEqualsFake(deltas, symbol, DEPTH);
    }
    for (String symbol : FUTURES) {
      assertRebuiltEqualsFake(deltas, symbol, 1000);
    }
    assertThat(read(catalog, "trades")).as("every trade of both markets").hasSize(40 * 4);
    assertThat(read(catalog, "liquidation"))
        .extracting(row -> ((Liquidation) row).symbol(), row -> ((Liquidation) row).quantity())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("PF_ETHUSD", 7.0),
            org.assertj.core.groups.Tuple.tuple("PI_XBTUSD", 1000.0));
    assertThat(read(catalog, "funding_rate"))
        .extracting(row -> ((FundingRate) row).fundingRate())
        .containsOnly(0.0000125);
  }

  private void assertRebuiltEqualsFake(List<OrderBookDelta> deltas, String symbol, int depth) {
    OrderBook rebuilt =
        BookReplay.rebuild(deltas.stream().filter(d -> d.symbol().equals(symbol)).toList())
            .orElseThrow()
            .book();
    assertThat(rebuilt.levels(BookSide.BID))
        .as(symbol)
        .containsExactlyElementsOf(kraken.book(symbol).levels(true, depth));
    assertThat(rebuilt.levels(BookSide.ASK))
        .as(symbol)
        .containsExactlyElementsOf(kraken.book(symbol).levels(false, depth));
  }

  private static List<LakeRow> read(Catalog catalog, String table) {
    return TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", table)));
  }
}
