package dev.lake.core.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
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
    writeSmallFiles(commits, LakeWriter.builder(catalog).withoutWriteAheadLog());
  }

  private void writeSmallFiles(int commits, LakeWriter.Builder builder) {
    try (LakeWriter writer = builder.commitInterval(Duration.ofHours(1)).build()) {
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

  /** Whether the quantity column of every file of the delta table has a dictionary page. */
  private List<Boolean> quantityDictionaries() {
    List<Boolean> dictionaries = new ArrayList<>();
    for (FileScanTask task : files()) {
      for (var block :
          FooterCheck.footer(deltas().io().newInputFile(task.file().location())).getBlocks()) {
        for (var chunk : block.getColumns()) {
          if (chunk.getPath().toDotString().equals("quantity")) {
            dictionaries.add(chunk.hasDictionaryPage());
          }
        }
      }
    }
    return dictionaries;
  }

  @Test
  void compactedFilesKeepQuantitiesInADictionaryWhichStreamedFilesDoNot() {
    writeSmallFiles(20);
    assertThat(quantityDictionaries()).hasSize(80).containsOnly(false);

    compaction().build().run();

    // each partition's quantities are 0, 1 and 2, over and over: a dictionary of three
    assertThat(quantityDictionaries()).hasSize(4).containsOnly(true);
    assertThat(sorted(TableRows.readAll(deltas()))).isEqualTo(sorted(written));
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
  void groupsLostToAnotherCompactionAreCountedAsConflictsNotErrors() {
    writeSmallFiles(20);
    AtomicBoolean ran = new AtomicBoolean();
    CompactionListener racing =
        new CompactionListener() {
          @Override
          public void planned(String table, int groups, long bytes) {
            if (ran.compareAndSet(false, true)) {
              compaction().build().run(); // finishes first
            }
          }
        };
    CompactionResult.TableResult loser =
        compaction().listener(racing).build().run().tables().get(0);
    assertThat(loser.groupsConflicted()).isEqualTo(4);
    assertThat(loser.groupsInError()).isZero();
  }

  private long compactionCommits() {
    long commits = 0;
    for (Snapshot snapshot : deltas().snapshots()) {
      commits += Compaction.COMPACTION.equals(snapshot.summary().get(Compaction.OPERATION)) ? 1 : 0;
    }
    return commits;
  }

  @Test
  void theGroupsOfManyPartitionsAreCommittedTogetherInOneCommit() {
    writeSmallFiles(10);

    CompactionResult result = compaction().build().run();

    assertThat(result.tables().get(0).groupsCommitted()).isEqualTo(4);
    assertThat(compactionCommits()).isEqualTo(1);
  }

  @Test
  void groupsAreCommittedAsManyAtATimeAsAsked() {
    writeSmallFiles(10);

    compaction().groupsPerCommit(3).build().run();

    assertThat(compactionCommits()).isEqualTo(2);
    assertThat(filesPerPartition().values()).containsExactly(1, 1, 1, 1);
  }

  @Test
  void aBatchThatConflictsIsCommittedGroupByGroupAndOnlyTheGroupsWhoseFilesChangedFail() {
    writeSmallFiles(20);
    AtomicBoolean ran = new AtomicBoolean();
    CompactionListener racing =
        new CompactionListener() {
          @Override
          public void planned(String table, int groups, long bytes) {
            if (ran.compareAndSet(false, true)) {
              // finishes first, on BTCUSDT's two partitions only
              compaction()
                  .filter(org.apache.iceberg.expressions.Expressions.equal("symbol", "BTCUSDT"))
                  .build()
                  .run();
            }
          }
        };

    CompactionResult.TableResult loser =
        compaction().listener(racing).build().run().tables().get(0);

    assertThat(loser.groupsCommitted()).isEqualTo(2);
    assertThat(loser.groupsConflicted()).isEqualTo(2);
    assertThat(loser.failures()).allSatisfy(failure -> assertThat(failure).contains("BTCUSDT"));
    assertThat(filesPerPartition().values()).containsExactly(1, 1, 1, 1);
    assertThat(sorted(TableRows.readAll(deltas()))).isEqualTo(sorted(written));
  }

  @Test
  void groupsRewrittenOnSeveralThreadsWithinASmallRowLimitKeepEveryRowOnce() {
    writeSmallFiles(250);

    CompactionResult result = compaction().threads(4).maxGroupRows(1000).build().run();

    assertThat(result.failedGroups()).isZero();
    assertThat(sorted(TableRows.readAll(deltas()))).isEqualTo(sorted(written));
  }

  @Test
  void manyManifestsAreRewrittenAfterTheCompaction() {
    writeSmallFiles(10);
    assertThat(deltas().currentSnapshot().allManifests(deltas().io())).hasSize(10);

    compaction().rewriteManifestsAbove(2).build().run();

    // one day of one spec: one manifest
    assertThat(deltas().currentSnapshot().allManifests(deltas().io())).hasSize(1);
    assertThat(sorted(TableRows.readAll(deltas()))).isEqualTo(sorted(written));
  }

  @Test
  void fewManifestsAreLeftAsTheyAre() {
    writeSmallFiles(10);

    compaction().build().run();

    assertThat(deltas().currentSnapshot().summary())
        .containsEntry(Compaction.OPERATION, "compaction");
  }

  @Test
  void noCompactionThreadIsRefused() {
    assertThatThrownBy(() -> compaction().threads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid compaction threads: 0 (expected at least 1)");
  }

  @Test
  void noGroupsPerCommitIsRefused() {
    assertThatThrownBy(() -> compaction().groupsPerCommit(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid groups per commit: 0 (expected at least 1)");
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

  /** The data files of the delta table on storage, whether the table references them or not. */
  private Set<Path> filesOnStorage() throws IOException {
    try (Stream<Path> files = Files.walk(folder.resolve("crypto"))) {
      return files
          .filter(
              path ->
                  path.toString().contains("data_type=orderbook_delta")
                      && path.toString().endsWith(".parquet"))
          .collect(Collectors.toSet());
    }
  }

  private long rowsIn(List<FileScanTask> tasks) {
    long rows = 0;
    for (FileScanTask task : tasks) {
      try (CloseableIterable<Record> records =
          Parquet.read(deltas().io().newInputFile(task.file().location()))
              .project(deltas().schema())
              .createReaderFunc(
                  schema -> GenericParquetReaders.buildReader(deltas().schema(), schema))
              .build()) {
        for (Record ignored : records) {
          rows++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return rows;
  }

  @Test
  void replacedFilesStayDuringTheGraceSoThatAReaderWhoPlannedBeforeCanFinish() {
    writeSmallFiles(10);
    List<FileScanTask> plannedBefore = files();
    Compaction compaction = compaction().replacedFilesGrace(Duration.ofMinutes(10)).build();
    compaction.run();

    assertThat(compaction.removeReplacedFiles()).isEmpty();

    assertThat(rowsIn(plannedBefore)).isEqualTo(written.size());
  }

  @Test
  void replacedFilesAreReportedWithTheEndOfTheirGrace() {
    writeSmallFiles(10);
    compaction().build().run();
    Snapshot lastCompaction = deltas().currentSnapshot();

    List<ReplacedFiles> replaced =
        compaction().replacedFilesGrace(Duration.ofMinutes(10)).build().replacedFiles();

    assertThat(replaced)
        .singleElement()
        .satisfies(
            files -> {
              assertThat(files.table()).isEqualTo("orderbook_delta");
              assertThat(files.files()).isEqualTo(40);
              assertThat(files.compactions()).isEqualTo(1); // the 4 groups in one commit
              assertThat(files.removableAt())
                  .isEqualTo(
                      Instant.ofEpochMilli(lastCompaction.timestampMillis())
                          .plus(Duration.ofMinutes(10)));
            });
  }

  @Test
  void replacedFilesAreDeletedOnceTheirGraceHasPassed() throws IOException {
    writeSmallFiles(10);
    Set<Path> before = filesOnStorage();
    compaction().replacedFilesGrace(Duration.ofMinutes(10)).build().run();
    Clock elevenMinutesLater = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(11));

    List<ReplacedFiles> removed =
        compaction()
            .replacedFilesGrace(Duration.ofMinutes(10))
            .clock(elevenMinutesLater)
            .build()
            .removeReplacedFiles();

    assertThat(removed).singleElement().extracting(ReplacedFiles::files).isEqualTo(40L);
    assertThat(before).hasSize(40);
    assertThat(filesOnStorage()).hasSize(4).doesNotContainAnyElementsOf(before);
    assertThat(sorted(TableRows.readAll(deltas()))).isEqualTo(sorted(written));
  }

  @Test
  void aWriterRestartedAfterReplacedFilesWereRemovedCommitsNothingTwice() throws IOException {
    Path wal = folder.resolve("wal");
    Path leftOver = folder.resolve("wal-left-over");
    writeSmallFiles(10, LakeWriter.builder(catalog).writeAheadLog(wal));
    List<LakeRow> last = TestRows.message("BTCUSDT", 99, 3);
    try (LakeWriter writer = LakeWriter.builder(catalog).writeAheadLog(wal).build()) {
      writer.append(last);
      copyLog(wal, leftOver); // what a crash right after the next commit would leave
    }
    Compaction compaction =
        compaction().includeCurrentPartitions().replacedFilesGrace(Duration.ZERO).build();
    compaction.run();
    compaction.removeReplacedFiles();
    assertThat(deltas().snapshots()).hasSize(1);

    try (LakeWriter restarted = LakeWriter.builder(catalog).writeAheadLog(leftOver).build()) {
      assertThat(restarted.stats().rowsRecovered()).isZero();
    }

    List<LakeRow> expected = new ArrayList<>(written);
    expected.addAll(last);
    assertThat(sorted(TableRows.readAll(deltas()))).isEqualTo(sorted(expected));
  }

  private static void copyLog(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        if (!file.getFileName().toString().equals("lock")) {
          Files.copy(file, to.resolve(file.getFileName()));
        }
      }
    }
  }

  @Test
  void maintenanceStillWorksAfterReplacedFilesWereRemoved() throws IOException {
    writeSmallFiles(10);
    Compaction compaction = compaction().replacedFilesGrace(Duration.ZERO).build();
    compaction.run();
    compaction.removeReplacedFiles();
    Maintenance maintenance =
        Maintenance.builder(tables)
            .keepSnapshots(1)
            .keepSnapshotsYoungerThan(Duration.ZERO)
            .clock(Clock.offset(Clock.systemUTC(), Duration.ofDays(4)))
            .build();

    maintenance.rewriteManifests(LakeTables.ORDERBOOK_DELTA);
    maintenance.expireSnapshots(LakeTables.ORDERBOOK_DELTA);
    Maintenance.StepResult orphans = maintenance.removeOrphanFiles(LakeTables.ORDERBOOK_DELTA);

    assertThat(orphans.before()).as("unreachable files").isZero();
    assertThat(deltas().snapshots()).hasSize(1);
    assertThat(filesOnStorage()).hasSize(4);
    assertThat(sorted(TableRows.readAll(deltas()))).isEqualTo(sorted(written));
  }

  @Test
  void aNegativeGraceIsRefused() {
    assertThatThrownBy(() -> compaction().replacedFilesGrace(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid grace for replaced files: -1000 ms (expected zero or more)");
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
