package dev.lake.core.model;

/** The kinds of rows in the {@code stream_events} data-quality ledger. */
public enum StreamEventType implements StoredEnum {
  // the codes are in write-ahead logs: never change or reuse one
  /** A connection to a venue was established. */
  CONNECT(1, "connect"),
  /** A connection ended (by the venue, the network, or lake). */
  DISCONNECT(2, "disconnect"),
  /** Update ids are missing from a stream; {@code from/to_update_id} give the missing range. */
  GAP(3, "gap"),
  /** A book was (re)loaded from a snapshot; the snapshot's rows are in {@code orderbook_delta}. */
  RESYNC(4, "resync"),
  /** A venue checksum did not match the local book. */
  CHECKSUM_MISMATCH(5, "checksum_mismatch"),
  /** A message could not be used (malformed, unknown, out of range, stale); detail has a copy. */
  REJECTED_MESSAGE(6, "rejected_message"),
  /** A venue answered with a rate limit (HTTP 429/418); requests paused. */
  RATE_LIMITED(7, "rate_limited"),
  /**
   * Rows were dropped by lake (write-ahead log over its disk budget with {@code wal_full: drop}).
   */
  DROPPED(8, "dropped"),
  /**
   * The span between the last persisted update id before a restart and the book that restarts it.
   */
  RESTART_GAP(9, "restart_gap"),
  /** A torn or corrupt tail of the write-ahead log was cut off at start. */
  WAL_TRUNCATED(10, "wal_truncated");

  private final int code;
  private final String text;

  StreamEventType(int code, String text) {
    this.code = code;
    this.text = text;
  }

  /** The value stored in {@code stream_events.event}. */
  @Override
  public String text() {
    return text;
  }

  @Override
  public int code() {
    return code;
  }

  @Override
  public String toString() {
    return text;
  }
}
