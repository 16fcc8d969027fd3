package dev.lake.core.write;

import dev.lake.core.internal.wal.WriteAheadLog;
import dev.lake.core.model.LakeRow;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows of the write-ahead log into a generation's data files again, skipping the rows that a
 * table has already committed: at open, for what the log holds beyond the tables' positions, and
 * when a generation's files failed and are rebuilt. Written once for both.
 */
final class LogReplay {
  private static final Logger LOG = LoggerFactory.getLogger(LakeWriter.class);
  private static final int SIZE_CHECK_ROWS = 8192;

  private final WriteAheadLog wal;
  private final Map<TableDefinition<?>, Long> committedPositions;
  private final DataFiles files;

  /**
   * @param committedPositions each table's committed position, kept current by the commit worker
   */
  LogReplay(WriteAheadLog wal, Map<TableDefinition<?>, Long> committedPositions, DataFiles files) {
    this.wal = wal;
    this.committedPositions = committedPositions;
    this.files = files;
  }

  /**
   * What the log held at open beyond the tables' committed positions.
   *
   * @param generation those rows written to data files, for the commit worker; null when none
   * @param rows how many rows
   * @param committedThrough the log position everything before which is committed
   */
  record Recovered(Generation generation, long rows, long committedThrough) {}

  /**
   * Reads the whole log once at open: every row goes to {@code everyRow}, and the rows that no
   * commit covers are written into a first generation. A log that ends before a position its writer
   * committed was replaced or lost: it continues after that position.
   */
  Recovered recover(String writerId, Consumer<LakeRow> everyRow) {
    long maxCommitted =
        committedPositions.values().stream().mapToLong(Long::longValue).max().orElse(0);
    if (wal.endPosition() < maxCommitted) {
      LOG.warn(
          "The write-ahead log at {} ends at {} but its writer {} committed up to {}; the log was"
              + " replaced or lost, continuing after the committed position",
          wal.directory(),
          wal.endPosition(),
          writerId,
          maxCommitted);
      wal.skipTo(maxCommitted);
    }
    Generation recovery = new Generation(wal.startPosition());
    long rows = replay(recovery, wal.startPosition(), wal.endPosition(), everyRow);
    recovery.to = wal.endPosition();
    if (rows == 0) {
      recovery.abortFiles();
      wal.deleteBefore(recovery.to);
      return new Recovered(null, 0, recovery.to);
    }
    LOG.info(
        "Recovering {} uncommitted rows from the write-ahead log at {} (positions {} to {})",
        rows,
        wal.directory(),
        recovery.from,
        recovery.to);
    return new Recovered(recovery, rows, recovery.from);
  }

  /**
   * Writes the rows of positions [from, to) that no commit covers into a generation and counts them
   * in it; returns how many. Every row read, covered or not, goes to {@code everyRow} first. A row
   * that cannot be written marks the generation broken (see {@link Generation#isBroken()}); the
   * rest are still counted.
   *
   * @throws RuntimeException when the log cannot be read
   */
  long replay(Generation target, long from, long to, Consumer<LakeRow> everyRow) {
    long[] rows = {0};
    wal.replay(
        from,
        to,
        (start, end, records) -> {
          for (LakeRow row : records) {
            everyRow.accept(row);
            if (start >= committedPositions.get(LakeTables.of(row))) {
              target.countRows(row.tableName(), 1);
              rows[0]++;
              write(target, row, rows[0]);
            }
          }
        });
    return rows[0];
  }

  private void write(Generation target, LakeRow row, long count) {
    if (target.isBroken()) {
      return;
    }
    try {
      files.write(target, row);
      if (count % SIZE_CHECK_ROWS == 0) {
        files.overBudget(target);
      }
    } catch (RuntimeException e) {
      target.markBroken(e);
    }
  }
}
