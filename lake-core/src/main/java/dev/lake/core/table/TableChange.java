package dev.lake.core.table;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@link TableManager#ensureTables} did to one table.
 *
 * @param table the table name
 * @param kind created, upgraded (columns added or renamed) or unchanged
 * @param addedColumns the columns added to an existing table, empty otherwise
 * @param renamedColumns the columns of an existing table renamed to lake's current names (field
 *     ids, and so the data, kept), empty otherwise
 * @param warnings differences lake does not change by itself (e.g. a column of another type)
 * @param settingChanges table properties an upgrade changed, e.g. {@code data root of binance set
 *     to s3://lake-apne1}, empty otherwise
 */
public record TableChange(
    String table,
    Kind kind,
    List<String> addedColumns,
    List<RenamedColumn> renamedColumns,
    List<String> warnings,
    List<String> settingChanges) {

  /** The kinds of change. */
  public enum Kind {
    CREATED,
    /** Columns added or renamed, or settings changed. */
    UPGRADED,
    UNCHANGED
  }

  /**
   * A column renamed by an upgrade.
   *
   * @param from the name the table had
   * @param to lake's name, which the column has now
   */
  public record RenamedColumn(String from, String to) {
    public RenamedColumn {
      requireNonNull(from, "from is null");
      requireNonNull(to, "to is null");
    }

    /** {@code data_type to feed}. */
    @Override
    public String toString() {
      return from + " to " + to;
    }
  }

  public TableChange {
    requireNonNull(table, "table is null");
    requireNonNull(kind, "kind is null");
    addedColumns = List.copyOf(addedColumns);
    renamedColumns = List.copyOf(renamedColumns);
    warnings = List.copyOf(warnings);
    settingChanges = List.copyOf(settingChanges);
  }

  /** A change without setting changes. */
  public TableChange(
      String table,
      Kind kind,
      List<String> addedColumns,
      List<RenamedColumn> renamedColumns,
      List<String> warnings) {
    this(table, kind, addedColumns, renamedColumns, warnings, List.of());
  }
}
