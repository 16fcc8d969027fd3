package dev.lake.core.internal.wal;

import dev.lake.core.model.LakeRow;
import java.util.List;

/** Receives the records of a write-ahead log replay, in log order. */
@FunctionalInterface
public interface WalRecordVisitor {
  /**
   * Called once per intact record.
   *
   * @param start the record's position in the log
   * @param end the position just after it; a commit that covers the record stores at least this
   * @param rows the rows of the record, in the order they were appended
   */
  void visit(long start, long end, List<LakeRow> rows);
}
