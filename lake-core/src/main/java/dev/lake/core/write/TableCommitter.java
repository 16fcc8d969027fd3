package dev.lake.core.write;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a writer's files to a table exactly once. One attempt per call; the caller retries with
 * back-off. Before each attempt the table is refreshed and the writer's committed position read, so
 * an attempt whose earlier try had an unknown outcome ({@link CommitStateUnknownException}) and did
 * commit is recognised instead of repeated; the append is also guarded by a snapshot ancestry
 * validator for the window between that check and the commit.
 */
final class TableCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(TableCommitter.class);

  private final String writerId;
  private final boolean recordProperty;
  private final WriterCounters counters;

  /**
   * @param writerId the writer's id
   * @param recordProperty whether to keep the position in a table property too (with a log: yes)
   * @param counters where commit conflicts are counted
   */
  TableCommitter(String writerId, boolean recordProperty, WriterCounters counters) {
    this.writerId = writerId;
    this.recordProperty = recordProperty;
    this.counters = counters;
  }

  /** The outcome of one attempt. */
  enum Outcome {
    COMMITTED,
    ALREADY_COMMITTED
  }

  /**
   * Data files holding a table's rows up to a log position.
   *
   * @param files the files
   * @param position the log position they cover (exclusive)
   */
  record Segment(List<DataFile> files, long position) {}

  /**
   * Tries once to append segments, in log order, to a table. Segments the table already holds (an
   * earlier attempt committed them though its answer was lost) are left out, so that a retry that
   * carries more segments than the lost attempt commits only the new ones.
   *
   * @throws RuntimeException any failure; the caller classifies it ({@link WriteErrors}) and
   *     retries later (files are kept for that) or stops
   */
  Outcome tryCommit(Table table, List<Segment> segments) {
    table.refresh();
    long committed = CommitPositions.committed(table, writerId);
    List<DataFile> files = new ArrayList<>();
    long position = committed;
    for (Segment segment : segments) {
      if (segment.position() > committed) {
        files.addAll(segment.files());
        position = Math.max(position, segment.position());
      }
    }
    if (position <= committed) {
      return Outcome.ALREADY_COMMITTED;
    }
    try {
      commit(table, files, position);
    } catch (ValidationException e) {
      // this writer's own guard: a concurrent attempt got there first. Any other validation
      // failure is left to the caller (WriteErrors calls it fatal)
      table.refresh();
      if (CommitPositions.committed(table, writerId) >= position) {
        return Outcome.ALREADY_COMMITTED;
      }
      throw e;
    }
    return Outcome.COMMITTED;
  }

  /**
   * Appends the files and sets this writer's position property in one transaction. Iceberg applies
   * the transaction again on top of each commit another writer made meanwhile (up to the table's
   * {@code commit.retry.num-retries}, then {@link
   * org.apache.iceberg.exceptions.CommitFailedException}, which the caller retries): only this
   * writer's property is set, so other writers' positions are kept. Each application after the
   * first is counted as a commit conflict.
   */
  private void commit(Table table, List<DataFile> files, long position) {
    int[] applied = {0};
    try {
      commit(table, files, position, () -> applied[0]++);
    } finally {
      if (applied[0] > 1) {
        counters.commitConflicts(applied[0] - 1);
      }
    }
  }

  private void commit(Table table, List<DataFile> files, long position, Runnable applied) {
    Transaction transaction = table.newTransaction();
    AppendFiles append = transaction.newAppend();
    for (DataFile file : files) {
      append.appendFile(file);
    }
    append
        .set(CommitPositions.WRITER_ID, writerId)
        .set(CommitPositions.POSITION, Long.toString(position))
        .validateWith(CommitPositions.notYetCommitted(writerId, position, applied))
        .commit();
    if (recordProperty) {
      transaction
          .updateProperties()
          .set(CommitPositions.property(writerId), Long.toString(position))
          .commit();
    }
    try {
      transaction.commitTransaction();
    } catch (CommitStateUnknownException e) {
      LOG.warn(
          "Commit to {} at position {} has an unknown outcome; checking the table: {}",
          table.name(),
          position,
          e.getMessage());
      table.refresh();
      if (CommitPositions.committed(table, writerId) < position) {
        throw e;
      }
    }
  }
}
