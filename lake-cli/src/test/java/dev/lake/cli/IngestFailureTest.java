package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.read.TableRows;
import dev.lake.testing.binance.DepthEvent;
import dev.lake.testing.binance.FakeBinance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lake ingest} in-process against a fake Binance on loopback, with storage that fails: the
 * exit code and the last line tell the truth.
 */
class IngestFailureTest {
  @TempDir Path work;
  private FakeBinance binance;

  @BeforeEach
  void start() {
    binance = FakeBinance.start(Duration.ofSeconds(2));
    binance.addSymbol(MarketType.SPOT, "BTCUSDT", "BTC", "USDT", 30);
  }

  @AfterEach
  void stop() {
    binance.close();
  }

  private void writeConfig(String sinkExtra) throws Exception {
    writeConfig(300, sinkExtra);
  }

  private void writeConfig(long commitIntervalMs, String sinkExtra) throws Exception {
    Files.writeString(
        work.resolve("lake.yml"),
        """
        source:
          binance:
            spot:
              orderbook:
                delta: {url: %2$s/ws, snapshot_url: %1$s/api/v3/depth, symbols: [BTCUSDT]}
        sink:
          warehouse: ./warehouse
          commit_interval_ms: %4$d
          shutdown_timeout_ms: 5000
          wal_dir: ./wal
        %3$s
        """
            .formatted(binance.httpBase(), binance.wsBase(), sinkExtra, commitIntervalMs));
  }

  /** Runs {@code lake ingest} for a while in another thread, once the book is subscribed. */
  private CompletableFuture<CliRun> ingest(Duration duration) {
    CompletableFuture<CliRun> run =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.run(
                    work,
                    "ingest",
                    "--config",
                    "lake.yml",
                    "--duration",
                    duration.toSeconds() + "s",
                    "--status-interval",
                    "1s"));
    binance.awaitSubscribed(MarketType.SPOT, "btcusdt@depth@100ms", Distribution.STARTUP);
    return run;
  }

  private List<DepthEvent> publish(int events) throws InterruptedException {
    List<DepthEvent> sent = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      sent.add(binance.publishDepth(MarketType.SPOT, "BTCUSDT", 2));
      Thread.sleep(10); // pacing the fake, as a venue spreads its events
    }
    return sent;
  }

  @Test
  void aStopThatCouldNotCommitExitsOneAndSaysTheRowsWaitInTheLogForTheNextStart() throws Exception {
    Files.writeString(work.resolve("not-a-folder"), "data files cannot go under a regular file");
    writeConfig("  data_root: ./not-a-folder/data");
    CompletableFuture<CliRun> running = ingest(Duration.ofSeconds(3));
    publish(20);
    CliRun run = running.get(60, TimeUnit.SECONDS);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(lastLine(run.out()))
        .startsWith("lake ingest: stopped. Rows committed: none;")
        .containsPattern(
            "; \\d+ rows not committed stay in the write-ahead log for the next start$");
    assertThat(lastLine(run.err()))
        .containsPattern(
            "^lake: Cannot commit \\d+ rows before stopping: .*not-a-folder.*; they stay")
        .endsWith(
            "; they stay in the write-ahead log at "
                + work.resolve("wal")
                + " and the next `lake ingest` on it commits them");
  }

  @Test
  void deletingTheWriteAheadLogFolderStopsIngestionWithExitOneAfterCommittingWhatItAccepted()
      throws Exception {
    writeConfig(60_000, ""); // nothing is committed before the folder goes
    CompletableFuture<CliRun> running = ingest(Duration.ofSeconds(120));
    List<DepthEvent> sent = publish(20);
    Thread.sleep(500); // loopback: accepted by now
    Path wal = work.resolve("wal");
    try (Stream<Path> files = Files.list(wal)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(wal);
    CliRun run = running.get(30, TimeUnit.SECONDS); // long before the two minutes

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.FAILURE);
    // rows still arriving after the writer stopped are counted, how many depends on timing
    assertThat(lastLine(run.err()))
        .matches(
            java.util.regex.Pattern.quote(
                    "lake: Cannot go on ingesting: the write-ahead log is gone: the folder "
                        + wal
                        + " no longer exists; every row accepted before is committed")
                + "(; \\d+ rows received after it could not be stored)?"
                + java.util.regex.Pattern.quote(
                    "; start `lake ingest` again to go on with a new log"));
    Catalog catalog =
        LakeCatalogs.open(CatalogSettings.embedded(work.resolve("warehouse").toString()));
    List<Long> stored =
        TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta")))
            .stream()
            .map(row -> ((OrderBookDelta) row).lastUpdateId())
            .toList();
    assertThat(sent).allMatch(event -> stored.contains(event.lastUpdateId()));
  }

  @Test
  void aTableDroppedWhileIngestingStopsWithExitOneAndSaysTheRowsWaitInTheLog() throws Exception {
    writeConfig("");
    CompletableFuture<CliRun> running = ingest(Duration.ofSeconds(120));
    publish(20);
    Catalog catalog =
        LakeCatalogs.open(CatalogSettings.embedded(work.resolve("warehouse").toString()));
    TableIdentifier deltas = TableIdentifier.of("crypto", "orderbook_delta");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (catalog.loadTable(deltas).currentSnapshot() == null) {
      assertThat(System.nanoTime()).as("waiting for a first commit").isLessThan(deadline);
      Thread.sleep(20); // polls the table for its first commit
    }
    catalog.dropTable(deltas, false);
    publish(20);
    CliRun run = running.get(30, TimeUnit.SECONDS); // long before the two minutes

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(lastLine(run.err()))
        .startsWith(
            "lake: Cannot commit to table crypto.orderbook_delta: the table was dropped"
                + " (NoSuchTableException: ")
        .containsPattern(
            "\\)\\. Every (received row|row accepted before it) is kept in the write-ahead log at "
                + java.util.regex.Pattern.quote(work.resolve("wal").toString()))
        .endsWith("; recreate the table (lake tables create) and start lake ingest again.");
  }

  private static String lastLine(String text) {
    return text.strip().lines().reduce((first, second) -> second).orElseThrow();
  }
}
