package dev.lake.core.model;

/**
 * An enum whose constants lake stores: as {@link #text()} in the tables and as {@link #code()} in
 * the write-ahead log. Codes are declared on each constant and never change or get reused, so a
 * constant added anywhere in the enum cannot make an older log read as another constant (which
 * {@link Enum#ordinal()} would).
 */
public interface StoredEnum {
  /** The value stored in the tables, e.g. {@code bid}. */
  String text();

  /** The value stored in the write-ahead log: 1 to 255, unique within the enum, never reused. */
  int code();
}
