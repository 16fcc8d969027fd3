package dev.lake.cli;

import dev.lake.catalog.Secrets;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.TableManager;
import dev.lake.core.write.LakeWriter;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.SortField;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lake tables describe <table>}: schema, partitioning, properties, snapshots, data. */
@Command(
    name = "describe",
    description =
        "Show a table's columns, partition spec, sort order, properties, snapshots and data.")
public final class TablesDescribeCommand extends LakeSubcommand {
  private static final int SNAPSHOTS_SHOWN = 10;

  @Parameters(
      paramLabel = "TABLE",
      description = "One of: ${COMPLETION-CANDIDATES}",
      completionCandidates = TableNames.class)
  String tableName;

  public TablesDescribeCommand(CliContext context) {
    super(context);
  }

  /** The table names, for help and completion. */
  static final class TableNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    TableNames() {
      super(LakeTables.names());
    }
  }

  @Override
  int run(Setup setup) {
    TableDefinition<?> definition;
    try {
      definition = LakeTables.byName(tableName);
    } catch (IllegalArgumentException e) {
      throw setup.usage(e.getMessage());
    }
    TableManager manager = setup.existingTables();
    Table table = manager.load(definition);
    PrintWriter out = setup.out();
    out.println("Table      " + manager.identifier(definition));
    out.println("About      " + definition.doc());
    out.println("Location   " + table.location());
    // what Iceberg readers without a catalog (DuckDB's iceberg_scan) open
    out.println(
        "Metadata   "
            + ((org.apache.iceberg.HasTableOperations) table)
                .operations()
                .current()
                .metadataFileLocation());
    out.println(
        "Format     v"
            + ((org.apache.iceberg.HasTableOperations) table).operations().current().formatVersion()
            + ", "
            + table.properties().getOrDefault("write.format.default", "parquet")
            + " ("
            + table.properties().getOrDefault("write.parquet.compression-codec", "zstd")
            + ")");
    out.println();
    out.println("Columns");
    TextTable columns = new TextTable("ID", "NAME", "TYPE", "MODE", "DOC");
    for (Types.NestedField field : table.schema().columns()) {
      columns.row(
          field.fieldId(),
          field.name(),
          field.type(),
          field.isRequired() ? "required" : "nullable",
          field.doc());
    }
    columns.print(out, "  ");
    out.println();
    List<String> partitions = new ArrayList<>();
    for (PartitionField field : table.spec().fields()) {
      String source = table.schema().findColumnName(field.sourceId());
      String transform = field.transform().toString();
      partitions.add("identity".equals(transform) ? source : transform + "(" + source + ")");
    }
    out.println("Partitioned by  " + String.join(", ", partitions));
    List<String> sort = new ArrayList<>();
    for (SortField field : table.sortOrder().fields()) {
      sort.add(table.schema().findColumnName(field.sourceId()) + " " + field.direction());
    }
    out.println("Sorted by       " + (sort.isEmpty() ? "-" : String.join(", ", sort)));
    out.println();
    out.println("Properties");
    Secrets.maskProperties(table.properties())
        .forEach((key, value) -> out.println("  " + key + " = " + value));
    out.println();
    List<Snapshot> snapshots = new ArrayList<>();
    table.snapshots().forEach(snapshots::add);
    out.println(
        "Snapshots ("
            + snapshots.size()
            + (snapshots.size() > SNAPSHOTS_SHOWN ? ", latest " + SNAPSHOTS_SHOWN : "")
            + ")");
    if (!snapshots.isEmpty()) {
      TextTable history =
          new TextTable("ID", "TIME", "OPERATION", "ADDED ROWS", "ADDED FILES", "WRITER");
      for (Snapshot snapshot :
          snapshots.subList(Math.max(0, snapshots.size() - SNAPSHOTS_SHOWN), snapshots.size())) {
        Map<String, String> summary = snapshot.summary();
        history.row(
            snapshot.snapshotId(),
            Instant.ofEpochMilli(snapshot.timestampMillis()),
            snapshot.operation(),
            summary.getOrDefault(SnapshotSummary.ADDED_RECORDS_PROP, "0"),
            summary.getOrDefault(SnapshotSummary.ADDED_FILES_PROP, "0"),
            summary.get(LakeWriter.WRITER_ID_PROPERTY));
      }
      history.print(out, "  ");
    }
    out.println();
    Snapshot current = table.currentSnapshot();
    Map<String, String> summary = current == null ? Map.of() : current.summary();
    out.println(
        "Data       "
            + summary.getOrDefault(SnapshotSummary.TOTAL_DATA_FILES_PROP, "0")
            + " files, "
            + TextTable.bytes(
                Long.parseLong(summary.getOrDefault(SnapshotSummary.TOTAL_FILE_SIZE_PROP, "0")))
            + ", "
            + summary.getOrDefault(SnapshotSummary.TOTAL_RECORDS_PROP, "0")
            + " rows");
    return ExitCodes.OK;
  }
}
