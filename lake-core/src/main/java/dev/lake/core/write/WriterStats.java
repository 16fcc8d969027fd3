package dev.lake.core.write;

import java.time.Instant;
import java.util.Map;

/**
 * A point-in-time view of a {@link LakeWriter}'s counters.
 *
 * @param rowsAppended rows accepted per table since the writer opened
 * @param rowsCommitted rows committed per table since the writer opened
 * @param lastCommitByTable time of the last successful commit per table (tables not committed to
 *     since the writer opened are absent)
 * @param commitFailures failed commit attempts per table since the writer opened (each retry that
 *     fails counts)
 * @param rowsRecovered rows found uncommitted in the write-ahead log at open (committed since)
 * @param rowsDropped rows dropped because the log was over its budget ({@code wal_full: drop})
 * @param rowsLost rows lost because their files failed and there was no log to rebuild them from
 * @param commits successful table commits
 * @param commitConflicts times a table commit met another writer's commit made since it began and
 *     was applied again on top of it (Iceberg's own retries and lake's); other writers on the same
 *     tables, e.g. shards, or compaction, cause them
 * @param lastCommit time of the last successful commit, or null
 * @param lastCommitMillis how long the last commit round (closing files and committing) took
 * @param pendingGenerations sealed batches of rows not yet committed
 * @param walBytes bytes the write-ahead log retains (0 without a log)
 * @param walSegments segment files the write-ahead log retains, the one being written included (0
 *     without a log)
 * @param bufferedBytes estimated heap the data files not yet committed hold, what the buffer budget
 *     bounds: the open files, the finished files' descriptions, and the files of sealed generations
 *     the commit thread has not closed yet; as of the last size check
 * @param lastError the last commit or write failure, or null when the last round succeeded
 * @param fatalError the error that stopped the writer's commits ({@link LakeWriter#fatalError()}),
 *     or null while it commits
 */
public record WriterStats(
    Map<String, Long> rowsAppended,
    Map<String, Long> rowsCommitted,
    Map<String, Instant> lastCommitByTable,
    Map<String, Long> commitFailures,
    long rowsRecovered,
    long rowsDropped,
    long rowsLost,
    long commits,
    long commitConflicts,
    Instant lastCommit,
    long lastCommitMillis,
    int pendingGenerations,
    long walBytes,
    int walSegments,
    long bufferedBytes,
    String lastError,
    String fatalError) {

  public WriterStats {
    rowsAppended = Map.copyOf(rowsAppended);
    rowsCommitted = Map.copyOf(rowsCommitted);
    lastCommitByTable = Map.copyOf(lastCommitByTable);
    commitFailures = Map.copyOf(commitFailures);
  }

  /** Rows accepted over all tables. */
  public long totalRowsAppended() {
    return rowsAppended.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Rows committed over all tables. */
  public long totalRowsCommitted() {
    return rowsCommitted.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Rows accepted (or recovered from the log at open) that are neither committed nor lost: while
   * the writer runs, what the next commits will carry; after {@link LakeWriter#close()}, what the
   * write-ahead log keeps for the next writer opened on it. Zero after a close that committed
   * everything.
   */
  public long rowsUncommitted() {
    return Math.max(0, totalRowsAppended() + rowsRecovered - totalRowsCommitted() - rowsLost);
  }
}
