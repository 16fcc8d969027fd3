package dev.lake.core.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.TestCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.read.TableRows;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableManager;
import dev.lake.core.table.TableOptions;
import dev.lake.core.write.LakeWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
  /** 2025-08-05T13:00:00Z. */
  private static final long HOUR_13 = 1_754_398_800_000L;

  @TempDir Path folder;
  private Catalog catalog;
  private TableManager tables;
  private List<OrderBookDelta> written;

  @BeforeEach
  void setUp() {
    catalog = TestCatalogs.sqlite(folder);
    tables = new TableManager(catalog, TableOptions.defaults());
    written = new ArrayList<>();
  }

  private Table deltas() {
    return catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
  }

  /**
   * Writes {@code commits} commits, each with a few rows in each of 2 symbols x 2 hours (4 files).
   */
  private void writeSmallFiles(int commits) {
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .withoutWriteAheadLog()
            .commitInterval(Duration.ofHours(1))
            .build()) {
      for (int commit = 0; commit < commits; commit++) {
        List<LakeRow> rows = new ArrayList<>();
        for (String symbol : List.of("BTCUSDT", "ETHUSDT")) {
          for (int hour = 0; hour < 2; hour++) {
            for (int level = 0; level < 3; level++) {
              // timestamps go back and forth so that files are not already in order
              long ms = HOUR_13 + hour * 3_600_000L + ((commit * 7919L) % 3_500_000L);
              OrderBookDelta row =
                  new OrderBookDelta(
                      "binance",
                      MarketType.SPOT,
                      symbol,
                      ms * 1000,
                      commit,
                      level % 2 == 0 ? BookSide.BID : BookSide.ASK,
                      100 + commit * 0.01,
                      level,
                      level,
                      ms * 1000 + 5,
                      null,
                      null,
                      false);
              rows.add(row);
              written.add(row);
            }
          }
        }
        writer.append(rows);
        writer.flush();
      }
    }
  }

  private List<FileScanTask> files() {
    List<FileScanTask> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = deltas().newScan().planFiles()) {
      tasks.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private Map<String, Integer> filesPerPartition() {
    Map<String, Integer> counts = new HashMap<>();
    for (FileScanTask task : files()) {
      counts.merge(task.spec().partitionToPath(task.file().partition()), 1, Integer::sum);
    }
    return counts;
  }

  private static List<LakeRow> sorted(List<? extends LakeRow> rows) {
    List<LakeRow> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Object::toString));
    return copy;
  }

  private Compaction.Builder compaction() {
    return Compaction.builder(tables).tables(List.of(LakeTables.ORDERBOOK_DELTA));
  }

  @Test
  void aThousandSmallFilesBecomeOneFilePerPartitionWithTheSameRowsInSortOrder() {
    writeSmallFiles(250);
    assertThat(files()).hasSize(1000);
    assertThat(filesPerPartition())
        .hasSize(4)
        .allSatisfy((partition, count) -> assertThat(count).isEqualTo(250));

    CompactionResult result = compaction().build().run();

    assertThat(result.failedGroups()).isZero();
    assertThat(result.tables())
        .singleElement()
        .satisfies(
            table -> {
              assertThat(table.filesBefore()).isEqualTo(1000);
              assertThat(table.filesAfter()).isEqualTo(4);
              assertThat(table.groupsCommitted()).isEqualTo(4);
              assertThat(table.bytesAfter()).isLessThan(table.bytesBefore());
            });
    assertThat(filesPerPartition())
        .hasSize(4)
        .allSatisfy((partition, count) -> assertThat(count).isEqualTo(1));
    assertThat(sorted(TableRows.readAll(deltas()))).isEqualTo(sorted(written));
    for (FileScanTask task : files()) {
      long previous = Long.MIN_VALUE;
      try (CloseableIterable<Record> records =
          Parquet.read(deltas().io().newInputFile(task.file().location()))
              .project(deltas().schema())
              .createReaderFunc(
                  schema -> GenericParquetReaders.buildReader(deltas().schema(), schema))
              .build()) {
        for (Record record : records) {
          // one symbol per partition: sorted by timestamp
          long millis =
              ((java.time.OffsetDateTime) record.getField("timestamp")).toInstant().toEpochMilli();
          assertThat(millis).as("rows in timestamp order").isGreaterThanOrEqualTo(previous);
          previous = millis;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Test
  void anAppendCommittedWhileCompactionRunsSurvivesIt() {
    writeSmallFiles(20);
    List<OrderBookDelta> late = new ArrayList<>();
    CompactionListener appendMeanwhile =
        new CompactionListener() {
          @Override
          public void planned(String table, int groups, long bytes) {
            try (LakeWriter writer = LakeWriter.builder(catalog).withoutWriteAheadLog().build()) {
              for (int i = 0; i < 10; i++) {
                late.add(
                    new OrderBookDelta(
                        "binance",
                        MarketType.SPOT,
                        "BTCUSDT",
                        (HOUR_13 + 10 + i) * 1000,
                        9000 + i,
                        BookSide.BID,
                        1,
                        1,
                        0,
                        HOUR_13 * 1000 + 20,
                        null,
                        null,
                        false));
              }
              writer.append(late);
              writer.flush();
            }
          }
        };
    CompactionResult result = compaction().listener(appendMeanwhile).build().run();
    assertThat(result.failedGroups()).isZero();
    List<LakeRow> expected = new ArrayList<>(written);
    expected.addAll(late);
    assertThat(sorted(TableRows.readAll(deltas()))).isEqualTo(sorted(expected));
  }

  @Test
  void twoCompactionsAtOnceLoseAndDuplicateNothingAndTheLoserReportsAConflict() {
    writeSmallFiles(20);
    AtomicBoolean ran = new AtomicBoolean();
    List<CompactionResult> other = new ArrayList<>();
    CompactionListener racing =
        new CompactionListener() {
          @Override
          public void planned(String table, int groups, long bytes) {
            if (ran.compareAndSet(false, true)) {
              other.add(compaction().build().run()); // finishes first
            }
          }
        };
    CompactionResult loser = compaction().listener(racing).build().run();
    assertThat(other.get(0).failedGroups()).isZero();
    assertThat(loser.failedGroups()).isEqualTo(4);
    assertThat(loser.tables().get(0).failures())
        .allSatisfy(failure -> assertThat(failure).contains("conflict with another change"));
    assertThat(sorted(TableRows.readAll(deltas()))).isEqualTo(sorted(written));
    assertThat(filesPerPartition())
        .allSatisfy((partition, count) -> assertThat(count).isEqualTo(1));
  }

  @Test
  void aDryRunChangesNothing() {
    writeSmallFiles(10);
    String metadata = ((HasTableOperations) deltas()).operations().current().metadataFileLocation();
    List<String> before = files().stream().map(task -> task.file().location()).sorted().toList();
    CompactionResult result = compaction().dryRun().build().run();
    assertThat(result.tables().get(0).groups()).isEqualTo(4);
    assertThat(result.tables().get(0).groupsCommitted()).isZero();
    assertThat(((HasTableOperations) deltas()).operations().current().metadataFileLocation())
        .isEqualTo(metadata);
    assertThat(files().stream().map(task -> task.file().location()).sorted().toList())
        .isEqualTo(before);
  }

  @Test
  void theCurrentHourIsLeftAloneUnlessAsked() {
    writeSmallFiles(10);
    java.time.Clock inHour14 =
        java.time.Clock.fixed(
            java.time.Instant.ofEpochMilli(HOUR_13 + 3_700_000L), java.time.ZoneOffset.UTC);
    CompactionResult result = compaction().clock(inHour14).build().run();
    assertThat(result.tables().get(0).groupsCommitted()).isEqualTo(2); // hour 13 of both symbols
    assertThat(filesPerPartition().values()).containsExactlyInAnyOrder(1, 1, 10, 10);
  }
}
