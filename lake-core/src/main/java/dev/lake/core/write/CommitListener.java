package dev.lake.core.write;

/**
 * Told of every table commit a {@link LakeWriter} makes or fails, for timings a snapshot of
 * counters cannot carry (durations and delays as histograms, say). Called on the writer's commit
 * thread, never on an appending thread; an implementation must return quickly and not throw (what
 * it throws is logged and ignored).
 */
public interface CommitListener {
  /** A listener that does nothing. */
  CommitListener NONE =
      new CommitListener() {
        @Override
        public void committed(String table, long rows, long commitNanos, long delayNanos) {}

        @Override
        public void commitFailed(String table) {}
      };

  /**
   * Rows of a table were committed.
   *
   * @param table the table's name, e.g. {@code orderbook_delta}
   * @param rows rows the commit carried
   * @param commitNanos how long the table's commit took (the catalog round trip and retries)
   * @param delayNanos the longest any of these rows waited: from the append of the oldest of them
   *     to the end of this commit
   */
  void committed(String table, long rows, long commitNanos, long delayNanos);

  /** A commit to a table failed; it is retried, or (a fatal error) the writer stops committing. */
  void commitFailed(String table);
}
