package dev.lake.core.table;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes every table's schema, partition spec and sort order as text, for the test resource {@code
 * table/schemas.txt} that {@code LakeTablesTest} compares the declarations with. Run once with the
 * release whose schemas the file keeps.
 */
final class SchemaDump {
  private SchemaDump() {}

  static String describe() {
    StringBuilder out = new StringBuilder();
    for (TableDefinition<?> table : LakeTables.all()) {
      out.append("table ").append(table.name()).append(": ").append(table.doc()).append('\n');
      out.append(table.schema()).append('\n');
      // the JSON form also has the list element ids
      out.append(org.apache.iceberg.SchemaParser.toJson(table.schema())).append('\n');
      out.append(table.partitionSpec(table.schema(), table.defaultGranularity())).append('\n');
      out.append(table.sortOrder(table.schema())).append('\n');
      for (ColumnDefinition<?> column : table.columns()) {
        out.append(column.name())
            .append(" added=")
            .append(column.isAdded())
            .append(" encoding=")
            .append(column.encoding())
            .append(" formerly=")
            .append(column.formerNames())
            .append('\n');
      }
    }
    return out.toString();
  }

  public static void main(String[] args) throws Exception {
    Files.writeString(Path.of(args[0]), describe());
  }
}
