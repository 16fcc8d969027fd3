package dev.lake.core.write;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.TableManager;
import dev.lake.core.table.TableOptions;
import dev.lake.core.wal.WalRecovery;
import dev.lake.core.wal.WriteAheadLog;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows into lake's Iceberg tables: rows are appended to a write-ahead log, streamed into
 * Parquet data files (one per table partition, rolled at the table's target size), and committed as
 * one append per table every commit interval, or sooner when the open files hold more than the
 * buffer budget.
 *
 * <p><b>Contract.</b> A row is <em>accepted</em> when {@link #append} returns: it is in the
 * write-ahead log (in the operating system's cache; on disk within the log's fsync interval). Every
 * accepted row is committed exactly once: each append records this writer's id and the log position
 * it covers, in the snapshot summary and in a table property that snapshot expiry and compaction
 * keep. After a crash, opening a writer on the same log folder commits what the log holds beyond
 * each table's committed position, and nothing before it. {@link #flush()} returns when everything
 * appended before it is committed; {@link #close()} does the same within the shutdown timeout and
 * leaves the rest in the log for the next open.
 *
 * <p><b>Failures.</b> Commit conflicts, unknown commit outcomes, catalog and storage outages are
 * retried with back-off for as long as they last; rows keep being accepted into the log until it
 * reaches its disk budget, where the {@link WalFullPolicy} applies. Data files that cannot be
 * written are rebuilt from the log. Without a log ({@link Builder#withoutWriteAheadLog()}) rows
 * between the last commit and a crash are lost.
 *
 * <p><b>The log's folder deleted.</b> Twice a second the writer checks that the log's folder, its
 * lock file and the segment being written are still the files it opened. When one was deleted or
 * replaced, rows it accepts could no longer survive a crash and the lock no longer keeps a second
 * writer out, so the writer stops: it logs an error naming the folder, accepts no more rows ({@link
 * #append} throws {@link IllegalStateException}, {@link #failure()} says why), runs the {@link
 * Builder#onFailure} action, and goes on committing the rows it accepted from its open data files.
 * It does not make a new log in the folder: a folder that vanished may be a disk that was
 * unmounted, or a folder another process now uses. Accepted rows it cannot commit by {@link
 * #close()} (their files failed too, or the commits) are lost: logged as an error and counted in
 * {@link WriterStats#rowsLost()}. Opening a writer on the folder again starts a new log, with a new
 * writer id.
 *
 * <p><b>Threads.</b> Thread-safe: rows may be appended from many threads; each call's rows are
 * logged and written as one unit, in call order. Commits run on a background thread.
 */
public final class LakeWriter implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(LakeWriter.class);
  private static final int SIZE_CHECK_ROWS = 8192;
  private static final Duration BOOK_LOOKBACK = Duration.ofDays(7);
  private static final Duration FAILURE_REMINDER = Duration.ofMinutes(5);
  private static final long LOG_CHECK_MILLIS = 500;

  private final Catalog catalog;
  private final TableManager tables;
  private final Map<TableDefinition<?>, TableContext<?>> contexts = new LinkedHashMap<>();
  private final Map<TableDefinition<?>, Table> commitTables = new LinkedHashMap<>();
  private final Map<TableDefinition<?>, Long> committedPositions = new ConcurrentHashMap<>();
  private final WriteAheadLog wal;
  private final String writerId;
  private final TableCommitter committer;
  private final long commitIntervalNanos;
  private final long bufferMaxBytes;
  private volatile long bufferedEstimate;
  private final long walMaxBytes;
  private final boolean syncEveryAppend;
  private final WalFullPolicy walFullPolicy;
  private final Duration shutdownTimeout;
  private final Consumer<String> failureAction;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition budget = lock.newCondition();
  private final Object progress = new Object();
  private final LinkedBlockingQueue<Generation> sealed = new LinkedBlockingQueue<>();
  private final Thread commitThread;
  private final ScheduledExecutorService timer;

  private final Map<String, LongAdder> appended = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> committedRows = new ConcurrentHashMap<>();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final Map<BookKey, Long> loggedBookIds;
  private final long recovered;
  private volatile Instant lastCommit;
  private volatile long lastCommitMillis;
  private volatile String lastError;
  private volatile String failure;
  private final FailureStreak commitFailures =
      new FailureStreak(LOG, "Commits", FAILURE_REMINDER, System::nanoTime);

  // guarded by lock
  private Generation current;
  private long nextPosition;
  private long rowsSinceSizeCheck;
  private long droppedUnreported;
  private boolean closing;

  // commit thread only: the first failure of the current commit round
  private String roundError;

  // guarded by progress
  private long committedThrough;
  private boolean committerStopped;

  private LakeWriter(Builder builder) {
    this.catalog = builder.catalog;
    this.tables = new TableManager(catalog, builder.tableOptions);
    this.commitIntervalNanos = builder.commitInterval.toNanos();
    this.bufferMaxBytes = builder.bufferMaxBytes;
    this.walMaxBytes = builder.walMaxBytes;
    this.syncEveryAppend = builder.walFsyncInterval.isZero();
    this.walFullPolicy = builder.walFullPolicy;
    this.shutdownTimeout = builder.shutdownTimeout;
    this.failureAction = builder.failureAction;

    if (builder.createTables) {
      tables.ensureAllTables();
    }
    this.wal =
        builder.walDirectory == null
            ? null
            : WriteAheadLog.open(
                builder.walDirectory,
                Math.min(builder.walSegmentBytes, Math.max(4096, builder.walMaxBytes / 4)));
    try {
      this.writerId = wal != null ? wal.writerId() : UUID.randomUUID().toString();
      this.committer = new TableCommitter(writerId, wal != null);
      AtomicLong fileCounter = new AtomicLong();
      String writerTag = writerId.replace("-", "").substring(0, 8);
      for (TableDefinition<?> definition : LakeTables.all()) {
        contexts.put(definition, newContext(definition, writerTag, fileCounter));
        Table commitTable = tables.load(definition);
        commitTables.put(definition, commitTable);
        committedPositions.put(definition, CommitPositions.committed(commitTable, writerId));
      }
      this.loggedBookIds = new HashMap<>();
      this.recovered = wal != null ? recover() : 0;
      this.current = new Generation(wal != null ? wal.endPosition() : 0);
    } catch (RuntimeException e) {
      if (wal != null) {
        wal.close();
      }
      throw e;
    }

    this.commitThread = new Thread(this::commitLoop, "lake-writer-commit");
    commitThread.setDaemon(true);
    commitThread.start();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "lake-writer-timer");
              thread.setDaemon(true);
              return thread;
            });
    long tick = Math.max(50, builder.commitInterval.toMillis() / 4);
    timer.scheduleAtFixedRate(this::sealIfDue, tick, tick, TimeUnit.MILLISECONDS);
    if (wal != null && !syncEveryAppend) {
      long fsync = builder.walFsyncInterval.toMillis();
      timer.scheduleAtFixedRate(this::syncLog, fsync, fsync, TimeUnit.MILLISECONDS);
    }
    if (wal != null) {
      timer.scheduleWithFixedDelay(
          this::checkLogFiles, LOG_CHECK_MILLIS, LOG_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
    reportLogDamage();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private TableContext<?> newContext(
      TableDefinition<?> definition, String writerTag, AtomicLong fileCounter) {
    return new TableContext(definition, tables.load(definition), writerTag, fileCounter);
  }

  /** A builder for a writer on a catalog. */
  public static Builder builder(Catalog catalog) {
    return new Builder(catalog);
  }

  /** This writer's id: kept in the log folder, so the same folder gives the same writer. */
  public String writerId() {
    return writerId;
  }

  /** The table manager this writer created or upgraded its tables with. */
  public TableManager tables() {
    return tables;
  }

  /**
   * Why the writer stopped accepting rows (its write-ahead log was deleted while it ran), or null
   * while it accepts them. See the class documentation.
   */
  public String failure() {
    return failure;
  }

  /** What opening the write-ahead log found, or null without a log. */
  public WalRecovery logRecovery() {
    return wal == null ? null : wal.recovery();
  }

  /**
   * Appends one row.
   *
   * @see #append(List)
   */
  public void append(LakeRow row) {
    append(List.of(requireNonNull(row, "row is null")));
  }

  /**
   * Appends rows, all or none: they are logged as one record and written in order. Blocks while the
   * write-ahead log is over its budget under {@link WalFullPolicy#BACKPRESSURE}.
   *
   * @throws NullPointerException when the list or one of its rows is null (nothing is appended)
   * @throws IllegalStateException when the writer is closed, or stopped accepting rows because its
   *     write-ahead log is gone ({@link #failure()})
   * @throws java.io.UncheckedIOException when the log cannot be written (nothing is appended)
   */
  public void append(List<? extends LakeRow> rows) {
    requireNonNull(rows, "rows is null");
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i) == null) {
        throw new NullPointerException("rows[" + i + "] is null");
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      checkOpen();
      if (wal != null && wal.retainedBytes() >= walMaxBytes && !awaitBudget(rows.size())) {
        return;
      }
      reportDropped();
      appendLocked(rows);
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() {
    if (failure != null) {
      throw new IllegalStateException("Cannot append rows: " + failure);
    }
    if (closing) {
      throw new IllegalStateException("Cannot append rows: the writer is closed");
    }
  }

  /** Returns false when the rows are to be dropped. */
  private boolean awaitBudget(int rows) {
    if (walFullPolicy == WalFullPolicy.DROP) {
      dropped.addAndGet(rows);
      droppedUnreported += rows;
      return false;
    }
    LOG.warn(
        "Write-ahead log holds {} bytes, over its budget of {}: holding rows back until commits"
            + " free space",
        wal.retainedBytes(),
        walMaxBytes);
    while (wal.retainedBytes() >= walMaxBytes) {
      try {
        budget.await(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Cannot append rows: interrupted while waiting for space");
      }
      checkOpen();
    }
    return true;
  }

  private void reportDropped() {
    if (droppedUnreported == 0) {
      return;
    }
    long now = Instant.now().toEpochMilli() * 1000;
    String detail =
        droppedUnreported
            + " rows dropped: write-ahead log over its budget of "
            + walMaxBytes
            + " bytes (wal_full: drop)";
    droppedUnreported = 0;
    LOG.warn(detail);
    appendLocked(
        List.of(
            new StreamEvent(
                StreamEvent.LAKE,
                StreamEvent.ALL,
                StreamEvent.ALL,
                null,
                StreamEventType.DROPPED,
                detail,
                null,
                null,
                now,
                now)));
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
    countRows(generation, rows);
    if (!generation.isBroken()) {
      try {
        for (LakeRow row : rows) {
          writeRow(generation, row);
        }
      } catch (RuntimeException e) {
        // once per generation; while commits already fail the commit loop's report covers it
        log(
            commitFailures.isFailing(),
            "Cannot write data files ({}); the rows since position {} will be rebuilt from the"
                + " write-ahead log",
            e.toString(),
            generation.from);
        lastError = "Cannot write data files: " + e.getMessage();
        generation.markBroken(e);
      }
    }
    rowsSinceSizeCheck += rows.size();
    if (rowsSinceSizeCheck >= SIZE_CHECK_ROWS) {
      rowsSinceSizeCheck = 0;
      if (!generation.isBroken() && overBudget(generation)) {
        sealLocked();
      }
    }
  }

  /**
   * Keeps the open files' memory within the buffer budget: when over it, the largest files write
   * their row groups out (freeing half the budget); true when that was not enough, and the
   * generation should be committed early instead.
   */
  private boolean overBudget(Generation generation) {
    long estimate = generation.estimatedBytes();
    bufferedEstimate = estimate;
    if (estimate < bufferMaxBytes) {
      return false;
    }
    long freed = generation.relieve(estimate - bufferMaxBytes / 2);
    LOG.debug(
        "Open data files held about {} bytes, over the budget of {}: wrote {} bytes of row groups"
            + " out",
        estimate,
        bufferMaxBytes,
        freed);
    bufferedEstimate = generation.estimatedBytes();
    return bufferedEstimate >= bufferMaxBytes;
  }

  /** Counts per table by runs: the rows of one message all belong to one table. */
  private void countRows(Generation generation, List<? extends LakeRow> rows) {
    String table = null;
    int run = 0;
    for (int i = 0; i < rows.size(); i++) {
      String name = rows.get(i).tableName();
      if (!name.equals(table)) {
        if (run > 0) {
          countRun(generation, table, run);
        }
        table = name;
        run = 0;
      }
      run++;
    }
    countRun(generation, table, run);
  }

  private void countRun(Generation generation, String table, int run) {
    generation.countRows(table, run);
    appended.computeIfAbsent(table, t -> new LongAdder()).add(run);
  }

  private <R extends LakeRow> void writeRow(Generation generation, R row) {
    TableDefinition<R> definition = LakeTables.of(row);
    generation.write(row, definition, this::newTableFiles);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private TableFiles<?> newTableFiles(TableDefinition<?> definition) {
    return new TableFiles(contexts.get(definition));
  }

  private void sealLocked() {
    if (current.isEmpty()) {
      return;
    }
    sealed.add(current);
    current = new Generation(current.to);
  }

  private void sealIfDue() {
    lock.lock();
    try {
      if (!current.isEmpty() && System.nanoTime() - current.createdNanos >= commitIntervalNanos) {
        sealLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  private void syncLog() {
    try {
      wal.sync();
    } catch (RuntimeException e) {
      LOG.warn("Cannot sync the write-ahead log: {}", e.toString());
    }
  }

  /** Stops the writer when the log's files are no longer the ones it writes to. */
  private void checkLogFiles() {
    try {
      Optional<String> missing = wal.missingFiles();
      if (missing.isPresent()) {
        stopOnLostLog(missing.get());
      }
    } catch (RuntimeException e) {
      // a scheduled task that throws is not run again; the next check may do better
      LOG.warn("Cannot check the write-ahead log's files: {}", e.toString());
    }
  }

  private void stopOnLostLog(String missing) {
    String reason = "the write-ahead log is gone: " + missing;
    lock.lock();
    try {
      if (failure != null) {
        return;
      }
      failure = reason;
      sealLocked(); // commit what was accepted now, not at the end of the interval
      budget.signalAll();
    } finally {
      lock.unlock();
    }
    LOG.error(
        "The write-ahead log at {} is gone ({}): was it deleted while lake was writing to it? Rows"
            + " accepted since went to a deleted file and its lock no longer keeps a second writer"
            + " out, so this writer accepts no more rows; it commits the {} rows it accepted and"
            + " has not committed from its open data files, and reports any it cannot as lost",
        wal.directory(),
        missing,
        stats().rowsUncommitted());
    try {
      failureAction.accept(reason);
    } catch (RuntimeException e) {
      LOG.warn("The writer's failure action failed: {}", e.toString());
    }
  }

  /**
   * Commits everything appended before this call; returns when it is committed.
   *
   * @throws IllegalStateException when the writer closes before that
   */
  public void flush() {
    if (!flush(Duration.ofDays(3650))) {
      throw new IllegalStateException(
          "Cannot flush: the writer closed before every row was committed (last error: "
              + lastError
              + ")");
    }
  }

  /**
   * Commits everything appended before this call, waiting at most a timeout.
   *
   * @return true when everything appended before the call is committed
   */
  public boolean flush(Duration timeout) {
    long target;
    lock.lock();
    try {
      sealLocked();
      target = current.from;
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (committedThrough < target && !committerStopped) {
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
      return committedThrough >= target;
    }
  }

  /**
   * Stops accepting rows, commits what was accepted (waiting at most the shutdown timeout), and
   * releases the log. Rows not committed by then stay in the log and are committed by the next
   * writer opened on it. Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closing) {
        return;
      }
      closing = true;
      budget.signalAll();
    } finally {
      lock.unlock();
    }
    boolean committed = flush(shutdownTimeout);
    if (!committed && failure == null) {
      LOG.warn(
          "Closing with rows not yet committed (last error: {}); {}",
          lastError,
          wal != null
              ? "they stay in the write-ahead log at " + wal.directory() + " for the next start"
              : "without a write-ahead log they are lost");
    }
    timer.shutdownNow();
    synchronized (progress) {
      committerStopped = true;
      progress.notifyAll();
    }
    commitThread.interrupt();
    try {
      commitThread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Generation generation : sealed) {
      generation.abortFiles();
    }
    current.abortFiles();
    if (wal != null) {
      wal.close();
    }
    countLostWithTheLog();
  }

  /** After a close: accepted rows not committed are lost when their log is gone. */
  private void countLostWithTheLog() {
    long left = stats().rowsUncommitted();
    if (failure == null || left == 0) {
      return;
    }
    lost.addAndGet(left);
    LOG.error(
        "Lost {} rows: they could not be committed (last error: {}) and {}",
        left,
        lastError,
        failure);
  }

  /** Counters for status lines and monitoring. */
  public WriterStats stats() {
    return new WriterStats(
        snapshot(appended),
        snapshot(committedRows),
        recovered,
        dropped.get(),
        lost.get(),
        commits.get(),
        lastCommit,
        lastCommitMillis,
        sealed.size(),
        wal == null ? 0 : wal.retainedBytes(),
        bufferedEstimate,
        lastError);
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
    Map<String, Long> values = new HashMap<>();
    counters.forEach((table, count) -> values.put(table, count.sum()));
    return values;
  }

  /**
   * The last update id persisted for each order book: in the table (from file statistics of the
   * last week's partitions) or in the write-ahead log. A connector that restarts a book records the
   * span between this id and its new snapshot as a {@code restart_gap}.
   */
  public Map<BookKey, Long> lastPersistedUpdateIds() {
    Table deltas = catalog.loadTable(tables.identifier(LakeTables.ORDERBOOK_DELTA));
    long since = Instant.now().minus(BOOK_LOOKBACK).toEpochMilli() * 1000;
    Map<BookKey, Long> ids = new HashMap<>(BookPositions.fromTable(deltas, since));
    synchronized (loggedBookIds) {
      loggedBookIds.forEach((book, id) -> ids.merge(book, id, Math::max));
    }
    return ids;
  }

  // ---------------------------------------------------------------- recovery

  /**
   * Reads the whole log once: notes the last update id of every book, and writes the rows that no
   * commit covers into a first generation, sealed for the committer. Returns the rows recovered.
   */
  private long recover() {
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
    long[] rows = {0};
    wal.replay(
        wal.startPosition(),
        wal.endPosition(),
        (start, end, records) -> {
          for (LakeRow row : records) {
            noteBook(row);
            TableDefinition<?> definition = LakeTables.of(row);
            if (start >= committedPositions.get(definition)) {
              recovery.countRows(row.tableName(), 1);
              rows[0]++;
              if (!recovery.isBroken()) {
                try {
                  writeRow(recovery, row);
                  if (rows[0] % SIZE_CHECK_ROWS == 0) {
                    overBudget(recovery);
                  }
                } catch (RuntimeException e) {
                  recovery.markBroken(e);
                }
              }
            }
          }
        });
    recovery.to = wal.endPosition();
    if (rows[0] > 0) {
      LOG.info(
          "Recovering {} uncommitted rows from the write-ahead log at {} (positions {} to {})",
          rows[0],
          wal.directory(),
          recovery.from,
          recovery.to);
      committedThrough = recovery.from;
      sealed.add(recovery);
    } else {
      recovery.abortFiles();
      committedThrough = recovery.to;
      wal.deleteBefore(recovery.to);
    }
    return rows[0];
  }

  private void noteBook(LakeRow row) {
    if (row instanceof OrderBookDelta delta) {
      BookKey book = new BookKey(delta.exchange(), delta.market(), delta.symbol());
      synchronized (loggedBookIds) {
        loggedBookIds.merge(book, delta.lastUpdateId(), Math::max);
      }
    }
  }

  private void reportLogDamage() {
    if (wal == null || !wal.recovery().damaged()) {
      return;
    }
    WalRecovery found = wal.recovery();
    long now = Instant.now().toEpochMilli() * 1000;
    String detail =
        found.bytesLost()
            + " bytes of the write-ahead log at "
            + wal.directory()
            + " were unreadable: "
            + String.join("; ", found.damage());
    append(
        new StreamEvent(
            StreamEvent.LAKE,
            StreamEvent.ALL,
            StreamEvent.ALL,
            null,
            StreamEventType.WAL_TRUNCATED,
            detail,
            null,
            null,
            now,
            now));
  }

  // ---------------------------------------------------------------- commits

  /** Files waiting for one table's next commit. */
  /** A table's files not yet committed, by the generation that wrote them, in log order. */
  private static final class Pending {
    final List<TableCommitter.Segment> segments = new ArrayList<>();
    long rows;

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
    while (true) {
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
      long started = System.nanoTime();
      roundError = null;
      int prepared = prepareInOrder(batch, pending);
      long closed = System.nanoTime();
      boolean allCommitted = commitPending(pending);
      LOG.debug(
          "Commit round: files closed in {} ms, tables committed in {} ms",
          TimeUnit.NANOSECONDS.toMillis(closed - started),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed));
      // before advance(), which wakes flush(): a flush that returns sees the round's outcome
      if (allCommitted && prepared == batch.size()) {
        backoff.reset();
        delayMillis = 0;
        lastError = null;
        commitFailures.succeeded();
      } else {
        delayMillis = backoff.nextDelayMillis();
        commitFailures.failed(roundError != null ? roundError : lastError);
      }
      if (allCommitted && prepared > 0) {
        Generation last = batch.get(prepared - 1);
        batch.subList(0, prepared).clear();
        lastCommitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
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
    }
  }

  private boolean isStopped() {
    synchronized (progress) {
      return committerStopped;
    }
  }

  private void advance(long position) {
    if (wal != null && failure == null) {
      try {
        wal.deleteBefore(position);
      } catch (RuntimeException e) {
        // committed rows are safe; the log keeps segments it could not drop until the next commit
        LOG.warn("Cannot drop committed write-ahead log segments: {}", e.toString());
      }
      lock.lock();
      try {
        budget.signalAll();
      } finally {
        lock.unlock();
      }
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
        }
      }
      ready++;
    }
    return ready;
  }

  private boolean prepare(Generation generation) {
    if (!generation.isBroken()) {
      try {
        Map<TableDefinition<?>, List<DataFile>> files = new LinkedHashMap<>();
        for (Map.Entry<TableDefinition<?>, TableFiles<?>> entry : generation.files().entrySet()) {
          files.put(entry.getKey(), entry.getValue().close());
        }
        generation.prepared(files);
        return true;
      } catch (RuntimeException e) {
        log(
            commitFailures.isFailing(),
            "Cannot close data files: {}; rebuilding them from the write-ahead log",
            e.toString());
        lastError = "Cannot close data files: " + e.getMessage();
        generation.markBroken(e);
      }
    }
    if (wal == null || failure != null) {
      lost.addAndGet(generation.rows);
      LOG.error(
          "Lost {} rows: their data files failed ({}) and {}",
          generation.rows,
          generation.brokenBy().toString(),
          wal == null ? "there is no write-ahead log to rebuild them from" : failure);
      generation.prepared(Map.of());
      return true;
    }
    return rebuild(generation);
  }

  /** Writes a generation's rows again from the log, skipping rows a table already committed. */
  private boolean rebuild(Generation generation) {
    Generation rebuilt = new Generation(generation.from);
    long[] records = {0};
    try {
      wal.replay(
          generation.from,
          generation.to,
          (start, end, rows) -> {
            for (LakeRow row : rows) {
              if (start >= committedPositions.get(LakeTables.of(row))) {
                writeRow(rebuilt, row);
              }
            }
            if (++records[0] % 1024 == 0) {
              overBudget(rebuilt);
            }
          });
      Map<TableDefinition<?>, List<DataFile>> files = new LinkedHashMap<>();
      for (Map.Entry<TableDefinition<?>, TableFiles<?>> entry : rebuilt.files().entrySet()) {
        files.put(entry.getKey(), entry.getValue().close());
      }
      generation.prepared(files);
      LOG.info(
          "Rebuilt data files of positions {} to {} from the write-ahead log",
          generation.from,
          generation.to);
      return true;
    } catch (RuntimeException e) {
      rebuilt.abortFiles();
      failedInRound("Cannot rebuild data files from the write-ahead log: " + e.getMessage());
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
      Table table = commitTables.get(definition);
      try {
        TableCommitter.Outcome outcome = committer.tryCommit(table, tablePending.segments);
        committedPositions.put(definition, tablePending.position());
        committedRows
            .computeIfAbsent(definition.name(), t -> new LongAdder())
            .add(tablePending.rows);
        commits.incrementAndGet();
        lastCommit = Instant.now();
        LOG.debug(
            "{} {} files, {} rows to {} at position {}",
            outcome == TableCommitter.Outcome.COMMITTED ? "Committed" : "Already committed",
            tablePending.files(),
            tablePending.rows,
            table.name(),
            tablePending.position());
        tablePending.segments.clear();
        tablePending.rows = 0;
      } catch (RuntimeException e) {
        allCommitted = false;
        failedInRound("Cannot commit to " + table.name() + ": " + e);
      }
    }
    return allCommitted;
  }

  /** Notes a failure of this commit round; the round as a whole is reported by commitFailures. */
  private void failedInRound(String error) {
    lastError = error;
    if (roundError == null) {
      roundError = error;
    }
    LOG.debug("{}; retrying", error);
  }

  /** A warning, or only a debug line while a failure is already being reported. */
  private static void log(boolean quiet, String format, Object... arguments) {
    if (quiet) {
      LOG.debug(format, arguments);
    } else {
      LOG.warn(format, arguments);
    }
  }

  // ---------------------------------------------------------------- builder

  /**
   * Builds a {@link LakeWriter}. A choice about the write-ahead log is required: {@link
   * #writeAheadLog(Path)} or {@link #withoutWriteAheadLog()}.
   */
  public static final class Builder {
    private final Catalog catalog;
    private TableOptions tableOptions = TableOptions.defaults();
    private Path walDirectory;
    private boolean walChosen;
    private Duration commitInterval = Duration.ofSeconds(60);
    private long bufferMaxBytes = 256L * 1024 * 1024;
    private Duration walFsyncInterval = Duration.ofMillis(200);
    private long walMaxBytes = 10L * 1024 * 1024 * 1024;
    private long walSegmentBytes = 64L * 1024 * 1024;
    private WalFullPolicy walFullPolicy = WalFullPolicy.BACKPRESSURE;
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private boolean createTables = true;
    private Consumer<String> failureAction = reason -> {};

    private Builder(Catalog catalog) {
      this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /**
     * Namespace, layout and creation settings of the tables. Default: {@link
     * TableOptions#defaults()}.
     */
    public Builder tableOptions(TableOptions value) {
      this.tableOptions = requireNonNull(value, "tableOptions is null");
      return this;
    }

    /** Logs rows in this folder before accepting them; the folder identifies the writer. */
    public Builder writeAheadLog(Path directory) {
      this.walDirectory = requireNonNull(directory, "directory is null");
      this.walChosen = true;
      return this;
    }

    /** Accepts rows without logging them: faster, but a crash loses what is not yet committed. */
    public Builder withoutWriteAheadLog() {
      this.walDirectory = null;
      this.walChosen = true;
      return this;
    }

    /** Time between commits. Default 60 s. */
    public Builder commitInterval(Duration value) {
      requireNonNull(value, "commitInterval is null");
      if (value.toMillis() < 10) {
        throw new IllegalArgumentException(
            "Invalid commit interval: " + value.toMillis() + " ms (expected at least 10 ms)");
      }
      this.commitInterval = value;
      return this;
    }

    /** Bytes the open data files may hold before an early commit. Default 256 MiB. */
    public Builder bufferMaxBytes(long value) {
      if (value < 1024 * 1024) {
        throw new IllegalArgumentException(
            "Invalid buffer size: " + value + " bytes (expected at least 1 MiB)");
      }
      this.bufferMaxBytes = value;
      return this;
    }

    /** Time between forcing the log to disk; zero forces on every append. Default 200 ms. */
    public Builder walFsyncInterval(Duration value) {
      requireNonNull(value, "walFsyncInterval is null");
      if (value.isNegative()) {
        throw new IllegalArgumentException("Invalid fsync interval: " + value);
      }
      this.walFsyncInterval = value;
      return this;
    }

    /** Disk budget of the log. Default 10 GiB. */
    public Builder walMaxBytes(long value) {
      if (value < 1024 * 1024) {
        throw new IllegalArgumentException(
            "Invalid write-ahead log budget: " + value + " bytes (expected at least 1 MiB)");
      }
      this.walMaxBytes = value;
      return this;
    }

    /** Size of a log segment file. Default 64 MiB. */
    public Builder walSegmentBytes(long value) {
      if (value < 4096) {
        throw new IllegalArgumentException(
            "Invalid segment size: " + value + " bytes (expected at least 4096)");
      }
      this.walSegmentBytes = value;
      return this;
    }

    /** What to do when the log is over its budget. Default: back-pressure. */
    public Builder walFullPolicy(WalFullPolicy value) {
      this.walFullPolicy = requireNonNull(value, "walFullPolicy is null");
      return this;
    }

    /** How long {@link LakeWriter#close()} waits for the last commit. Default 30 s. */
    public Builder shutdownTimeout(Duration value) {
      this.shutdownTimeout = requireNonNull(value, "shutdownTimeout is null");
      return this;
    }

    /**
     * What to do when the writer stops accepting rows because of a failure it cannot ride out:
     * today one, its write-ahead log's folder, lock file or current segment deleted or replaced
     * while it runs (see the class documentation). Runs once, on a writer thread, with the reason
     * ({@link LakeWriter#failure()}); it should stop the source of the rows and close the writer,
     * which commits what it accepted. Default: nothing (appends then throw).
     */
    public Builder onFailure(Consumer<String> action) {
      this.failureAction = requireNonNull(action, "action is null");
      return this;
    }

    /** Do not create or upgrade tables on open; they must exist with every column lake writes. */
    public Builder withoutCreatingTables() {
      this.createTables = false;
      return this;
    }

    /**
     * Opens the writer: creates or upgrades the tables, opens the log and commits what it holds
     * beyond the tables' committed positions.
     *
     * @throws IllegalStateException when no choice about the log was made
     * @throws dev.lake.core.wal.WalLockedException when another writer uses the log folder
     * @throws RuntimeException when the catalog cannot be reached or a table cannot take lake's
     *     rows
     */
    public LakeWriter build() {
      if (!walChosen) {
        throw new IllegalStateException(
            "Cannot build writer: choose writeAheadLog(directory) or withoutWriteAheadLog()");
      }
      return new LakeWriter(this);
    }
  }
}
