package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.OldLakeTables;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TablesCommandTest {
  @TempDir Path folder;

  @Test
  void createMakesTheSevenTablesInTheEmbeddedDefaultAndListShowsThem() {
    CliRun create = CliRun.run(folder, "tables", "create");
    assertThat(create.exitCode()).isZero();
    assertThat(create.out())
        .contains("created    crypto.orderbook_delta")
        .contains("8 created, 0 upgraded, 0 unchanged.");
    assertThat(folder.resolve("warehouse/catalog.db")).exists();

    CliRun list = CliRun.run(folder, "tables", "list");
    assertThat(list.exitCode()).isZero();
    for (String table : LakeTables.names()) {
      assertThat(list.out()).containsPattern("crypto\\." + table + " +0 +0 +0 B +never");
    }
  }

  @Test
  void createIsIdempotentAndSaysSo() {
    CliRun.run(folder, "tables", "create");
    CliRun again = CliRun.run(folder, "tables", "create");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out())
        .contains("unchanged  crypto.funding_rate")
        .contains("Nothing to change: all 8 tables exist with every column lake defines.");
  }

  @Test
  void createAddsTheColumnsAnOlderLakeDidNotHave() {
    Catalog catalog =
        LakeCatalogs.open(CatalogSettings.embedded(folder.resolve("warehouse").toString()));
    ((SupportsNamespaces) catalog).createNamespace(Namespace.of("crypto"));
    TableDefinition<?> delta = LakeTables.ORDERBOOK_DELTA;
    Schema seedOnly =
        new Schema(
            delta.schema().columns().stream()
                .filter(
                    field ->
                        !field.name().equals("local_timestamp")
                            && !field.name().equals("is_snapshot"))
                .toList());
    catalog.createTable(TableIdentifier.of("crypto", "orderbook_delta"), seedOnly);

    CliRun create = CliRun.run(folder, "tables", "create");
    assertThat(create.exitCode()).isZero();
    assertThat(create.out())
        .contains("upgraded   crypto.orderbook_delta: added columns local_timestamp, is_snapshot")
        .contains("7 created, 1 upgraded, 0 unchanged.");
    Schema upgraded = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta")).schema();
    assertThat(upgraded.findField("is_snapshot").type()).isEqualTo(Types.BooleanType.get());
    assertThat(upgraded.findField("local_timestamp").type())
        .isEqualTo(Types.TimestampType.withZone());
  }

  @Test
  void createRenamesTheOldDataTypeColumnOfStreamEventsToFeedKeepingItsFieldId() {
    Catalog catalog =
        LakeCatalogs.open(CatalogSettings.embedded(folder.resolve("warehouse").toString()));
    OldLakeTables.streamEventsWithDataType(catalog, List.of());

    CliRun create = CliRun.run(folder, "tables", "create");

    assertThat(create.exitCode()).as(create.err()).isZero();
    assertThat(create.out())
        .contains("upgraded   crypto.stream_events: renamed column data_type to feed")
        .contains("7 created, 1 upgraded, 0 unchanged.");
    Schema upgraded = catalog.loadTable(TableIdentifier.of("crypto", "stream_events")).schema();
    assertThat(upgraded.findField("feed").fieldId()).isEqualTo(3);
    assertThat(upgraded.findField("data_type")).isNull();
  }

  @Test
  void describeShowsTheSeedColumnsWithTheSeedTypes() {
    CliRun.run(folder, "tables", "create");
    CliRun describe = CliRun.run(folder, "tables", "describe", "orderbook_delta");
    assertThat(describe.exitCode()).isZero();
    assertThat(describe.out())
        .containsPattern("1 +exchange +string +required")
        .containsPattern("2 +market +string +required")
        .containsPattern("3 +symbol +string +required")
        .containsPattern("4 +timestamp +timestamptz +required")
        .containsPattern("5 +last_update_id +long +required")
        .containsPattern("6 +side +string +required")
        .containsPattern("7 +price +double +required")
        .containsPattern("8 +quantity +double +required")
        .containsPattern("9 +level +int +required")
        .contains("Partitioned by  exchange, market, symbol, hour(timestamp)")
        .contains("Sorted by       symbol ASC, timestamp ASC")
        .contains("write.parquet.compression-codec = snappy")
        .contains("Data       0 files, 0 B, 0 rows");
  }

  @Test
  void describeNamesTheCurrentMetadataFileForReadersWithoutACatalog() {
    CliRun.run(folder, "tables", "create");
    CliRun describe = CliRun.run(folder, "tables", "describe", "stream_events");
    assertThat(describe.exitCode()).isZero();
    assertThat(describe.out())
        .containsPattern(
            "Metadata   .*/warehouse/crypto/stream_events/metadata/[^/]+\\.metadata\\.json\n");
  }

  @Test
  void describeOfAnUnknownTableIsAUsageError() {
    CliRun describe = CliRun.run(folder, "tables", "describe", "orderbook");
    assertThat(describe.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(describe.err())
        .startsWith(
            "lake: Invalid table name: orderbook (expected one of orderbook_snapshot, orderbook_delta,"
                + " contracts, liquidation, open_interest, funding_rate, stream_events, trades)\n");
  }

  @Test
  void describeOfATableNotYetCreatedSaysHowToCreateIt() {
    LakeCatalogs.open(CatalogSettings.embedded(folder.resolve("warehouse").toString()));
    CliRun describe = CliRun.run(folder, "tables", "describe", "contracts");
    assertThat(describe.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(describe.err())
        .startsWith(
            "lake: Cannot load table crypto.contracts: it does not exist (run `lake tables create`)\n");
  }

  @Test
  void anUnreadableConfigIsAConfigError() {
    CliRun run = CliRun.run(folder, "tables", "list", "--config", "missing.yml");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err())
        .isEqualTo(
            "lake: Cannot read config " + folder.resolve("missing.yml") + ": no such file\n");
  }

  @Test
  void anUnreachableCatalogIsAFailureWithOneLine() throws Exception {
    Files.writeString(
        folder.resolve("lake.yml"),
        "sink:\n  catalog:\n    type: rest\n    uri: http://127.0.0.1:1\n");
    CliRun run = CliRun.run(folder, "tables", "create", "--config", "lake.yml");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err()).startsWith("lake: Cannot open rest catalog at http://127.0.0.1:1: ");
    assertThat(run.err().lines()).hasSize(2);
    assertThat(run.err()).doesNotContain("\tat ");

    CliRun verbose = CliRun.run(folder, "tables", "create", "--config", "lake.yml", "--verbose");
    assertThat(verbose.err()).contains("\tat ");
  }

  @Test
  void helpAndVersionWork() {
    CliRun help = CliRun.run(folder, "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: lake").contains("tables").contains("config");
    CliRun version = CliRun.run(folder, "--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("lake ");
    CliRun unknown = CliRun.run(folder, "tabels");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
  }
}
