package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.internal.wal.WriteAheadLog;
import dev.lake.core.write.LakeWriter;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lake maintain --forget-writer ID}: a retired writer's positions leave the tables. */
class ForgetWriterTest {
  private static final TableIdentifier DELTA = TableIdentifier.of("crypto", "orderbook_delta");

  @TempDir Path folder;
  private Catalog catalog;

  @BeforeEach
  void openCatalog() {
    catalog = LakeCatalogs.open(CatalogSettings.embedded(folder.resolve("warehouse").toString()));
  }

  /** A writer on a log folder that commits one message and closes; returns its id. */
  private String commitWith(String walFolder, String symbol) {
    try (LakeWriter writer =
        LakeWriter.builder(catalog).writeAheadLog(folder.resolve(walFolder)).build()) {
      writer.append(TestRows.message(symbol, 1, 2));
      writer.flush();
      return writer.writerId();
    }
  }

  private Map<String, String> properties() {
    return catalog.loadTable(DELTA).properties();
  }

  @Test
  void forgettingAWriterRemovesItsPositionAndKeepsTheOtherWriters() {
    String retired = commitWith("shard-1-wal", "ETHUSDT");
    String kept = commitWith("shard-0-wal", "BTCUSDT");

    CliRun run = CliRun.run(folder, "maintain", "--forget-writer", retired);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("Forgot writer " + retired + " on crypto.orderbook_delta (position ");
    assertThat(properties())
        .doesNotContainKey(LakeWriter.positionProperty(retired))
        .containsKey(LakeWriter.positionProperty(kept));
  }

  @Test
  void aDryRunSaysWhatItWouldForgetAndKeepsThePosition() {
    String retired = commitWith("shard-1-wal", "ETHUSDT");

    CliRun run = CliRun.run(folder, "maintain", "--forget-writer", retired, "--dry-run");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Would forget writer " + retired + " on crypto.orderbook_delta");
    assertThat(properties()).containsKey(LakeWriter.positionProperty(retired));
  }

  @Test
  void aWriterWhoseLocalLogHoldsRowsNotCommittedIsNotForgotten() {
    String local = commitWith("wal", "BTCUSDT"); // ./wal: this machine's sink.wal_dir
    try (WriteAheadLog log = WriteAheadLog.open(folder.resolve("wal"), 1 << 20)) {
      log.append(TestRows.message("BTCUSDT", 2, 2)); // accepted, then the process died
    }

    CliRun run = CliRun.run(folder, "maintain", "--forget-writer", local);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err())
        .isEqualTo(
            "lake: Cannot forget writer "
                + local
                + ": its write-ahead log at "
                + folder.resolve("wal")
                + " still holds 2 rows not committed (run lake ingest on it and stop it with"
                + " Ctrl-C, which commits them, then forget it)"
                + System.lineSeparator());
    assertThat(properties()).containsKey(LakeWriter.positionProperty(local));
  }

  @Test
  void aWriterWhoseLocalLogIsFullyCommittedIsForgotten() {
    String local = commitWith("wal", "BTCUSDT");

    CliRun run = CliRun.run(folder, "maintain", "--forget-writer", local);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(properties()).doesNotContainKey(LakeWriter.positionProperty(local));
  }

  @Test
  void aWriterNoTableKnowsIsRefused() {
    commitWith("shard-0-wal", "BTCUSDT");

    CliRun run = CliRun.run(folder, "maintain", "--forget-writer", "no-such-writer");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err())
        .contains(
            "lake: Cannot forget writer no-such-writer: no table holds a position of it (expected"
                + " the id in a table property lake.writer.<id>.wal-position)");
  }

  @Test
  void aMalformedWriterIdIsAUsageError() {
    CliRun run = CliRun.run(folder, "maintain", "--forget-writer", "a/b");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("lake: Invalid writer id: 'a/b' (expected the id in a table");
  }
}
