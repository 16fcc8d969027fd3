package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.read.TableRows;
import dev.lake.core.write.LakeWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactCommandTest {
  @TempDir Path folder;
  private Catalog catalog;

  @BeforeEach
  void smallFiles() {
    catalog = LakeCatalogs.open(CatalogSettings.embedded(folder.resolve("warehouse").toString()));
    try (LakeWriter writer = LakeWriter.builder(catalog).withoutWriteAheadLog().build()) {
      for (int commit = 0; commit < 12; commit++) {
        writer.append(TestRows.message("BTCUSDT", commit, 4));
        writer.append(List.of(TestRows.delta("ETHUSDT", 100 + commit, 0)));
        writer.flush();
      }
    }
  }

  private long files() {
    return Long.parseLong(
        catalog
            .loadTable(TableIdentifier.of("crypto", "orderbook_delta"))
            .currentSnapshot()
            .summary()
            .get("total-data-files"));
  }

  @Test
  void compactRewritesSmallFilesAndPrintsASummary() {
    assertThat(files()).isEqualTo(24);
    CliRun dry = CliRun.run(folder, "compact", "--include-current", "--dry-run");
    assertThat(dry.exitCode()).isZero();
    assertThat(dry.out())
        .contains("Dry run: nothing was changed.")
        .containsPattern("orderbook_delta +2 +0 +0 +24 +24");
    assertThat(files()).isEqualTo(24);

    CliRun run = CliRun.run(folder, "compact", "--include-current", "--table", "orderbook_delta");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("orderbook_delta: 2 groups to rewrite")
        .contains("[==============================] 2/2 groups")
        .containsPattern("orderbook_delta +2 +2 +0 +24 +2 ");
    assertThat(files()).isEqualTo(2);
    assertThat(
            TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"))))
        .hasSize(12 * 4 + 12);
  }

  @Test
  void theCurrentHourIsLeftAloneByDefault() {
    CliRun run =
        CliRun.run(folder, "compact", "--table", "orderbook_delta", "--where", "symbol=BTCUSDT");
    assertThat(run.exitCode()).isZero();
    assertThat(files()).as("the BTCUSDT rows are in the current hour").isEqualTo(24 - 12 + 12);
  }

  @Test
  void whereAndSinceNarrowTheRewrite() {
    CliRun run =
        CliRun.run(
            folder,
            "compact",
            "--include-current",
            "--where",
            "symbol=BTCUSDT",
            "--where",
            "market_type=spot",
            "--since",
            "2d");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(files()).isEqualTo(1 + 12);
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertThat(CliRun.run(folder, "compact", "--table", "orderbooks").err())
        .startsWith("lake: Invalid table name: orderbooks");
    CliRun where = CliRun.run(folder, "compact", "--where", "colour=red");
    assertThat(where.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(where.err())
        .startsWith("lake: Invalid --where: column colour is not in table orderbook_snapshot");
    CliRun since = CliRun.run(folder, "compact", "--since", "yesterday");
    assertThat(since.err())
        .startsWith("lake: Invalid --since: yesterday (expected a date 2025-08-05");
    CliRun margin = CliRun.run(folder, "maintain", "--remove-orphans", "--orphan-margin", "10m");
    assertThat(margin.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(margin.err()).startsWith("lake: Invalid orphan margin: 10 min");
  }

  @Test
  void maintainExpiresRewritesAndLooksForOrphans() {
    CliRun dry =
        CliRun.run(
            folder,
            "maintain",
            "--table",
            "orderbook_delta",
            "--keep-snapshots",
            "1",
            "--keep-age",
            "0s",
            "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("dry run").contains("would expire 11 of 12 snapshots");
    CliRun run =
        CliRun.run(
            folder,
            "maintain",
            "--table",
            "orderbook_delta",
            "--keep-snapshots",
            "1",
            "--keep-age",
            "0s");
    assertThat(run.out())
        .containsPattern("orderbook_delta +rewrite-manifests +12 +2 +rewrote 12 manifests into 2")
        .containsPattern("orderbook_delta +expire-snapshots +13 +1 ")
        .contains("deleted 0 orphan files");
    assertThat(catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta")).snapshots())
        .hasSize(1);
  }
}
