package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.CatalogType;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.read.TableRows;
import dev.lake.core.write.LakeWriter;
import dev.lake.core.write.WriterStats;
import dev.lake.testing.RestCatalogServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Measures the commit conflicts of N shards committing to the same table through one REST catalog:
 * N {@link LakeWriter}s in this JVM, each with its own log and its own catalog client, commit every
 * second (minute-like commits compressed), started together so that without jitter their commits
 * meet as often as they can. Prints conflicts per commit and the commits lake itself had to retry
 * (Iceberg's retries ran out); asserts only that every row landed once, never a time. {@code mvn
 * -Plong}.
 */
@Tag("long")
class ShardCommitConflictsTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration RUN = Duration.ofSeconds(30);
  private static final TableIdentifier DELTA = TableIdentifier.of("crypto", "orderbook_delta");

  @TempDir Path folder;

  @ParameterizedTest(name = "{0} writers, jitter {1} ms")
  @CsvSource({"3, 0", "3, 100", "3, 500", "5, 0", "5, 100", "5, 500"})
  void everyCommitOfWritersSharingATableLandsAndTheirConflictsAreCounted(
      int writerCount, long jitterMillis) throws Exception {
    Files.createDirectories(folder.resolve("warehouse"));
    try (RestCatalogServer rest =
        RestCatalogServer.start(folder, folder.resolve("warehouse").toString(), Map.of())) {
      List<LakeWriter> writers = new ArrayList<>();
      for (int i = 0; i < writerCount; i++) {
        writers.add(
            LakeWriter.builder(catalog(rest))
                .writeAheadLog(folder.resolve("wal-" + i))
                .commitInterval(INTERVAL)
                .commitJitter(Duration.ofMillis(jitterMillis))
                .build());
      }
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> sources = new ArrayList<>();
      for (int i = 0; i < writerCount; i++) {
        LakeWriter writer = writers.get(i);
        String symbol = "SHARD" + i;
        Thread source = new Thread(() -> feed(writer, symbol, stop), "source-" + symbol);
        source.start();
        sources.add(source);
      }
      Thread.sleep(RUN.toMillis()); // a measurement over a period: the time is the behaviour
      stop.set(true);
      for (Thread source : sources) {
        source.join();
      }
      List<WriterStats> stats = new ArrayList<>();
      for (LakeWriter writer : writers) {
        assertThat(writer.flush(Duration.ofSeconds(120))).isTrue();
        stats.add(writer.stats());
        writer.close();
      }

      Table table = catalog(rest).loadTable(DELTA);
      for (int i = 0; i < writerCount; i++) {
        assertThat(TableRows.read(table, Expressions.equal("symbol", "SHARD" + i)))
            .as("SHARD" + i)
            .hasSize((int) stats.get(i).totalRowsAppended());
      }
      report(writerCount, jitterMillis, stats);
    }
  }

  private static Catalog catalog(RestCatalogServer rest) {
    return LakeCatalogs.open(
        new CatalogSettings(CatalogType.REST, rest.uri(), null, null, Map.of()));
  }

  /** About 200 two-row book messages a second, as a busy shard's share of a venue. */
  private static void feed(LakeWriter writer, String symbol, AtomicBoolean stop) {
    try {
      for (long id = 0; !stop.get(); id++) {
        writer.append(TestRows.message(symbol, id, 2));
        Thread.sleep(5); // pacing the source, as a venue spreads its messages
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void report(int writerCount, long jitterMillis, List<WriterStats> stats) {
    long commits = 0;
    long conflicts = 0;
    long retried = 0;
    long maxConflicts = 0;
    for (WriterStats writer : stats) {
      commits += writer.commits();
      conflicts += writer.commitConflicts();
      retried += writer.commitFailures().values().stream().mapToLong(Long::longValue).sum();
      maxConflicts = Math.max(maxConflicts, writer.commitConflicts());
    }
    System.out.printf(
        Locale.ROOT,
        "ShardCommitConflicts: %d writers, interval %d ms, jitter %d ms, %d s: %d commits, %d"
            + " conflicts (%.2f per commit, at most %d for one writer), %d commits retried by"
            + " lake after Iceberg's retries ran out, every commit landed%n",
        writerCount,
        INTERVAL.toMillis(),
        jitterMillis,
        RUN.toSeconds(),
        commits,
        conflicts,
        commits == 0 ? 0.0 : (double) conflicts / commits,
        maxConflicts,
        retried);
  }
}
