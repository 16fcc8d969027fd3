package dev.lake.core.write;

import dev.lake.core.internal.wal.WriteAheadLog;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.StreamEvent;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generation rows are appended to, behind the writer's one append lock: each call's rows are
 * logged, then written to the generation's data files, in call order. Sealing hands the generation
 * to the commit worker and opens the next one where it ended; that happens every commit interval,
 * when the open files are over the buffer budget, and on flush. Also holds whether the writer still
 * accepts rows (closing, or refused because of a failure).
 */
final class OpenGeneration {
  private static final Logger LOG = LoggerFactory.getLogger(LakeWriter.class);
  private static final int SIZE_CHECK_ROWS = 8192;

  private final ReentrantLock lock;
  private final WalGate gate;
  private final WriteAheadLog wal;
  private final boolean syncEveryAppend;
  private final long commitIntervalNanos;
  private final DataFiles files;
  private final WriterCounters counters;
  private final FailureStreak commitFailures;
  private final BlockingQueue<Generation> sealed;
  private final Runnable checkOpen = this::checkOpen; // made once: append is the hot path

  // guarded by lock
  private Generation current;
  private long nextPosition;
  private long rowsSinceSizeCheck;
  private boolean closing;
  private volatile String refusal;

  OpenGeneration(
      ReentrantLock lock,
      WalGate gate,
      WriteAheadLog wal,
      WriterOptions options,
      DataFiles files,
      WriterCounters counters,
      FailureStreak commitFailures,
      BlockingQueue<Generation> sealed) {
    this.lock = lock;
    this.gate = gate;
    this.wal = wal;
    this.syncEveryAppend = options.walFsyncInterval().isZero();
    this.commitIntervalNanos = options.commitInterval().toNanos();
    this.files = files;
    this.counters = counters;
    this.commitFailures = commitFailures;
    this.sealed = sealed;
    this.current = new Generation(wal != null ? wal.endPosition() : 0);
  }

  /** Appends rows, all or none; see {@link LakeWriter#append(List)}. */
  void append(List<? extends LakeRow> rows) {
    lock.lock();
    try {
      checkOpen();
      if (!gate.admit(rows.size(), checkOpen)) {
        return;
      }
      StreamEvent dropped = gate.takeDroppedReport();
      if (dropped != null) {
        appendLocked(List.of(dropped));
      }
      appendLocked(rows);
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() {
    if (refusal != null) {
      throw new IllegalStateException("Cannot append rows: " + refusal);
    }
    if (closing) {
      throw new IllegalStateException("Cannot append rows: the writer is closed");
    }
  }

  private void appendLocked(List<? extends LakeRow> rows) {
    long end;
    if (wal != null) {
      end = wal.append(rows);
      if (syncEveryAppend) {
        wal.sync();
      }
    } else {
      nextPosition += rows.size();
      end = nextPosition;
    }
    Generation generation = current;
    generation.to = end;
    counters.appended(generation, rows);
    if (!generation.isBroken()) {
      writeAll(generation, rows);
    }
    rowsSinceSizeCheck += rows.size();
    if (rowsSinceSizeCheck >= SIZE_CHECK_ROWS) {
      rowsSinceSizeCheck = 0;
      if (!generation.isBroken() && files.overBudget(generation)) {
        sealLocked();
      }
    }
  }

  private void writeAll(Generation generation, List<? extends LakeRow> rows) {
    try {
      for (int i = 0; i < rows.size(); i++) {
        files.write(generation, rows.get(i));
      }
    } catch (RuntimeException e) {
      // once per generation; while commits already fail the commit worker's report covers it
      String format =
          "Cannot write data files ({}); the rows since position {} will be rebuilt from the"
              + " write-ahead log";
      if (commitFailures.isFailing()) {
        LOG.debug(format, e.toString(), generation.from);
      } else {
        LOG.warn(format, e.toString(), generation.from);
      }
      counters.lastError("Cannot write data files: " + e.getMessage());
      generation.markBroken(e);
    }
  }

  private void sealLocked() {
    if (current.isEmpty()) {
      return;
    }
    current.sealed(counters);
    sealed.add(current);
    current = new Generation(current.to);
  }

  /** Seals the generation when it is older than the commit interval. */
  void sealIfDue() {
    lock.lock();
    try {
      if (!current.isEmpty() && System.nanoTime() - current.createdNanos >= commitIntervalNanos) {
        sealLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Seals the generation; returns the log position everything appended so far ends at. */
  long seal() {
    lock.lock();
    try {
      sealLocked();
      return current.from;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Accepts no more rows, for a reason {@link LakeWriter#append} then names, and seals what was
   * accepted so that it is committed now rather than at the end of the interval. False when the
   * writer already refuses rows (the first reason stays).
   */
  boolean refuse(String reason) {
    lock.lock();
    try {
      if (refusal != null) {
        return false;
      }
      refusal = reason;
      sealLocked();
    } finally {
      lock.unlock();
    }
    gate.spaceFreed();
    return true;
  }

  /** Why rows are refused, or null while they are accepted. */
  String refusal() {
    return refusal;
  }

  /** Accepts no more rows because the writer closes; false when it was already closing. */
  boolean close() {
    lock.lock();
    try {
      if (closing) {
        return false;
      }
      closing = true;
    } finally {
      lock.unlock();
    }
    gate.spaceFreed();
    return true;
  }

  /** After the commit worker stopped: deletes the files of what was not committed. */
  void abortUncommitted() {
    lock.lock();
    try {
      for (Generation generation : sealed) {
        generation.abortFiles();
        generation.releasedAll(counters);
      }
      current.abortFiles();
    } finally {
      lock.unlock();
    }
  }
}
