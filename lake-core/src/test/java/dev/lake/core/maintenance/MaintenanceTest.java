package dev.lake.core.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import dev.lake.core.read.TableRows;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableManager;
import dev.lake.core.table.TableOptions;
import dev.lake.core.write.LakeWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceTest {
  @TempDir Path folder;
  private Catalog catalog;
  private TableManager tables;

  @BeforeEach
  void setUp() {
    catalog = TestCatalogs.sqlite(folder);
    tables = new TableManager(catalog, TableOptions.defaults());
  }

  private Table deltas() {
    return catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        if (!file.getFileName().toString().equals("lock")) {
          Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  @Test
  void aWriterRestartedAfterCompactionAndExpiryCommitsNothingTwice() throws Exception {
    Path wal = folder.resolve("wal");
    Path saved = folder.resolve("wal-before-commit");
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .writeAheadLog(wal)
            .commitInterval(Duration.ofHours(1))
            .build()) {
      for (int id = 0; id < 5; id++) {
        writer.append(TestRows.message("MARKER", id, 2));
        writer.flush();
      }
      for (int id = 5; id < 10; id++) {
        writer.append(TestRows.message("MARKER", id, 2));
      }
      copy(
          wal,
          saved); // what a crash right after the next commit would leave: rows already committed
      writer.flush();
    }
    Compaction.builder(tables).includeCurrentPartitions().build().run();
    Maintenance maintenance =
        Maintenance.builder(tables)
            .keepSnapshots(1)
            .keepSnapshotsYoungerThan(Duration.ZERO)
            .build();
    for (var table : LakeTables.all()) {
      maintenance.rewriteManifests(table);
      maintenance.expireSnapshots(table);
    }
    assertThat(deltas().snapshots()).hasSize(1);
    assertThat(deltas().currentSnapshot().summary()).doesNotContainKey("lake.writer-id");

    Files.walk(wal)
        .sorted(java.util.Comparator.reverseOrder())
        .forEach(path -> path.toFile().delete());
    copy(saved, wal);
    try (LakeWriter restarted = LakeWriter.builder(catalog).writeAheadLog(wal).build()) {
      assertThat(restarted.stats().rowsRecovered()).isZero();
      restarted.flush();
    }
    List<LakeRow> rows = TableRows.readAll(deltas());
    assertThat(TestRows.uniqueKeys(rows, "MARKER")).hasSize(20);
  }

  @Test
  void expiryKeepsTheNewestSnapshotsAndThoseYoungerThanTheAge() {
    try (LakeWriter writer = LakeWriter.builder(catalog).withoutWriteAheadLog().build()) {
      for (int id = 0; id < 6; id++) {
        writer.append(TestRows.message("EXPIRY", id, 1));
        writer.flush();
      }
    }
    Maintenance.StepResult young =
        Maintenance.builder(tables)
            .keepSnapshots(2)
            .build()
            .expireSnapshots(LakeTables.ORDERBOOK_DELTA);
    assertThat(young.after()).as("all younger than a day").isEqualTo(6);
    Maintenance.StepResult dry =
        Maintenance.builder(tables)
            .keepSnapshots(2)
            .keepSnapshotsYoungerThan(Duration.ZERO)
            .dryRun()
            .build()
            .expireSnapshots(LakeTables.ORDERBOOK_DELTA);
    assertThat(dry.detail()).isEqualTo("would expire 4 of 6 snapshots");
    assertThat(deltas().snapshots()).hasSize(6);
    Maintenance.StepResult expired =
        Maintenance.builder(tables)
            .keepSnapshots(2)
            .keepSnapshotsYoungerThan(Duration.ZERO)
            .build()
            .expireSnapshots(LakeTables.ORDERBOOK_DELTA);
    assertThat(expired.after()).isEqualTo(2);
    assertThat(TableRows.readAll(deltas())).hasSize(6);
  }

  @Test
  void rewritingManifestsMakesOnePerDayAndKeepsEveryRow() {
    try (LakeWriter writer = LakeWriter.builder(catalog).withoutWriteAheadLog().build()) {
      // 2 days x 3 hours x 4 symbols: 24 partitions, a commit each
      for (int day = 0; day < 2; day++) {
        for (int hour = 0; hour < 3; hour++) {
          for (int symbol = 0; symbol < 4; symbol++) {
            long updateId = (day * 24L + hour) * 3_600_000L;
            writer.append(List.of(TestRows.delta("SYM" + symbol, updateId, 0)));
            writer.flush();
          }
        }
      }
    }
    Maintenance.StepResult result =
        Maintenance.builder(tables).build().rewriteManifests(LakeTables.ORDERBOOK_DELTA);
    assertThat(result.before()).isEqualTo(24);
    assertThat(result.after()).isEqualTo(2);
    assertThat(TableRows.readAll(deltas())).hasSize(24);
  }

  @Test
  void orphanRemovalLooksUnderTheDataRootOfEachExchangeToo() throws Exception {
    Path apne1 = folder.resolve("apne1");
    TableOptions options =
        TableOptions.builder().dataRoots(Map.of("binance", apne1.toString())).build();
    try (LakeWriter writer =
        LakeWriter.builder(catalog).tableOptions(options).withoutWriteAheadLog().build()) {
      writer.append(TestRows.message("ORPHAN", 1, 2));
      writer.flush();
    }
    Path deltaFolder;
    try (Stream<Path> files = Files.walk(apne1)) {
      deltaFolder =
          files
              .filter(p -> p.toString().endsWith(".parquet"))
              .findFirst()
              .orElseThrow()
              .getParent();
    }
    Path orphan =
        Files.writeString(
            deltaFolder.resolve("part-orphan.snappy.parquet"), "left by a failed commit");

    Maintenance.builder(new TableManager(catalog, options))
        .clock(Clock.offset(Clock.systemUTC(), Duration.ofDays(4)))
        .build()
        .removeOrphanFiles(LakeTables.ORDERBOOK_DELTA);

    assertThat(orphan).doesNotExist();
    assertThat(TableRows.readAll(deltas())).hasSize(2);
  }

  @Test
  void orphanRemovalDeletesOnlyOldUnreachableFilesOfTheTableItself() throws Exception {
    try (LakeWriter writer = LakeWriter.builder(catalog).withoutWriteAheadLog().build()) {
      writer.append(TestRows.message("ORPHAN", 1, 2));
      writer.append(TestRows.oneOfEach());
      writer.flush();
    }
    Path root = folder.resolve("crypto");
    Path deltaFolder;
    try (Stream<Path> files = Files.walk(root)) {
      deltaFolder =
          files
              .filter(
                  p ->
                      p.toString().contains("data_type=orderbook_delta")
                          && p.toString().endsWith(".parquet"))
              .findFirst()
              .orElseThrow()
              .getParent();
    }
    Path orphan =
        Files.writeString(
            deltaFolder.resolve("part-orphan.snappy.parquet"), "left by a failed commit");
    Path orphanMetadata =
        Files.writeString(
            root.resolve("orderbook_delta/metadata/00099-orphan.metadata.json"), "{}");
    Path otherTable =
        Files.createDirectories(
            root.resolve("exchange=binance/market_type=future/data_type=funding_rate/year=2025"));
    Path notOurs = Files.writeString(otherTable.resolve("part-x.parquet"), "another table's");
    Path stray = Files.writeString(root.resolve("exchange=binance/notes.txt"), "a user's file");
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(4));

    Maintenance.StepResult young =
        Maintenance.builder(tables).build().removeOrphanFiles(LakeTables.ORDERBOOK_DELTA);
    assertThat(young.before()).isEqualTo(2);
    assertThat(orphan).exists();

    Maintenance.StepResult dry =
        Maintenance.builder(tables)
            .clock(later)
            .dryRun()
            .build()
            .removeOrphanFiles(LakeTables.ORDERBOOK_DELTA);
    assertThat(dry.detail()).startsWith("would delete 2 orphan files");
    assertThat(orphan).exists();

    Maintenance.StepResult removed =
        Maintenance.builder(tables)
            .clock(later)
            .build()
            .removeOrphanFiles(LakeTables.ORDERBOOK_DELTA);
    assertThat(removed.detail()).startsWith("deleted 2 orphan files");
    assertThat(orphan).doesNotExist();
    assertThat(orphanMetadata).doesNotExist();
    assertThat(notOurs).exists();
    assertThat(stray).exists();
    assertThat(folder.resolve("catalog.db")).exists();
    assertThat(TableRows.readAll(deltas())).hasSize(3);
  }

  @Test
  void anOrphanMarginUnderAnHourIsRefused() {
    assertThatThrownBy(() -> Maintenance.builder(tables).orphanMargin(Duration.ofMinutes(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid orphan margin: 10 min (expected at least 1 hour: younger files may be about to be committed)");
  }
}
