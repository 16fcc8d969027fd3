package dev.lake.core.table;

/**
 * How a column is encoded in the Parquet files lake streams. Every encoding here is part of the
 * Parquet format and read by every engine that reads Parquet; the choice only trades size against
 * write time.
 */
public enum ColumnEncoding {
  /** A dictionary of distinct values, falling back to plain when it fills: for repeating values. */
  DICTIONARY,
  /** Delta binary packing: for sequence ids and timestamps that rise steadily. */
  DELTA,
  /** Plain values: for numbers that rarely repeat, where a dictionary costs more than it saves. */
  PLAIN
}
