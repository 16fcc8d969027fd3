package dev.lake.core.maintenance;

/**
 * Hears how a compaction goes, for progress displays and logs. Called from the compacting thread.
 */
public interface CompactionListener {
  /** The plan of one table is ready: how many groups and input bytes it will rewrite. */
  default void planned(String table, int groups, long inputBytes) {}

  /** A group is done (rewritten and committed, skipped in a dry run, or failed). */
  default void groupDone(String table, GroupResult group) {}

  /**
   * The outcome of one group of files of one partition.
   *
   * @param committed the group was rewritten and committed
   * @param failure why the group failed, or null when it did not
   * @param conflicted the group failed because another change committed to its files first (a
   *     concurrent compaction or delete): nothing is wrong, and the next run plans it again
   */
  record GroupResult(
      String partition,
      int filesIn,
      int filesOut,
      long bytesIn,
      long bytesOut,
      long rows,
      boolean committed,
      String failure,
      boolean conflicted) {}

  CompactionListener NONE = new CompactionListener() {};
}
