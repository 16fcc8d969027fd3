package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.CatalogType;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.read.TableRows;
import dev.lake.testing.RestCatalogServer;
import dev.lake.testing.binance.DepthEvent;
import dev.lake.testing.binance.FakeBinance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops and restarts of {@code bin/lake ingest}: what happened while lake was down is a recorded
 * {@code restart_gap}; a second signal exits at once and the write-ahead log keeps what was not
 * committed, which the next start commits.
 */
class RestartIT {
  @TempDir Path folder;
  private FakeBinance binance;
  private Distribution distribution;
  private Path work;

  @BeforeEach
  void start() throws Exception {
    binance = FakeBinance.start(Duration.ofSeconds(2));
    binance.addSymbol(MarketType.SPOT, "BTCUSDT", "BTC", "USDT", 30);
    distribution = Distribution.unpack(folder);
    work = Files.createDirectories(folder.resolve("work"));
  }

  @AfterEach
  void stop() {
    binance.close();
  }

  private void writeConfig(String catalog) throws Exception {
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
          commit_interval_ms: 500
          shutdown_timeout_ms: 20000
          wal_dir: ./wal
        %3$s
        """
            .formatted(binance.httpBase(), binance.wsBase(), catalog));
  }

  private Process ingest() throws Exception {
    Process lake =
        distribution.start(work, "ingest", "--config", "lake.yml", "--status-interval", "1s");
    binance.awaitSubscribed(MarketType.SPOT, "btcusdt@depth@100ms", Distribution.STARTUP);
    return lake;
  }

  private List<DepthEvent> publish(int events) throws InterruptedException {
    List<DepthEvent> sent = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      sent.add(binance.publishDepth(MarketType.SPOT, "BTCUSDT", 2));
      Thread.sleep(10); // pacing the fake, as a venue spreads its events
    }
    return sent;
  }

  private void stopWithSigterm(Process lake) throws Exception {
    Thread.sleep(500);
    lake.destroy();
    assertThat(lake.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(lake.exitValue()).as(Files.readString(work.resolve("stderr.txt"))).isZero();
  }

  private static List<OrderBookDelta> deltas(Catalog catalog) {
    return TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta")))
        .stream()
        .map(OrderBookDelta.class::cast)
        .toList();
  }

  private static List<StreamEvent> events(Catalog catalog) {
    return TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", "stream_events")))
        .stream()
        .map(StreamEvent.class::cast)
        .toList();
  }

  private static boolean stored(List<OrderBookDelta> rows, DepthEvent event) {
    return rows.stream().anyMatch(d -> !d.isSnapshot() && d.lastUpdateId() == event.lastUpdateId());
  }

  @Test
  void whatHappenedWhileLakeWasDownIsARecordedRestartGap() throws Exception {
    writeConfig("");
    Process first = ingest();
    List<DepthEvent> before = publish(20);
    stopWithSigterm(first);
    List<DepthEvent> whileDown = publish(7); // nobody listens
    Process second = ingest();
    List<DepthEvent> after = publish(20);
    stopWithSigterm(second);

    Catalog catalog =
        LakeCatalogs.open(CatalogSettings.embedded(work.resolve("warehouse").toString()));
    List<OrderBookDelta> rows = deltas(catalog);
    assertThat(before).allMatch(event -> stored(rows, event));
    assertThat(after).allMatch(event -> stored(rows, event));
    assertThat(whileDown).noneMatch(event -> stored(rows, event));
    long lastBefore = before.get(before.size() - 1).lastUpdateId();
    assertThat(events(catalog))
        .filteredOn(event -> event.event() == StreamEventType.RESTART_GAP)
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.symbol()).isEqualTo("BTCUSDT");
              assertThat(gap.fromUpdateId()).isEqualTo(lastBefore + 1);
              assertThat(gap.toUpdateId()).isEqualTo(after.get(0).firstUpdateId() - 1);
              assertThat(gap.toUpdateId())
                  .isGreaterThanOrEqualTo(whileDown.get(whileDown.size() - 1).lastUpdateId());
            });
  }

  @Test
  void lakeStatusReportsTheRestartGapAndTheTimeFromTheLastRowBeforeItToTheNextResync()
      throws Exception {
    writeConfig("");
    Instant since = Instant.now().minusSeconds(60);
    Process first = ingest();
    publish(20);
    stopWithSigterm(first);
    publish(7); // nobody listens
    Process second = ingest();
    publish(20);
    stopWithSigterm(second);
    Instant until = Instant.now().plusSeconds(60);

    CliRun run =
        CliRun.run(
            work,
            "status",
            "--config",
            "lake.yml",
            "--since",
            since.toString(),
            "--until",
            until.toString(),
            "--format",
            "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    Catalog catalog =
        LakeCatalogs.open(CatalogSettings.embedded(work.resolve("warehouse").toString()));
    StreamEvent gap =
        events(catalog).stream()
            .filter(event -> event.event() == StreamEventType.RESTART_GAP)
            .findFirst()
            .orElseThrow();
    List<OrderBookDelta> rows = deltas(catalog);
    long lastRowBefore =
        rows.stream()
            .mapToLong(OrderBookDelta::timestampMicros)
            .filter(time -> time < gap.timestampMicros())
            .max()
            .orElseThrow();
    long resyncAfter =
        events(catalog).stream()
            .filter(event -> event.event() == StreamEventType.RESYNC)
            .mapToLong(StreamEvent::timestampMicros)
            .filter(time -> time >= gap.timestampMicros())
            .min()
            .orElseThrow();
    JsonNode book = new ObjectMapper().readTree(run.out()).get("books").get(0);
    assertThat(book.get("symbol").asText()).isEqualTo("BTCUSDT");
    JsonNode restart = book.get("not_validated").get(1);
    assertThat(restart.get("cause").get("event").asText()).isEqualTo("restart_gap");
    assertThat(restart.get("cause").get("from_update_id").asLong()).isEqualTo(gap.fromUpdateId());
    assertThat(restart.get("cause").get("to_update_id").asLong()).isEqualTo(gap.toUpdateId());
    assertThat(restart.get("from").asText()).isEqualTo(text(lastRowBefore));
    assertThat(restart.get("to").asText()).isEqualTo(text(resyncAfter));
  }

  private static String text(long micros) {
    return Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1_000).toString();
  }

  @Test
  void aSecondSignalExitsAtOnceAndTheNextStartCommitsWhatTheLogKept() throws Exception {
    try (RestCatalogServer rest =
        RestCatalogServer.start(folder, work.resolve("warehouse").toString(), Map.of())) {
      writeConfig("  catalog: {type: rest, uri: " + rest.uri() + "}");
      Process first = ingest();
      List<DepthEvent> sent = publish(10);
      Thread.sleep(1500); // committed
      rest.stop();
      sent.addAll(publish(15)); // accepted into the log, not committable
      Thread.sleep(500);
      first.destroy(); // SIGTERM: waits for a commit that cannot happen
      Thread.sleep(1500); // the time is the behaviour: it keeps trying for as long
      assertThat(first.isAlive()).as("still trying to commit").isTrue();
      long signalled = System.nanoTime();
      first.destroy(); // the second SIGTERM
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled)).isLessThan(5000);
      assertThat(first.exitValue()).isEqualTo(130);
      assertThat(Files.readString(work.resolve("stderr.txt")))
          .contains("second signal: exiting now");
      try (Stream<Path> files = Files.list(work.resolve("wal"))) {
        assertThat(
                files
                    .filter(p -> p.getFileName().toString().startsWith("segment-"))
                    .mapToLong(p -> p.toFile().length())
                    .sum())
            .as("the log kept the rows")
            .isPositive();
      }

      rest.startAgain();
      Process second = ingest();
      stopWithSigterm(second);
      Catalog catalog =
          LakeCatalogs.open(
              new CatalogSettings(CatalogType.REST, rest.uri(), null, null, Map.of()));
      List<OrderBookDelta> rows = deltas(catalog);
      assertThat(sent).allMatch(event -> stored(rows, event));
      List<LakeRow> all = new ArrayList<>(rows);
      assertThat(
              all.stream()
                  .map(r -> (OrderBookDelta) r)
                  .filter(d -> !d.isSnapshot())
                  .map(d -> d.lastUpdateId() + "/" + d.side() + "/" + d.level())
                  .distinct()
                  .count())
          .as("nothing twice")
          .isEqualTo(rows.stream().filter(d -> !d.isSnapshot()).count());
    }
  }
}
