package dev.lake.core.write;

import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotAncestryValidator;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Where a writer's progress lives in a table. Each append records the writer id and the log
 * position it covers in the snapshot summary, and the same position in a table property named after
 * the writer, set in the same transaction. Snapshot expiry and compaction remove or replace
 * snapshots but never table properties, so the position survives both.
 */
final class CommitPositions {
  /** Snapshot summary key: the id of the writer that made the append. */
  static final String WRITER_ID = LakeWriter.WRITER_ID_PROPERTY;

  /** Snapshot summary key: the write-ahead log position the append covers (exclusive). */
  public static final String POSITION = "lake.wal-position";

  private static final String PROPERTY_PREFIX = "lake.writer.";
  private static final String PROPERTY_SUFFIX = ".wal-position";

  private CommitPositions() {}

  /** The table property holding a writer's committed position. */
  public static String property(String writerId) {
    return PROPERTY_PREFIX + writerId + PROPERTY_SUFFIX;
  }

  /**
   * The position up to which a writer's rows are committed to a table: every row before it is in
   * the table; none after. 0 when the writer never committed to it.
   */
  public static long committed(Table table, String writerId) {
    long position = parse(table.properties().get(property(writerId)));
    Snapshot current = table.currentSnapshot();
    if (position == 0 && current != null) {
      // tables written before the property existed: the history still has the summaries
      for (Snapshot snapshot : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
        position = Math.max(position, fromSummary(snapshot, writerId));
      }
    }
    return position;
  }

  /** The position a snapshot records for a writer, or 0. */
  static long fromSummary(Snapshot snapshot, String writerId) {
    Map<String, String> summary = snapshot.summary();
    if (summary != null && writerId.equals(summary.get(WRITER_ID))) {
      return parse(summary.get(POSITION));
    }
    return 0;
  }

  /**
   * Guards an append: it fails validation when the table's history already holds an append of this
   * writer at or past the position, which is how a retry after an unknown commit outcome is kept
   * from committing the same rows twice.
   *
   * @param applied runs each time Iceberg applies the append to a table state: once, plus once per
   *     commit conflict (another writer's commit that the append had to be applied again on top of)
   */
  static SnapshotAncestryValidator notYetCommitted(
      String writerId, long position, Runnable applied) {
    return new SnapshotAncestryValidator() {
      @Override
      public boolean validate(Iterable<Snapshot> baseSnapshots) {
        applied.run();
        for (Snapshot snapshot : baseSnapshots) {
          if (fromSummary(snapshot, writerId) >= position) {
            return false;
          }
        }
        return true;
      }

      @Override
      public String errorMessage() {
        return "writer " + writerId + " already committed position " + position;
      }
    };
  }

  private static long parse(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
