package dev.lake.core.model;

/** Field checks shared by the row constructors; messages name the table and the field. */
final class RowChecks {
  private RowChecks() {}

  static String text(String table, String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid " + table + " row: " + field + " is missing (expected non-empty text)");
    }
    return value;
  }

  static <T> T present(String table, String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException("Invalid " + table + " row: " + field + " is missing");
    }
    return value;
  }

  static double finite(String table, String field, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "Invalid " + table + " row: " + field + " is " + value + " (expected a finite number)");
    }
    return value;
  }

  static double nonNegative(String table, String field, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "Invalid "
              + table
              + " row: "
              + field
              + " is "
              + value
              + " (expected a finite number >= 0)");
    }
    return value;
  }

  static Double finiteOrNull(String table, String field, Double value) {
    if (value != null) {
      finite(table, field, value);
    }
    return value;
  }

  static long positive(String table, String field, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(
          "Invalid " + table + " row: " + field + " is " + value + " (expected > 0)");
    }
    return value;
  }
}
