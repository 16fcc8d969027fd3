package dev.lake.core.maintenance;

import java.util.List;

/**
 * What a compaction did, per table.
 *
 * @param tables one entry per table looked at
 */
public record CompactionResult(List<TableResult> tables) {
  public CompactionResult {
    tables = List.copyOf(tables);
  }

  /** Groups that failed over all tables (conflicts, verification failures, errors). */
  public int failedGroups() {
    return tables.stream().mapToInt(TableResult::groupsFailed).sum();
  }

  /**
   * One table's outcome.
   *
   * @param table the table name
   * @param groups groups planned
   * @param groupsCommitted groups rewritten and committed (0 in a dry run)
   * @param groupsFailed groups that failed; the files stay as they were
   * @param groupsConflicted of the failed groups, those that lost to another change committed to
   *     their files first (a concurrent compaction or delete): not an error, the next run plans
   *     them again
   * @param filesBefore data files of the table before
   * @param filesAfter data files after (the same in a dry run)
   * @param bytesBefore bytes of data files before
   * @param bytesAfter bytes after
   * @param failures one line per failed group
   * @param currentFilesSkipped files of the current hour's (or day's) partitions left alone because
   *     a writer may still be filling them (0 with {@code includeCurrentPartitions})
   * @param currentPartitionsSkipped the number of those partitions
   */
  public record TableResult(
      String table,
      int groups,
      int groupsCommitted,
      int groupsFailed,
      int groupsConflicted,
      long filesBefore,
      long filesAfter,
      long bytesBefore,
      long bytesAfter,
      List<String> failures,
      long currentFilesSkipped,
      int currentPartitionsSkipped) {
    public TableResult {
      failures = List.copyOf(failures);
    }

    /** Groups that failed for another reason than a conflict: errors worth a look. */
    public int groupsInError() {
      return groupsFailed - groupsConflicted;
    }
  }
}
