package dev.lake.core.table;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@link TableManager#ensureTables} did to one table.
 *
 * @param table the table name
 * @param kind created, upgraded (columns added) or unchanged
 * @param addedColumns the columns added to an existing table, empty otherwise
 * @param warnings differences lake does not change by itself (e.g. a column of another type)
 */
public record TableChange(
    String table, Kind kind, List<String> addedColumns, List<String> warnings) {

  /** The kinds of change. */
  public enum Kind {
    CREATED,
    UPGRADED,
    UNCHANGED
  }

  public TableChange {
    requireNonNull(table, "table is null");
    requireNonNull(kind, "kind is null");
    addedColumns = List.copyOf(addedColumns);
    warnings = List.copyOf(warnings);
  }
}
