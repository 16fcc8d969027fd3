package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.MarketType;
import dev.lake.testing.binance.FakeBinance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
          commit_interval_ms: 300
          shutdown_timeout_ms: 1500
          wal_dir: ./wal
        %3$s
        """
            .formatted(binance.httpBase(), binance.wsBase(), sinkExtra));
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
    binance.awaitSubscribed(MarketType.SPOT, "btcusdt@depth@100ms", Duration.ofSeconds(60));
    return run;
  }

  private void publish(int events) throws InterruptedException {
    for (int i = 0; i < events; i++) {
      binance.publishDepth(MarketType.SPOT, "BTCUSDT", 2);
      Thread.sleep(10);
    }
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

  private static String lastLine(String text) {
    return text.strip().lines().reduce((first, second) -> second).orElseThrow();
  }
}
