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
  PLAIN,
  /**
   * Plain in the files lake streams, a dictionary falling back to plain in the files compaction
   * writes: for values that repeat over a partition's hour but little within a streamed file, where
   * a dictionary in each of thousands of open files would cost memory and time for little (order
   * book quantities: compacted order book deltas take 10 % fewer bytes with it).
   */
  DICTIONARY_WHEN_COMPACTED
}
