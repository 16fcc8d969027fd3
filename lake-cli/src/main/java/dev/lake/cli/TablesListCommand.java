package dev.lake.cli;

import dev.lake.cli.config.LakeConfig;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.TableManager;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code lake tables list}: every table with rows, files, size and last commit. */
@Command(name = "list", description = "List lake's tables with rows, files, size and last commit.")
public final class TablesListCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  private final CliContext context;

  public TablesListCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    LakeConfig config = context.config(common);
    TableManager manager = new TableManager(context.existingCatalog(config), config.tableOptions());
    TextTable table = new TextTable("TABLE", "ROWS", "FILES", "SIZE", "LAST COMMIT");
    int missing = 0;
    for (TableDefinition<?> definition : LakeTables.all()) {
      String name = config.tableOptions().namespace() + "." + definition.name();
      if (!manager.exists(definition)) {
        table.row(name, "missing", "", "", "");
        missing++;
        continue;
      }
      Table loaded = manager.load(definition);
      Snapshot current = loaded.currentSnapshot();
      Map<String, String> summary = current == null ? Map.of() : current.summary();
      table.row(
          name,
          summary.getOrDefault(SnapshotSummary.TOTAL_RECORDS_PROP, "0"),
          summary.getOrDefault(SnapshotSummary.TOTAL_DATA_FILES_PROP, "0"),
          TextTable.bytes(
              Long.parseLong(summary.getOrDefault(SnapshotSummary.TOTAL_FILE_SIZE_PROP, "0"))),
          current == null ? "never" : Instant.ofEpochMilli(current.timestampMillis()).toString());
    }
    table.print(context.out(), "");
    if (missing > 0) {
      context
          .out()
          .println(
              missing
                  + " of "
                  + LakeTables.all().size()
                  + " tables are missing: run `lake tables create`.");
    }
    return ExitCodes.OK;
  }
}
