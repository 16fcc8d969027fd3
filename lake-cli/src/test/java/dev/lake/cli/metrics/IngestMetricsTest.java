package dev.lake.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lake.core.model.MarketType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics endpoint of {@code lake ingest} against a fake Binance on loopback, scraped over HTTP
 * while it runs and read by a strict parser of the exposition format.
 */
class IngestMetricsTest {
  private static final Predicate<Map<String, String>> SPOT =
      labels -> "binance".equals(labels.get("exchange")) && "spot".equals(labels.get("market"));

  @TempDir Path folder;
  private RunningIngest ingest;

  @BeforeEach
  void start() throws Exception {
    ingest = RunningIngest.start(folder);
    ingest.awaitEndpoint();
  }

  @AfterEach
  void stop() throws Exception {
    ingest.close();
  }

  @Test
  void theEndpointServesValidExpositionWhoseCountersMoveWhileLakeIngests() throws Exception {
    ingest.publishRound();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ingest.scrape().sum("lake_rows_committed_total") > 0);
    PrometheusText before = ingest.scrape();
    for (int round = 0; round < 5; round++) {
      ingest.publishRound();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                ingest.scrape().sum("lake_rows_committed_total")
                    > before.sum("lake_rows_committed_total"));
    PrometheusText after = ingest.scrape();
    Files.writeString(Path.of("target", "metrics-sample.txt"), ingest.get("metrics").body());

    assertThat(after.sum("lake_messages_received_total", SPOT))
        .isGreaterThan(before.sum("lake_messages_received_total", SPOT));
    assertThat(
            after.value(
                "lake_rows_received_total",
                "exchange",
                "binance",
                "market",
                "future",
                "table",
                "orderbook_delta"))
        .isGreaterThan(0);
    assertThat(after.value("lake_connections_open", "exchange", "binance", "market", "spot"))
        .isEqualTo(1);
    assertThat(after.sum("lake_commit_duration_seconds_count")).isGreaterThan(0);
    assertThat(after.sum("lake_receive_to_commit_delay_seconds_count")).isGreaterThan(0);
    assertThat(after.value("lake_last_commit_timestamp_seconds", "table", "orderbook_delta"))
        .isGreaterThan(System.currentTimeMillis() / 1000.0 - 60);
    assertThat(after.types())
        .containsEntry("lake_gaps_total", "counter")
        .containsEntry("lake_books", "gauge")
        .containsEntry("lake_receive_to_commit_delay_seconds", "histogram")
        .containsKey("lake_wal_bytes")
        .containsKey("lake_wal_segments")
        .containsKey("jvm_memory_used_bytes");
    assertThat(after.samples())
        .as("no series is labelled by symbol")
        .allSatisfy(sample -> assertThat(sample.labels()).doesNotContainKey("symbol"));
  }

  @Test
  void aGapShowsInTheGapCounterAndKeepsTheBookOutOfSyncUntilItIsResynced() throws Exception {
    awaitBooksInSync(2);
    assertThat(ingest.scrape().sum("lake_gaps_total", SPOT)).isZero();
    // the resync's snapshot is refused for two seconds: the book stays out of sync meanwhile
    ingest.binance.failNextRequests("/api/v3/depth", 1, 429, 2);
    ingest.dropSpotEvent();
    ingest.binance.publishDepth(MarketType.SPOT, "BTCUSDT", 2);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ingest.scrape().sum("lake_gaps_total", SPOT) == 1);
    PrometheusText gap = ingest.scrape();
    assertThat(books(gap, "out_of_sync")).isEqualTo(1);
    assertThat(books(gap, "in_sync")).isEqualTo(1);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              ingest.publishRound(); // a message past the new snapshot brings the book in sync
              return books(ingest.scrape(), "in_sync") == 2;
            });
    PrometheusText resynced = ingest.scrape();
    assertThat(books(resynced, "out_of_sync")).isZero();
    assertThat(resynced.sum("lake_gaps_total", SPOT)).isEqualTo(1);
    assertThat(resynced.sum("lake_rate_limited_total", SPOT)).isEqualTo(1);
    assertThat(resynced.sum("lake_resyncs_total", SPOT))
        .isEqualTo(3); // two first loads, one resync
  }

  @Test
  void theStatusLineAndTheMetricsShowTheSameCounters() throws Exception {
    awaitBooksInSync(2);
    ingest.dropSpotEvent();
    ingest.binance.publishDepth(MarketType.SPOT, "BTCUSDT", 2);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              ingest.publishRound();
              PrometheusText metrics = ingest.scrape();
              return metrics.sum("lake_gaps_total") == 1 && books(metrics, "in_sync") == 2;
            });
    PrometheusText metrics = ingest.scrape();
    // the status line printed after this scrape
    int printed = ingest.out().length();
    await().atMost(Duration.ofSeconds(10)).until(() -> lastStatusLine(printed) != null);
    String line = lastStatusLine(printed);

    assertThat(number(line, "gaps (\\d+)")).isEqualTo((long) metrics.sum("lake_gaps_total"));
    assertThat(number(line, "books in sync (\\d+)/"))
        .isEqualTo(
            (long) metrics.sum("lake_books", labels -> "in_sync".equals(labels.get("state"))));
    assertThat(number(line, "books in sync \\d+/(\\d+)"))
        .isEqualTo((long) metrics.sum("lake_books"));
    assertThat(number(line, "connections (\\d+)"))
        .isEqualTo((long) metrics.sum("lake_connections_open"));
  }

  private void awaitBooksInSync(int count) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              ingest.publishRound();
              return books(ingest.scrape(), "in_sync") == count;
            });
  }

  private static double books(PrometheusText metrics, String state) {
    return metrics.sum("lake_books", SPOT.and(labels -> state.equals(labels.get("state"))));
  }

  private String lastStatusLine(int after) {
    String[] lines = ingest.out().substring(after).split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].contains(" rows/s") && lines[i].contains("| gaps")) {
        return lines[i];
      }
    }
    return null;
  }

  private static long number(String line, String pattern) {
    Matcher matcher = Pattern.compile(pattern).matcher(line);
    assertThat(matcher.find()).as(pattern + " in " + line).isTrue();
    return Long.parseLong(matcher.group(1));
  }
}
