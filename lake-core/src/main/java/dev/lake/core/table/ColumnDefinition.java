package dev.lake.core.table;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * One column of a lake table: its Iceberg field and how to read it from a row, in Iceberg's
 * internal representation (CharSequence, Integer, Long, Double, Boolean, timestamps as Long
 * microseconds, lists as {@link java.util.List}).
 *
 * @param <R> the row type
 */
public final class ColumnDefinition<R> {
  private final Types.NestedField field;
  private final Function<R, Object> accessor;
  private final boolean added;

  ColumnDefinition(Types.NestedField field, Function<R, Object> accessor, boolean added) {
    this.field = requireNonNull(field, "field is null");
    this.accessor = requireNonNull(accessor, "accessor is null");
    this.added = added;
  }

  /** The Iceberg field: id, name, type, required or optional, doc. */
  public Types.NestedField field() {
    return field;
  }

  public String name() {
    return field.name();
  }

  public Type type() {
    return field.type();
  }

  public boolean isRequired() {
    return field.isRequired();
  }

  /** True for the columns lake adds to the seed's schemas. */
  public boolean isAdded() {
    return added;
  }

  /** Reads this column's value from a row, in Iceberg's internal representation. */
  public Object get(R row) {
    return accessor.apply(row);
  }
}
