package dev.lake.core.write;

import dev.lake.core.internal.wal.WriteAheadLog;
import dev.lake.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit thread: takes sealed generations in log order, closes their files (rebuilding from the
 * log those that failed), commits each table's files once per round, and after a round that
 * committed everything trims the log and wakes {@link #awaitCommitted}. A failed round is retried
 * with back-off and reported by a {@link FailureStreak}; an error {@link WriteErrors} calls fatal
 * stops the worker instead, leaving every uncommitted row in the log.
 */
final class CommitWorker {
  private static final Logger LOG = LoggerFactory.getLogger(LakeWriter.class);

  private final BlockingQueue<Generation> sealed;
  private final TableCommitter committer;
  private final Map<TableDefinition<?>, Table> tables;
  private final Map<TableDefinition<?>, String> tableNames;
  private final Map<TableDefinition<?>, Long> committedPositions;
  private final WriteAheadLog wal;
  private final LogReplay replay;
  private final WalGate gate;
  private final WriterCounters counters;
  private final FailureStreak commitFailures;
  private final Consumer<FatalWriteError> onFatal;
  private final long jitterMillis;
  private final Thread thread;
  private final Object progress = new Object();

  private volatile String logLost;
  private volatile FatalWriteError fatal;
  private volatile boolean closing;

  // commit thread only: the first failure of the current commit round
  private String roundError;

  // guarded by progress
  private long committedThrough;
  private boolean stopped;

  /**
   * @param tableNames the names fatal errors give the tables, e.g. crypto.orderbook_delta
   * @param committedThrough the log position everything before which is committed
   * @param jitter the most a round waits, a random time, before it commits
   * @param onFatal runs once, on the commit thread, after a fatal error stopped the worker
   */
  CommitWorker(
      BlockingQueue<Generation> sealed,
      TableCommitter committer,
      Map<TableDefinition<?>, Table> tables,
      Map<TableDefinition<?>, String> tableNames,
      Map<TableDefinition<?>, Long> committedPositions,
      WriteAheadLog wal,
      LogReplay replay,
      WalGate gate,
      WriterCounters counters,
      FailureStreak commitFailures,
      long committedThrough,
      java.time.Duration jitter,
      Consumer<FatalWriteError> onFatal) {
    this.sealed = sealed;
    this.committer = committer;
    this.tables = tables;
    this.tableNames = tableNames;
    this.committedPositions = committedPositions;
    this.wal = wal;
    this.replay = replay;
    this.gate = gate;
    this.counters = counters;
    this.commitFailures = commitFailures;
    this.committedThrough = committedThrough;
    this.onFatal = onFatal;
    this.jitterMillis = jitter.toMillis();
    this.thread = new Thread(this::commitLoop, "lake-writer-commit");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * The log is gone (see {@link LakeWriter}): rows whose files fail can no longer be rebuilt and
   * are counted lost, and the log is not trimmed any more.
   */
  void logLost(String reason) {
    logLost = reason;
  }

  String logLost() {
    return logLost;
  }

  /** The error that stopped the worker, or null. */
  FatalWriteError fatal() {
    return fatal;
  }

  /**
   * Waits until everything before a log position is committed.
   *
   * @return false on timeout, interruption, or when the worker stopped first
   */
  boolean awaitCommitted(long position, long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    synchronized (progress) {
      while (committedThrough < position && !stopped) {
        long wait = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (wait <= 0) {
          return false;
        }
        try {
          progress.wait(Math.min(wait, 1000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return committedThrough >= position;
    }
  }

  /** The writer is closing: its last rounds commit at once, without the jitter. */
  void closing() {
    closing = true;
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  /**
   * Waits a random time up to the jitter before a first attempt, so that writers sharing tables
   * spread their commits; ends early when the writer closes or stops.
   */
  private void jitter() {
    if (jitterMillis <= 0 || closing) {
      return;
    }
    long deadline =
        System.nanoTime()
            + TimeUnit.MILLISECONDS.toNanos(
                java.util.concurrent.ThreadLocalRandom.current().nextLong(jitterMillis + 1));
    synchronized (progress) {
      long left;
      while (!closing && !stopped && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Stops the thread (a round under way is interrupted) and waits for it. */
  void stop() {
    markStopped();
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void markStopped() {
    synchronized (progress) {
      stopped = true;
      progress.notifyAll();
    }
  }

  private boolean isStopped() {
    synchronized (progress) {
      return stopped;
    }
  }

  /** A table's files not yet committed, by the generation that wrote them, in log order. */
  private static final class Pending {
    final List<TableCommitter.Segment> segments = new ArrayList<>();
    long rows;
    long oldestNanos = Long.MAX_VALUE;

    long position() {
      return segments.get(segments.size() - 1).position();
    }

    int files() {
      return segments.stream().mapToInt(segment -> segment.files().size()).sum();
    }
  }

  private void commitLoop() {
    List<Generation> batch = new ArrayList<>();
    Map<TableDefinition<?>, Pending> pending = new LinkedHashMap<>();
    Backoff backoff = new Backoff(100, 30_000);
    long delayMillis = 0;
    while (fatal == null) {
      Generation next;
      try {
        next = sealed.poll(batch.isEmpty() ? 200 : Math.max(delayMillis, 1), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        break;
      }
      if (next != null) {
        batch.add(next);
        sealed.drainTo(batch);
      }
      if (batch.isEmpty()) {
        if (isStopped()) {
          break;
        }
        continue;
      }
      if (delayMillis == 0) {
        jitter();
      }
      long started = System.nanoTime();
      roundError = null;
      int prepared = prepareInOrder(batch, pending);
      long closed = System.nanoTime();
      boolean allCommitted = fatal == null && commitPending(pending);
      LOG.debug(
          "Commit round: files closed in {} ms, tables committed in {} ms",
          TimeUnit.NANOSECONDS.toMillis(closed - started),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed));
      if (fatal != null) {
        break;
      }
      // before advance(), which wakes flush(): a flush that returns sees the round's outcome
      if (allCommitted && prepared == batch.size()) {
        backoff.reset();
        delayMillis = 0;
        counters.lastError(null);
        commitFailures.succeeded();
      } else {
        delayMillis = backoff.nextDelayMillis();
        commitFailures.failed(roundError != null ? roundError : counters.lastError());
      }
      if (allCommitted && prepared > 0) {
        Generation last = batch.get(prepared - 1);
        // the closed files' descriptions counted against the budget until now
        batch.subList(0, prepared).forEach(generation -> generation.releasedAll(counters));
        batch.subList(0, prepared).clear();
        counters.roundCommitted(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        advance(last.to);
      }
      if (isStopped()) {
        break;
      }
    }
    for (Generation generation : batch) {
      if (!generation.isPrepared()) {
        generation.abortFiles();
      }
      generation.releasedAll(counters);
    }
    if (fatal != null) {
      stopOnFatal();
    }
  }

  private void stopOnFatal() {
    markStopped();
    gate.spaceFreed();
    try {
      onFatal.accept(fatal);
    } catch (RuntimeException e) {
      LOG.warn("The writer's fatal error action failed: {}", e.toString());
    }
  }

  private void advance(long position) {
    if (wal != null && logLost == null) {
      try {
        wal.deleteBefore(position);
      } catch (RuntimeException e) {
        // committed rows are safe; the log keeps segments it could not drop until the next commit
        LOG.warn("Cannot drop committed write-ahead log segments: {}", e.toString());
      }
      gate.spaceFreed();
    }
    // after the log is trimmed, so that a flush returns with the space freed
    synchronized (progress) {
      committedThrough = Math.max(committedThrough, position);
      progress.notifyAll();
    }
  }

  /**
   * Prepares generations in order, stopping at the first that fails; returns how many are ready.
   */
  private int prepareInOrder(List<Generation> batch, Map<TableDefinition<?>, Pending> pending) {
    int ready = 0;
    for (Generation generation : batch) {
      if (!generation.isPrepared()) {
        if (!prepare(generation)) {
          break;
        }
        for (Map.Entry<TableDefinition<?>, List<DataFile>> entry :
            generation.prepared().entrySet()) {
          if (entry.getValue().isEmpty()) {
            continue;
          }
          Pending tablePending = pending.computeIfAbsent(entry.getKey(), t -> new Pending());
          tablePending.segments.add(
              new TableCommitter.Segment(List.copyOf(entry.getValue()), generation.to));
          tablePending.rows += generation.rowsByTable().getOrDefault(entry.getKey().name(), 0L);
          tablePending.oldestNanos =
              Math.min(
                  tablePending.oldestNanos,
                  generation.rows > 0 ? generation.firstRowNanos : generation.createdNanos);
        }
      }
      ready++;
    }
    return ready;
  }

  private boolean prepare(Generation generation) {
    if (!generation.isBroken()) {
      try {
        generation.prepared(closeFiles(generation));
        return true;
      } catch (RuntimeException e) {
        String format = "Cannot close data files: {}; rebuilding them from the write-ahead log";
        if (commitFailures.isFailing()) {
          LOG.debug(format, e.toString());
        } else {
          LOG.warn(format, e.toString());
        }
        counters.lastError("Cannot close data files: " + e.getMessage());
        generation.markBroken(e);
      }
    }
    // its files are aborted: nothing of the sealed generation is held any more
    generation.releasedAll(counters);
    if (wal == null || logLost != null) {
      counters.lost(generation.rows);
      LOG.error(
          "Lost {} rows: their data files failed ({}) and {}",
          generation.rows,
          generation.brokenBy().toString(),
          wal == null ? "there is no write-ahead log to rebuild them from" : logLost);
      generation.prepared(Map.of());
      return true;
    }
    return rebuild(generation);
  }

  /**
   * Closes a generation's files; each file closed stops counting against the budget at once, so
   * that the generation being written gets the room back while the rest are still being closed.
   */
  private Map<TableDefinition<?>, List<DataFile>> closeFiles(Generation generation) {
    Map<TableDefinition<?>, List<DataFile>> files = new LinkedHashMap<>();
    LongConsumer released = bytes -> generation.released(bytes, counters);
    for (Map.Entry<TableDefinition<?>, TableFiles<?>> entry : generation.files().entrySet()) {
      files.put(entry.getKey(), entry.getValue().close(released));
    }
    return files;
  }

  /** Writes a generation's rows again from the log, skipping rows a table already committed. */
  private boolean rebuild(Generation generation) {
    Generation rebuilt = new Generation(generation.from);
    try {
      replay.replay(rebuilt, generation.from, generation.to, row -> {});
      if (rebuilt.isBroken()) {
        throw rebuilt.brokenBy();
      }
      generation.prepared(closeFiles(rebuilt));
      LOG.info(
          "Rebuilt data files of positions {} to {} from the write-ahead log",
          generation.from,
          generation.to);
      return true;
    } catch (RuntimeException e) {
      rebuilt.abortFiles();
      failed(
          e,
          "write data files",
          "Cannot rebuild data files from the write-ahead log: " + e.getMessage());
      return false;
    }
  }

  /** Tries each table with pending files once; true when none is left. */
  private boolean commitPending(Map<TableDefinition<?>, Pending> pending) {
    boolean allCommitted = true;
    for (Map.Entry<TableDefinition<?>, Pending> entry : pending.entrySet()) {
      Pending tablePending = entry.getValue();
      if (tablePending.segments.isEmpty()) {
        continue;
      }
      TableDefinition<?> definition = entry.getKey();
      Table table = tables.get(definition);
      long started = System.nanoTime();
      try {
        TableCommitter.Outcome outcome = committer.tryCommit(table, tablePending.segments);
        committedPositions.put(definition, tablePending.position());
        long done = System.nanoTime();
        counters.committed(
            definition.name(), tablePending.rows, done - started, done - tablePending.oldestNanos);
        LOG.debug(
            "{} {} files, {} rows to {} at position {}",
            outcome == TableCommitter.Outcome.COMMITTED ? "Committed" : "Already committed",
            tablePending.files(),
            tablePending.rows,
            table.name(),
            tablePending.position());
        tablePending.segments.clear();
        tablePending.rows = 0;
        tablePending.oldestNanos = Long.MAX_VALUE;
      } catch (RuntimeException e) {
        allCommitted = false;
        counters.commitFailed(definition.name());
        failed(
            e,
            "commit to table " + tableNames.get(definition),
            "Cannot commit to " + table.name() + ": " + e);
        if (fatal != null) {
          return false;
        }
      }
    }
    return allCommitted;
  }

  /**
   * Notes a failure of this commit round: retried ones are reported as a whole by commitFailures, a
   * fatal one stops the worker at the end of the round.
   */
  private void failed(RuntimeException e, String action, String error) {
    WriteErrors.Verdict verdict = WriteErrors.classify(e);
    counters.lastError(error);
    if (verdict.isFatal()) {
      fatal = verdict.toFatalError(action);
      LOG.debug("{}; not retried: {}", error, verdict.reason());
      return;
    }
    if (roundError == null) {
      roundError = error;
    }
    LOG.debug("{}; retrying ({})", error, verdict.reason());
  }
}
