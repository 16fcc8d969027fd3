package dev.lake.core.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.core.OldLakeTables;
import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.layout.LakeLocationProvider;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.read.TableRows;
import dev.lake.core.write.LakeWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableManagerTest {
  @TempDir Path folder;

  private static List<StreamEvent> events() {
    long micros = TestRows.BASE_MS * 1000;
    return List.of(
        new StreamEvent(
            "binance",
            "future",
            "orderbook_delta",
            "BTCUSDT",
            StreamEventType.GAP,
            "pu=7 after u=5",
            6L,
            6L,
            micros,
            micros + 10),
        new StreamEvent(
            "binance",
            "future",
            "liquidation",
            null,
            StreamEventType.DISCONNECT,
            null,
            null,
            null,
            micros + 1,
            micros + 11),
        new StreamEvent(
            "binance",
            "future",
            StreamEvent.ALL,
            null,
            StreamEventType.RATE_LIMITED,
            "429",
            null,
            null,
            micros + 2,
            micros + 12));
  }

  private static Table streamEvents(Catalog catalog) {
    return catalog.loadTable(TableIdentifier.of("crypto", StreamEvent.TABLE));
  }

  private static TableChange changeOf(List<TableChange> changes, String table) {
    return changes.stream()
        .filter(change -> change.table().equals(table))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void anOldStreamEventsTableGetsDataTypeRenamedToFeedAndSaysSo() {
    Catalog catalog = TestCatalogs.sqlite(folder);
    OldLakeTables.streamEventsWithDataType(catalog, events());

    List<TableChange> changes =
        new TableManager(catalog, TableOptions.defaults()).ensureAllTables();

    assertThat(changeOf(changes, StreamEvent.TABLE))
        .isEqualTo(
            new TableChange(
                StreamEvent.TABLE,
                TableChange.Kind.UPGRADED,
                List.of(),
                List.of(new TableChange.RenamedColumn("data_type", "feed")),
                List.of()));
  }

  @Test
  void theRenamedFeedColumnKeepsItsFieldIdAndTheRowsWrittenBefore() {
    Catalog catalog = TestCatalogs.sqlite(folder);
    OldLakeTables.streamEventsWithDataType(catalog, events());

    new TableManager(catalog, TableOptions.defaults()).ensureAllTables();

    Table table = streamEvents(catalog);
    assertThat(table.schema().findField("feed").fieldId()).isEqualTo(3);
    assertThat(table.schema().findField("data_type")).isNull();
    assertThat(TableRows.readAll(table)).containsExactlyInAnyOrderElementsOf(events());
  }

  private static TableOptions roots(Map<String, String> roots) {
    return TableOptions.builder().dataRoots(roots).build();
  }

  private static Map<String, String> rootsOf(Catalog catalog) {
    return LakeLocationProvider.rootsByKey(
        catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta")).properties());
  }

  @Test
  void aNewTableCarriesTheDataRootsPerExchangeAsProperties() {
    Catalog catalog = TestCatalogs.sqlite(folder);

    new TableManager(catalog, roots(Map.of("binance", "s3://lake-apne1/"))).ensureAllTables();

    assertThat(rootsOf(catalog)).isEqualTo(Map.of("binance", "s3://lake-apne1"));
  }

  @Test
  void changedDataRootsAreSetAndReportedOnAnExistingTable() {
    Catalog catalog = TestCatalogs.sqlite(folder);
    new TableManager(catalog, roots(Map.of("binance", "s3://lake-apne1"))).ensureAllTables();

    List<TableChange> changes =
        new TableManager(
                catalog, roots(Map.of("binance", "s3://lake-tokyo", "coinbase", "s3://lake-use1")))
            .ensureAllTables();

    assertThat(rootsOf(catalog))
        .isEqualTo(Map.of("binance", "s3://lake-tokyo", "coinbase", "s3://lake-use1"));
    assertThat(changeOf(changes, "orderbook_delta").settingChanges())
        .containsExactly(
            "data root of binance changed from s3://lake-apne1 to s3://lake-tokyo",
            "data root of coinbase set to s3://lake-use1");
  }

  @Test
  void anExchangeLeftOutOfTheDataRootsLosesItsRoot() {
    Catalog catalog = TestCatalogs.sqlite(folder);
    new TableManager(catalog, roots(Map.of("binance", "s3://lake-apne1"))).ensureAllTables();

    List<TableChange> changes = new TableManager(catalog, roots(Map.of())).ensureAllTables();

    assertThat(rootsOf(catalog)).isEmpty();
    assertThat(changeOf(changes, "orderbook_delta").settingChanges())
        .containsExactly("data root of binance removed (was s3://lake-apne1)");
  }

  @Test
  void optionsWithoutDataRootsLeaveATablesRootsAsTheyAre() {
    Catalog catalog = TestCatalogs.sqlite(folder);
    new TableManager(catalog, roots(Map.of("binance", "s3://lake-apne1"))).ensureAllTables();

    List<TableChange> changes =
        new TableManager(catalog, TableOptions.defaults()).ensureAllTables();

    assertThat(rootsOf(catalog)).isEqualTo(Map.of("binance", "s3://lake-apne1"));
    assertThat(changeOf(changes, "orderbook_delta").kind()).isEqualTo(TableChange.Kind.UNCHANGED);
  }

  @Test
  void aDataRootKeyThatIsNoExchangeNameIsRefused() {
    assertThatThrownBy(() -> roots(Map.of("Binance/spot", "s3://x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid data root key: Binance/spot (expected an exchange, or an exchange and a"
                + " market, e.g. binance or binance.future)");
  }

  @Test
  void upgradingAnUpgradedTableChangesNothing() {
    Catalog catalog = TestCatalogs.sqlite(folder);
    OldLakeTables.streamEventsWithDataType(catalog, events());
    TableManager manager = new TableManager(catalog, TableOptions.defaults());
    manager.ensureAllTables();

    assertThat(changeOf(manager.ensureAllTables(), StreamEvent.TABLE).kind())
        .isEqualTo(TableChange.Kind.UNCHANGED);
  }

  @Test
  void aWriteAheadLogLeftBeforeTheRenameIsCommittedUnderFeed() throws IOException {
    Path wal = folder.resolve("wal");
    Path leftOver = folder.resolve("wal-left-over");
    try (LakeWriter writer =
        LakeWriter.builder(TestCatalogs.sqlite(Files.createDirectories(folder.resolve("other"))))
            .writeAheadLog(wal)
            .commitInterval(Duration.ofHours(1))
            .build()) {
      writer.append(events());
      copyLog(wal, leftOver); // what a crash before the commit would leave
    }
    Catalog catalog = TestCatalogs.sqlite(Files.createDirectories(folder.resolve("old")));
    OldLakeTables.streamEventsWithDataType(catalog, List.of());

    try (LakeWriter restarted = LakeWriter.builder(catalog).writeAheadLog(leftOver).build()) {
      assertThat(restarted.stats().rowsRecovered()).isEqualTo(events().size());
    }

    List<LakeRow> expected = new ArrayList<>(events());
    assertThat(TableRows.readAll(streamEvents(catalog)))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  private static void copyLog(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        if (!file.getFileName().toString().equals("lock")) {
          Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
