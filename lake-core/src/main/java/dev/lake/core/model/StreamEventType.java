package dev.lake.core.model;

/** The kinds of rows in the {@code stream_events} data-quality ledger. */
public enum StreamEventType {
  /** A connection to a venue was established. */
  CONNECT("connect"),
  /** A connection ended (by the venue, the network, or lake). */
  DISCONNECT("disconnect"),
  /** Update ids are missing from a stream; {@code from/to_update_id} give the missing range. */
  GAP("gap"),
  /** A book was (re)loaded from a snapshot; the snapshot's rows are in {@code orderbook_delta}. */
  RESYNC("resync"),
  /** A venue checksum did not match the local book. */
  CHECKSUM_MISMATCH("checksum_mismatch"),
  /** A message could not be used (malformed, unknown, out of range, stale); detail has a copy. */
  REJECTED_MESSAGE("rejected_message"),
  /** A venue answered with a rate limit (HTTP 429/418); requests paused. */
  RATE_LIMITED("rate_limited"),
  /**
   * Rows were dropped by lake (write-ahead log over its disk budget with {@code wal_full: drop}).
   */
  DROPPED("dropped"),
  /**
   * The span between the last persisted update id before a restart and the book that restarts it.
   */
  RESTART_GAP("restart_gap"),
  /** A torn or corrupt tail of the write-ahead log was cut off at start. */
  WAL_TRUNCATED("wal_truncated");

  private final String text;

  StreamEventType(String text) {
    this.text = text;
  }

  /** The value stored in {@code stream_events.event}. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
