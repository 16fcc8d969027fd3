package dev.lake.core.write;

/** What {@link LakeWriter#append} does when the write-ahead log is over its disk budget. */
public enum WalFullPolicy {
  /** Block the caller until commits free space (the pipeline stops reading from venues). */
  BACKPRESSURE,
  /** Drop the rows; a {@code dropped} row in {@code stream_events} says how many and when. */
  DROP
}
