package dev.lake.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import dev.lake.core.read.TableRows;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableChange;
import dev.lake.core.table.TableManager;
import dev.lake.core.table.TableOptions;
import dev.lake.core.write.LakeWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedCatalogTest {
  @TempDir Path folder;

  @Test
  void theDefaultIsAJdbcCatalogOnASqliteFileInTheWarehouse() {
    Path warehouse = folder.resolve("warehouse");
    Catalog catalog = LakeCatalogs.open(CatalogSettings.embedded(warehouse.toString()));
    assertThat(catalog).isInstanceOf(JdbcCatalog.class);
    assertThat(warehouse.resolve("catalog.db")).exists();
  }

  @Test
  void rowsWrittenThroughTheEmbeddedCatalogAreReadBack() {
    Catalog catalog = LakeCatalogs.open(CatalogSettings.embedded(folder.resolve("wh").toString()));
    List<LakeRow> rows = TestRows.oneOfEach();
    try (LakeWriter writer =
        LakeWriter.builder(catalog).writeAheadLog(folder.resolve("wal")).build()) {
      writer.append(rows);
      writer.flush();
    }
    Catalog reopened = LakeCatalogs.open(CatalogSettings.embedded(folder.resolve("wh").toString()));
    for (LakeRow row : rows) {
      assertThat(
              TableRows.readAll(reopened.loadTable(TableIdentifier.of("crypto", row.tableName()))))
          .containsExactly(row);
    }
  }

  @Test
  void creatingTablesTwiceChangesNothingTheSecondTime() {
    Catalog catalog = LakeCatalogs.open(CatalogSettings.embedded(folder.toString()));
    TableManager manager = new TableManager(catalog, TableOptions.defaults());
    assertThat(manager.ensureAllTables())
        .extracting(TableChange::kind)
        .containsOnly(TableChange.Kind.CREATED)
        .hasSize(LakeTables.all().size());
    String metadataBefore =
        ((org.apache.iceberg.HasTableOperations)
                catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta")))
            .operations()
            .current()
            .metadataFileLocation();
    assertThat(manager.ensureAllTables())
        .extracting(TableChange::kind)
        .containsOnly(TableChange.Kind.UNCHANGED);
    assertThat(
            ((org.apache.iceberg.HasTableOperations)
                    catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta")))
                .operations()
                .current()
                .metadataFileLocation())
        .isEqualTo(metadataBefore);
    assertThat(catalog.listTables(org.apache.iceberg.catalog.Namespace.of("crypto")))
        .extracting(TableIdentifier::name)
        .containsExactlyInAnyOrderElementsOf(LakeTables.names());
  }

  @Test
  void anUnwritableWarehouseIsACleanError() throws Exception {
    Path file = Files.writeString(folder.resolve("not-a-folder"), "x");
    assertThatThrownBy(
            () -> LakeCatalogs.open(CatalogSettings.embedded(file.resolve("wh").toString())))
        .hasMessageStartingWith("Cannot create warehouse folder " + file.resolve("wh"));
  }

  @Test
  void anUnreachableJdbcDatabaseNamesTheUrl() {
    CatalogSettings settings =
        new CatalogSettings(
            CatalogType.JDBC,
            "jdbc:sqlite:" + folder.resolve("missing/dir/catalog.db"),
            folder.toString(),
            null,
            java.util.Map.of());
    assertThatThrownBy(() -> LakeCatalogs.open(settings))
        .isInstanceOf(CatalogException.class)
        .hasMessageStartingWith(
            "Cannot open jdbc catalog at jdbc:sqlite:"
                + folder.resolve("missing/dir/catalog.db")
                + ": ");
  }
}
