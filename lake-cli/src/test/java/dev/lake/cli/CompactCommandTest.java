package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.read.TableRows;
import dev.lake.core.write.LakeWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

    CliRun run =
        CliRun.run(
            folder, "compact", "--include-current", "--table", "orderbook_delta", "--grace", "0");
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
    assertThat(run.out())
        .contains(
            "Left alone: 12 files in 1 partition of the current hour (or day), which lake ingest"
                + " may still be filling; they are compacted once it has passed (--include-current"
                + " to rewrite them now).");
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
            "2d",
            "--grace",
            "0");
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
    CliRun grace = CliRun.run(folder, "compact", "--grace", "soon");
    assertThat(grace.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(grace.err())
        .contains(
            "Invalid grace: soon (expected 0, or a number and a unit: ms, s, m, h or d, e.g. 2m)");
    CliRun margin = CliRun.run(folder, "maintain", "--remove-orphans", "--orphan-margin", "10m");
    assertThat(margin.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(margin.err()).startsWith("lake: Invalid orphan margin: 10 min");
  }

  @Test
  void compactWaitsForTheGraceThenRemovesTheFilesItReplaced() {
    CliRun run = CliRun.run(folder, "compact", "--include-current", "--grace", "10s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .containsPattern(
            "Waiting ([1-9]|10)s for running readers before removing 24 replaced files"
                + " \\(--grace 10s\\)\\.")
        .contains("Removed 24 replaced files (");
    assertThat(dataFilesOnStorage()).hasSize(2);
  }

  @Test
  void theReadmeQueryOverThePathsCountsEveryRowOnceAfterCompact() throws SQLException {
    CliRun run = CliRun.run(folder, "compact", "--include-current", "--grace", "1s");
    assertThat(run.exitCode()).as(run.err()).isZero();

    assertThat(rowsPerSymbolByPath()).containsOnly(entry("BTCUSDT", 48L), entry("ETHUSDT", 12L));
  }

  @Test
  void maintainAfterCompactStillWorksAndKeepsEveryRowOnce() throws SQLException {
    CliRun.run(folder, "compact", "--include-current", "--grace", "0");

    CliRun maintain =
        CliRun.run(
            folder,
            "maintain",
            "--table",
            "orderbook_delta",
            "--keep-snapshots",
            "1",
            "--keep-age",
            "0s");

    assertThat(maintain.exitCode()).as(maintain.err()).isZero();
    assertThat(maintain.out()).contains("deleted 0 orphan files");
    assertThat(rowsPerSymbolByPath()).containsOnly(entry("BTCUSDT", 48L), entry("ETHUSDT", 12L));
    assertThat(
            TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"))))
        .hasSize(48 + 12);
  }

  /** The README's DuckDB query, over the warehouse of this test. */
  private Map<String, Long> rowsPerSymbolByPath() throws SQLException {
    Map<String, Long> rows = new HashMap<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT symbol, count(*) FROM read_parquet('"
                    + folder.toAbsolutePath()
                    + "/warehouse/crypto/exchange=*/market_type=*/data_type=orderbook_delta/**/*.parquet')"
                    + " GROUP BY 1")) {
      while (result.next()) {
        rows.put(result.getString(1), result.getLong(2));
      }
    }
    return rows;
  }

  private List<Path> dataFilesOnStorage() {
    try (Stream<Path> files = Files.walk(folder.resolve("warehouse/crypto"))) {
      return files
          .filter(
              path ->
                  path.toString().contains("data_type=orderbook_delta")
                      && path.toString().endsWith(".parquet"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
