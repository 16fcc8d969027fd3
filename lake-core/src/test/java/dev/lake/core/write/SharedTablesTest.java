package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.read.TableRows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several writers (shards) committing to the same tables: each keeps its own position, none
 * overwrites another's, and the conflicts between them are counted.
 */
class SharedTablesTest {
  private static final TableIdentifier DELTA = TableIdentifier.of("crypto", "orderbook_delta");

  @TempDir Path folder;

  private LakeWriter writer(Catalog catalog, String name) {
    return LakeWriter.builder(catalog)
        .writeAheadLog(folder.resolve("wal-" + name))
        .commitInterval(Duration.ofMillis(200))
        .build();
  }

  /** Three writers on one table set, each with its own log (its own writer id). */
  private List<LakeWriter> writers() {
    Catalog catalog = TestCatalogs.sqlite(folder);
    List<LakeWriter> writers = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      writers.add(writer(catalog, name));
    }
    return writers;
  }

  private static List<Thread> sources(List<LakeWriter> writers, AtomicBoolean stop) {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < writers.size(); i++) {
      LakeWriter writer = writers.get(i);
      String symbol = "SHARD" + i;
      Thread thread =
          new Thread(
              () -> {
                try {
                  for (long id = 0; !stop.get(); id++) {
                    writer.append(TestRows.message(symbol, id, 2));
                    Thread.sleep(1); // pacing the source, as a venue spreads its messages
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      thread.start();
      threads.add(thread);
    }
    return threads;
  }

  private static void stop(List<Thread> threads, AtomicBoolean stop) throws InterruptedException {
    stop.set(true);
    for (Thread thread : threads) {
      thread.join();
    }
  }

  @Test
  void eachWriterKeepsItsOwnPositionWhenOthersCommitToTheSameTable() throws Exception {
    List<LakeWriter> writers = writers();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = sources(writers, stop);
    Thread.sleep(1000); // several commit rounds of each writer: the time is the behaviour
    stop(threads, stop);
    for (LakeWriter writer : writers) {
      assertThat(writer.flush(Duration.ofSeconds(60))).isTrue();
    }
    Table table = TestCatalogs.sqlite(folder).loadTable(DELTA);
    for (LakeWriter writer : writers) {
      String property = table.properties().get(LakeWriter.positionProperty(writer.writerId()));
      long fromHistory = 0;
      for (org.apache.iceberg.Snapshot snapshot : table.snapshots()) {
        fromHistory =
            Math.max(fromHistory, CommitPositions.fromSummary(snapshot, writer.writerId()));
      }
      assertThat(property).as(writer.writerId()).isNotNull();
      assertThat(Long.parseLong(property)).as(writer.writerId()).isEqualTo(fromHistory);
      writer.close();
    }
  }

  @Test
  void aReopenedWriterResumesFromItsOwnPositionAndCommitsNothingTwice() throws Exception {
    List<LakeWriter> writers = writers();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = sources(writers, stop);
    Thread.sleep(200);
    stop(threads, stop);
    List<Long> appended = new ArrayList<>();
    for (LakeWriter writer : writers) {
      appended.add(writer.stats().totalRowsAppended());
      writer.close();
    }
    try (LakeWriter again = writer(TestCatalogs.sqlite(folder), "b")) {
      assertThat(again.stats().rowsRecovered()).isZero();
      again.append(TestRows.message("SHARD1", 1_000_000, 2));
      assertThat(again.flush(Duration.ofSeconds(60))).isTrue();
    }
    Table table = TestCatalogs.sqlite(folder).loadTable(DELTA);
    for (int i = 0; i < 3; i++) {
      long rows = TableRows.read(table, Expressions.equal("symbol", "SHARD" + i)).size();
      assertThat(rows).as("SHARD" + i).isEqualTo(appended.get(i) + (i == 1 ? 2 : 0));
    }
  }

  @Test
  void aReopenedWriterNamesItsFilesApartFromTheFilesItsLastOpeningCommitted() throws Exception {
    Catalog catalog = TestCatalogs.sqlite(folder);
    for (long id = 1; id <= 2; id++) {
      try (LakeWriter writer = writer(catalog, "b")) {
        writer.append(TestRows.message("SHARD1", id, 2));
        assertThat(writer.flush(Duration.ofSeconds(60))).isTrue();
      }
    }
    List<String> names = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = catalog.loadTable(DELTA).newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        String location = task.file().location();
        // names carry the time to the second: two openings within one second must differ still
        names.add(location.substring(location.lastIndexOf('/') + 1).replaceFirst("T\\d{6}-", "-"));
      }
    }
    assertThat(names).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void commitsThatMeetAnotherWritersCommitAreCountedAsConflicts() throws Exception {
    List<LakeWriter> writers = writers();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = sources(writers, stop);
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> writers.stream().mapToLong(w -> w.stats().commitConflicts()).sum() > 0);
    } finally {
      stop(threads, stop);
      for (LakeWriter writer : writers) {
        writer.close();
      }
    }
    Table table = TestCatalogs.sqlite(folder).loadTable(DELTA);
    for (int i = 0; i < 3; i++) {
      assertThat(TableRows.read(table, Expressions.equal("symbol", "SHARD" + i)))
          .as("SHARD" + i)
          .hasSize((int) writers.get(i).stats().totalRowsCommitted());
    }
  }
}
