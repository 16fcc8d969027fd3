package dev.lake.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.cli.CliRun;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code lake ingest} turns its metrics endpoint on, and refuses what it cannot serve. */
class MetricsOptionTest {
  @TempDir Path work;

  @BeforeEach
  void config() throws Exception {
    // nothing answers on port 1: lake keeps retrying until --duration ends it
    Files.writeString(
        work.resolve("lake.yml"),
        """
        source:
          binance:
            spot:
              orderbook:
                delta: {url: ws://127.0.0.1:1/ws, snapshot_url: http://127.0.0.1:1/api/v3/depth, symbols: [BTCUSDT]}
        sink:
          warehouse: ./warehouse
          wal_dir: ./wal
        """);
  }

  @Test
  void metricsAreOffUnlessAskedFor() {
    CliRun run = CliRun.run(work, "ingest", "--config", "lake.yml", "--duration", "1s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).doesNotContain("metrics on");
  }

  @Test
  void theMetricsPortOptionServesMetricsOnLoopback() throws Exception {
    CliRun run =
        CliRun.run(
            work, "ingest", "--config", "lake.yml", "--duration", "1s", "--metrics-port", "0");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .containsPattern(
            "lake ingest: metrics on http://127\\.0\\.0\\.1:\\d+/metrics, dashboard on"
                + " http://127\\.0\\.0\\.1:\\d+/");
  }

  @Test
  void aTakenPortStopsLakeIngestBeforeItStartsWithOneMessageNamingTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      CliRun run =
          CliRun.run(
              work,
              "ingest",
              "--config",
              "lake.yml",
              "--duration",
              "1s",
              "--metrics-port",
              Integer.toString(port));

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).doesNotContain("lake ingest:");
      assertThat(run.err())
          .startsWith(
              "lake: Cannot serve metrics on 127.0.0.1:"
                  + port
                  + ": Address already in use (choose another metrics.port or --metrics-port)");
    }
  }

  @Test
  void aMetricsPortOutsideTheTcpRangeIsAUsageError() {
    CliRun run = CliRun.run(work, "ingest", "--config", "lake.yml", "--metrics-port", "70000");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "lake: Invalid value for option '--metrics-port': 70000 (expected a TCP port from 0 to"
                + " 65535)");
  }
}
