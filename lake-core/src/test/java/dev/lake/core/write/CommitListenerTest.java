package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a writer tells of its commits, and the per-table counters metrics read. */
class CommitListenerTest {
  @TempDir Path warehouse;

  private record Commit(String table, long rows, long commitNanos, long delayNanos) {}

  @Test
  void everyTableCommitIsToldWithItsRowsDurationAndTheWaitOfItsOldestRow() throws Exception {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    List<Commit> commits = new CopyOnWriteArrayList<>();
    List<LakeRow> rows = TestRows.oneOfEach();
    long appended;
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .writeAheadLog(warehouse.resolve("wal"))
            .commitInterval(Duration.ofSeconds(60))
            .commitListener(
                new CommitListener() {
                  @Override
                  public void committed(String table, long count, long commitNanos, long delay) {
                    commits.add(new Commit(table, count, commitNanos, delay));
                  }

                  @Override
                  public void commitFailed(String table) {}
                })
            .build()) {
      appended = System.nanoTime();
      writer.append(rows);
      Thread.sleep(50); // the rows wait at least this long before the flush commits them
      writer.flush();
      long waited = System.nanoTime() - appended;

      assertThat(commits).hasSize(rows.size());
      assertThat(commits)
          .allSatisfy(
              commit -> {
                assertThat(commit.rows()).isEqualTo(1);
                assertThat(commit.commitNanos()).isPositive();
                assertThat(commit.delayNanos()).isBetween(50_000_000L, waited);
              });
    }
  }

  @Test
  void statsGiveTheLastCommitOfEachTableAndTheLogsSegments() {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    List<LakeRow> rows = TestRows.oneOfEach();
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .writeAheadLog(warehouse.resolve("wal"))
            .commitInterval(Duration.ofSeconds(60))
            .build()) {
      Instant before = Instant.now();
      writer.append(rows);
      writer.flush();
      WriterStats stats = writer.stats();

      assertThat(stats.lastCommitByTable())
          .containsOnlyKeys(rows.stream().map(LakeRow::tableName).toList())
          .allSatisfy((table, at) -> assertThat(at).isAfterOrEqualTo(before));
      assertThat(stats.commitFailures()).isEmpty();
      assertThat(stats.walSegments()).isGreaterThanOrEqualTo(1);
    }
  }
}
