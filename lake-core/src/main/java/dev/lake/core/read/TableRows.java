package dev.lake.core.read;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.table.ColumnDefinition;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.ValueKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Reads a lake table back as lake's row types, with Iceberg's generic reader. Meant for tools and
 * checks (rebuilding a book, verifying a period), not for analytics: query engines read the tables
 * faster.
 */
public final class TableRows {
  private TableRows() {}

  /** Every row of a table. */
  public static List<LakeRow> readAll(Table table) {
    return read(table, Expressions.alwaysTrue());
  }

  /** The rows of a table matching a filter (Iceberg expression on the table's columns). */
  public static List<LakeRow> read(Table table, Expression filter) {
    List<LakeRow> rows = new ArrayList<>();
    forEach(table, filter, rows::add);
    return rows;
  }

  /** Streams the rows of a table matching a filter to a consumer, in file order. */
  public static void forEach(Table table, Expression filter, Consumer<LakeRow> consumer) {
    String name = table.name();
    String tableName = name.substring(name.lastIndexOf('.') + 1);
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).where(filter).build()) {
      for (Record record : records) {
        consumer.accept(toRow(tableName, record));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + name, e);
    }
  }

  /**
   * Converts a generic record of a lake table into its row type, column by column as the table's
   * definition in {@link LakeTables} declares them.
   *
   * @throws IllegalArgumentException for an unknown table name, a required column without a value
   *     or a value the row type rejects
   */
  public static LakeRow toRow(String tableName, Record record) {
    return toRow(LakeTables.byName(tableName), record);
  }

  private static <R extends LakeRow> R toRow(TableDefinition<R> definition, Record record) {
    List<ColumnDefinition<R>> columns = definition.storedColumns();
    Object[] fields = new Object[columns.size()];
    for (int i = 0; i < fields.length; i++) {
      ColumnDefinition<R> column = columns.get(i);
      Object value = record.getField(column.name());
      if (value == null && column.isRequired() && column.kind() != ValueKind.BOOLEAN) {
        throw new IllegalArgumentException(
            "Invalid " + definition.name() + " row: " + column.name() + " is missing");
      }
      fields[column.fieldIndex()] = value == null ? absent(column) : fieldOf(column, value);
    }
    return definition.newRow(fields);
  }

  /** A boolean missing in a table made by an older lake reads as false, as it always has. */
  private static Object absent(ColumnDefinition<?> column) {
    return column.kind() == ValueKind.BOOLEAN ? Boolean.FALSE : null;
  }

  private static Object fieldOf(ColumnDefinition<?> column, Object value) {
    return switch (column.kind()) {
      case TEXT -> value.toString();
      case ENUM -> column.enumOfText(value.toString());
      case TIME_MICROS -> micros(value);
      case TIME_MILLIS -> micros(value) / 1000;
      case PRICE_LEVELS -> levels(value);
      case LONG, OPTIONAL_LONG, INT, DOUBLE, OPTIONAL_DOUBLE, BOOLEAN -> value;
      case DERIVED -> throw new IllegalStateException("Derived column stored: " + column.name());
    };
  }

  private static long micros(Object value) {
    OffsetDateTime time = (OffsetDateTime) value;
    return ChronoUnit.MICROS.between(Instant.EPOCH, time.toInstant());
  }

  private static List<PriceLevel> levels(Object value) {
    @SuppressWarnings("unchecked")
    List<Record> values = (List<Record>) value;
    List<PriceLevel> levels = new ArrayList<>(values.size());
    for (Record level : values) {
      levels.add(
          new PriceLevel((Double) level.getField("price"), (Double) level.getField("quantity")));
    }
    return levels;
  }
}
