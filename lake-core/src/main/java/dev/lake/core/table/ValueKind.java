package dev.lake.core.table;

import java.util.List;

/**
 * What a column holds and so how it moves between a row, the table, the write-ahead log and back.
 * Every column but a {@link #DERIVED} one stores one component of the row record.
 */
public enum ValueKind {
  /** A {@code String} component in a string column; null where the column is optional. */
  TEXT(String.class),
  /**
   * A {@link dev.lake.core.model.StoredEnum} component: its text in the table, its code in logs.
   */
  ENUM(Enum.class),
  /** A {@code long} component in a long column. */
  LONG(long.class),
  /** A {@code Long} component, null for none, in an optional long column. */
  OPTIONAL_LONG(Long.class),
  /** An {@code int} component in an int column. */
  INT(int.class),
  /** A {@code double} component in a double column. */
  DOUBLE(double.class),
  /** A {@code Double} component, null for none, in an optional double column. */
  OPTIONAL_DOUBLE(Double.class),
  /** A {@code boolean} component in a boolean column. */
  BOOLEAN(boolean.class),
  /** A {@code long} component in epoch microseconds, in a timestamptz column. */
  TIME_MICROS(long.class),
  /** A {@code long} component in epoch milliseconds, in a timestamptz column (microseconds). */
  TIME_MILLIS(long.class),
  /** A {@code List<PriceLevel>} component in a list of {@code struct<price, quantity>}. */
  PRICE_LEVELS(List.class),
  /** A column computed from other components (e.g. a time in ms as a timestamp); not stored. */
  DERIVED(void.class);

  private final Class<?> componentType;

  ValueKind(Class<?> componentType) {
    this.componentType = componentType;
  }

  /** True when a record component of this type can hold the column's value. */
  boolean fits(Class<?> type) {
    return this == ENUM
        ? type.isEnum() && dev.lake.core.model.StoredEnum.class.isAssignableFrom(type)
        : componentType.equals(type);
  }
}
