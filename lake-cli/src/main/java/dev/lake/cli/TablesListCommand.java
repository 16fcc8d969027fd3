package dev.lake.cli;

import dev.lake.cli.config.LakeConfig;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.TableManager;
import java.time.Instant;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import picocli.CommandLine.Command;

/** {@code lake tables list}: every table with rows, files, size and last commit. */
@Command(name = "list", description = "List lake's tables with rows, files, size and last commit.")
public final class TablesListCommand extends LakeSubcommand {
  public TablesListCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Setup setup) {
    LakeConfig config = setup.config();
    TableManager manager = setup.existingTables();
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
    table.print(setup.out(), "");
    if (missing > 0) {
      setup
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
