package dev.lake.core.write;

import static java.util.Objects.requireNonNull;

import dev.lake.core.internal.wal.WalRecovery;
import dev.lake.core.internal.wal.WriteAheadLog;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.TableManager;
import dev.lake.core.table.TableOptions;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
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
 * <p><b>Failures.</b> Commit conflicts, unknown commit outcomes, catalog and storage outages (I/O
 * errors, refused connections, timeouts, HTTP 5xx, a busy SQLite catalog) and errors lake does not
 * recognise are retried with back-off for as long as they last; rows keep being accepted into the
 * log until it reaches its disk budget, where the {@link WalFullPolicy} applies. Data files that
 * cannot be written are rebuilt from the log. Without a log ({@link
 * Builder#withoutWriteAheadLog()}) rows between the last commit and a crash are lost.
 *
 * <p><b>Fatal errors.</b> Errors that retrying cannot cure stop the writer's commits at once: a
 * table dropped, a schema that does not take lake's rows, credentials refused, permission denied
 * ({@link FatalWriteError.Kind}). The writer then keeps every row it accepted in its log (none is
 * deleted; a writer opened on the log once the cause is put right commits them), logs an error,
 * refuses further rows ({@link #append} throws {@link IllegalStateException} naming the cause:
 * dropping them silently would hide that nothing is stored any more), reports the error in {@link
 * #fatalError()}, {@link #failure()} and {@link WriterStats#fatalError()}, and runs the {@link
 * Builder#onFailure} action.
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
 * <p><b>A second consumer.</b> A {@link LogFollower} ({@link Builder#logFollower}) gets every
 * accepted row from the log, on its own thread; the log keeps what it has not delivered, within the
 * same disk budget.
 *
 * <p><b>Threads.</b> Thread-safe: rows may be appended from many threads; each call's rows are
 * logged and written as one unit, in call order. Commits run on a background thread.
 */
public final class LakeWriter implements Closeable {
  /**
   * The snapshot summary property naming the writer (its write-ahead log's id) that made a commit;
   * a reopened writer finds its last committed position from the snapshots carrying its id.
   */
  public static final String WRITER_ID_PROPERTY = "lake.writer-id";

  /**
   * The table property in which a writer records how far into its write-ahead log the table holds
   * its rows. Other engines' maintenance (compaction, snapshot expiry) must keep it: a writer
   * reopened on its log commits only what lies past it.
   */
  public static String positionProperty(String writerId) {
    return CommitPositions.property(writerId);
  }

  /**
   * The position up to which a writer's rows are committed to a table: every row before it is in
   * the table, none after; 0 when that writer never committed to it.
   */
  public static long committedPosition(Table table, String writerId) {
    return CommitPositions.committed(table, writerId);
  }

  private static final Logger LOG = LoggerFactory.getLogger(LakeWriter.class);
  private static final Duration FAILURE_REMINDER = Duration.ofMinutes(5);
  private static final long LOG_CHECK_MILLIS = 500;

  private final TableManager tables;
  private final WriteAheadLog wal;
  private final String writerId;
  private final Duration shutdownTimeout;
  private final Consumer<String> failureAction;
  private final WriterCounters counters;
  private final LinkedBlockingQueue<Generation> sealed = new LinkedBlockingQueue<>();
  private final BookPositions books;
  private final OpenGeneration open;
  private final CommitWorker worker;
  private final LogFollowing following;
  private final ScheduledExecutorService timer;

  private LakeWriter(Builder builder) {
    WriterOptions options = builder.options;
    Catalog catalog = builder.catalog;
    this.tables = new TableManager(catalog, builder.tableOptions);
    this.shutdownTimeout = options.shutdownTimeout();
    this.failureAction = builder.failureAction;
    this.counters = new WriterCounters(builder.commitListener);
    this.books =
        new BookPositions(() -> catalog.loadTable(tables.identifier(LakeTables.ORDERBOOK_DELTA)));
    if (builder.createTables) {
      tables.ensureAllTables();
    }
    this.wal =
        builder.walDirectory == null
            ? null
            : WriteAheadLog.open(
                builder.walDirectory,
                Math.min(options.walSegmentBytes(), Math.max(4096, options.walMaxBytes() / 4)));
    try {
      this.writerId = wal != null ? wal.writerId() : UUID.randomUUID().toString();
      if (builder.follower != null) {
        // until the follower says how far it got, it may need everything the log holds
        wal.holdFrom(wal.startPosition());
      }
      // the append side and the commit thread each use their own Table objects
      Map<TableDefinition<?>, Table> fileTables = new LinkedHashMap<>();
      Map<TableDefinition<?>, Table> commitTables = new LinkedHashMap<>();
      Map<TableDefinition<?>, String> tableNames = new LinkedHashMap<>();
      Map<TableDefinition<?>, Long> committedPositions = new ConcurrentHashMap<>();
      for (TableDefinition<?> definition : LakeTables.all()) {
        fileTables.put(definition, tables.load(definition));
        Table commitTable = tables.load(definition);
        commitTables.put(definition, commitTable);
        tableNames.put(definition, tables.identifier(definition).toString());
        committedPositions.put(definition, CommitPositions.committed(commitTable, writerId));
      }
      DataFiles files = new DataFiles(fileTables, writerId, options.bufferMaxBytes(), counters);
      LogReplay replay = new LogReplay(wal, committedPositions, files);
      LogReplay.Recovered recovered =
          wal != null
              ? replay.recover(writerId, books::noteLogged)
              : new LogReplay.Recovered(null, 0, 0);
      if (recovered.generation() != null) {
        recovered.generation().sealed(counters);
        sealed.add(recovered.generation());
      }
      counters.recovered(recovered.rows());
      ReentrantLock lock = new ReentrantLock();
      WalGate gate =
          new WalGate(wal, options.walMaxBytes(), options.walFullPolicy(), lock, counters);
      FailureStreak commitFailures =
          new FailureStreak(LOG, "Commits", FAILURE_REMINDER, System::nanoTime);
      this.open =
          new OpenGeneration(lock, gate, wal, options, files, counters, commitFailures, sealed);
      this.worker =
          new CommitWorker(
              sealed,
              new TableCommitter(writerId, wal != null, counters),
              commitTables,
              tableNames,
              committedPositions,
              wal,
              replay,
              gate,
              counters,
              commitFailures,
              recovered.committedThrough(),
              options.commitJitter(),
              this::stopOnFatalError);
      this.following =
          builder.follower == null ? null : new LogFollowing(builder.follower, wal, writerId, gate);
    } catch (RuntimeException e) {
      if (wal != null) {
        wal.close();
      }
      if (builder.follower != null) {
        builder.follower.close();
      }
      throw e;
    }
    worker.start();
    if (following != null) {
      following.start();
    }
    this.timer = startTimer(options);
    reportLogDamage();
  }

  private ScheduledExecutorService startTimer(WriterOptions options) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "lake-writer-timer");
              thread.setDaemon(true);
              return thread;
            });
    // a generation is sealed at the first tick after it is due, so the tick adds to the
    // receive-to-commit delay: a quarter of a 60 s interval made the oldest rows wait up to 75 s,
    // and a second still took a fifth of the 5 s a commit may take beyond its interval; a tick
    // only takes the lock and reads the clock
    long tick = Math.min(200, Math.max(50, options.commitInterval().toMillis() / 4));
    timer.scheduleAtFixedRate(open::sealIfDue, tick, tick, TimeUnit.MILLISECONDS);
    if (wal != null && !options.walFsyncInterval().isZero()) {
      long fsync = options.walFsyncInterval().toMillis();
      timer.scheduleAtFixedRate(this::syncLog, fsync, fsync, TimeUnit.MILLISECONDS);
    }
    if (wal != null) {
      timer.scheduleWithFixedDelay(
          this::checkLogFiles, LOG_CHECK_MILLIS, LOG_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
    return timer;
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
   * Why the writer stopped accepting rows (its write-ahead log was deleted while it ran, or a fatal
   * error stopped its commits: then this is {@link FatalWriteError#message()}), or null while it
   * accepts them. See the class documentation.
   */
  public String failure() {
    return open.refusal();
  }

  /**
   * The error that stopped this writer's commits, if one did; see "Fatal errors" in the class
   * documentation. Empty while commits go on (retried failures included).
   */
  public Optional<FatalWriteError> fatalError() {
    return Optional.ofNullable(worker.fatal());
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
   *     write-ahead log is gone or a fatal error stopped its commits ({@link #failure()})
   * @throws java.io.UncheckedIOException when the log cannot be written (nothing is appended)
   */
  public void append(List<? extends LakeRow> rows) {
    requireNonNull(rows, "rows is null");
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i) == null) {
        throw new NullPointerException("rows[" + i + "] is null");
      }
    }
    if (!rows.isEmpty()) {
      open.append(rows);
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
    if (open.refusal() != null) {
      return;
    }
    worker.logLost(reason); // before sealing: what is sealed now cannot be rebuilt from the log
    if (!open.refuse(reason)) {
      return;
    }
    LOG.error(
        "The write-ahead log at {} is gone ({}): was it deleted while lake was writing to it? Rows"
            + " accepted since went to a deleted file and its lock no longer keeps a second writer"
            + " out, so this writer accepts no more rows; it commits the {} rows it accepted and"
            + " has not committed from its open data files, and reports any it cannot as lost",
        wal.directory(),
        missing,
        stats().rowsUncommitted());
    runFailureAction(reason);
  }

  private void stopOnFatalError(FatalWriteError error) {
    open.refuse(error.message());
    LOG.error(
        "{}. This is not retried: the writer stops committing and accepts no more rows; {}",
        error.message(),
        wal != null
            ? "every row it accepted is kept in the write-ahead log at "
                + wal.directory()
                + ", and a writer opened on it once the cause is put right commits them"
            : "without a write-ahead log the rows not committed are lost");
    runFailureAction(error.message());
  }

  private void runFailureAction(String reason) {
    try {
      failureAction.accept(reason);
    } catch (RuntimeException e) {
      LOG.warn("The writer's failure action failed: {}", e.toString());
    }
  }

  /**
   * Commits everything appended before this call; returns when it is committed.
   *
   * @throws IllegalStateException when the writer closes, or a fatal error stops its commits,
   *     before that
   */
  public void flush() {
    if (!flush(Duration.ofDays(3650))) {
      FatalWriteError fatal = worker.fatal();
      throw new IllegalStateException(
          fatal != null
              ? "Cannot flush: " + fatal.message()
              : "Cannot flush: the writer closed before every row was committed (last error: "
                  + counters.lastError()
                  + ")");
    }
  }

  /**
   * Commits everything appended before this call, waiting at most a timeout.
   *
   * @return true when everything appended before the call is committed (false at once once a fatal
   *     error stopped the commits)
   */
  public boolean flush(Duration timeout) {
    return worker.awaitCommitted(open.seal(), timeout.toNanos());
  }

  /**
   * Stops accepting rows, commits what was accepted (waiting at most the shutdown timeout), and
   * releases the log. Rows not committed by then stay in the log and are committed by the next
   * writer opened on it. Idempotent.
   */
  @Override
  public void close() {
    if (!open.close()) {
      return;
    }
    worker.closing();
    long closeStarted = System.nanoTime();
    boolean committed = flush(shutdownTimeout);
    if (following != null) {
      stopFollowing(shutdownTimeout.toNanos() - (System.nanoTime() - closeStarted));
    }
    if (!committed && worker.logLost() == null) {
      LOG.warn(
          "Closing with rows not yet committed (last error: {}); {}",
          counters.lastError(),
          wal != null
              ? "they stay in the write-ahead log at " + wal.directory() + " for the next start"
              : "without a write-ahead log they are lost");
    }
    timer.shutdownNow();
    worker.stop();
    open.abortUncommitted();
    if (wal != null) {
      wal.close();
    }
    countLostWithTheLog();
  }

  /** Gives the log follower what is left of the shutdown timeout to catch up, then stops it. */
  private void stopFollowing(long timeoutNanos) {
    long end = wal.endPosition();
    if (!following.awaitDelivered(end, Math.max(0, timeoutNanos))) {
      LOG.warn(
          "Closing before the log follower delivered every row (up to position {}); the"
              + " write-ahead log at {} keeps them for the next start",
          end,
          wal.directory());
    }
    following.stop();
  }

  /** After a close: accepted rows not committed are lost when their log is gone. */
  private void countLostWithTheLog() {
    long left = stats().rowsUncommitted();
    if (worker.logLost() == null || left == 0) {
      return;
    }
    counters.lost(left);
    LOG.error(
        "Lost {} rows: they could not be committed (last error: {}) and {}",
        left,
        counters.lastError(),
        worker.logLost());
  }

  /** Counters for status lines and monitoring. */
  public WriterStats stats() {
    return counters.snapshot(
        sealed.size(),
        wal == null ? 0 : wal.retainedBytes(),
        wal == null ? 0 : wal.segmentCount(),
        worker.fatal());
  }

  /**
   * The last update id persisted for each order book: in the table (from file statistics of the
   * last week's partitions) or in the write-ahead log. A connector that restarts a book records the
   * span between this id and its new snapshot as a {@code restart_gap}.
   */
  public Map<BookKey, Long> lastPersistedUpdateIds() {
    return books.lastPersisted();
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

  // ---------------------------------------------------------------- builder

  /**
   * Builds a {@link LakeWriter}. A choice about the write-ahead log is required: {@link
   * #writeAheadLog(Path)} or {@link #withoutWriteAheadLog()}. Settings start from {@link
   * WriterOptions#defaults()}.
   */
  public static final class Builder {
    private final Catalog catalog;
    private TableOptions tableOptions = TableOptions.defaults();
    private WriterOptions options = WriterOptions.defaults();
    private Path walDirectory;
    private boolean walChosen;
    private boolean createTables = true;
    private Consumer<String> failureAction = reason -> {};
    private CommitListener commitListener = CommitListener.NONE;
    private LogFollower follower;

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

    /** Every tunable setting at once (replacing those set before). */
    public Builder options(WriterOptions value) {
      this.options = requireNonNull(value, "options is null");
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
      options = options.withCommitInterval(requireNonNull(value, "commitInterval is null"));
      return this;
    }

    /** Bytes the open data files may hold before an early commit. Default 256 MiB. */
    public Builder bufferMaxBytes(long value) {
      options = options.withBufferMaxBytes(value);
      return this;
    }

    /** Time between forcing the log to disk; zero forces on every append. Default 200 ms. */
    public Builder walFsyncInterval(Duration value) {
      options = options.withWalFsyncInterval(requireNonNull(value, "walFsyncInterval is null"));
      return this;
    }

    /** Disk budget of the log. Default 10 GiB. */
    public Builder walMaxBytes(long value) {
      options = options.withWalMaxBytes(value);
      return this;
    }

    /** Size of a log segment file. Default 64 MiB. */
    public Builder walSegmentBytes(long value) {
      options = options.withWalSegmentBytes(value);
      return this;
    }

    /** What to do when the log is over its budget. Default: back-pressure. */
    public Builder walFullPolicy(WalFullPolicy value) {
      options = options.withWalFullPolicy(requireNonNull(value, "walFullPolicy is null"));
      return this;
    }

    /**
     * The most a commit round waits, a random time, before committing, so that writers sharing
     * tables commit at different moments (see {@link WriterOptions#commitJitter()}). Default zero.
     */
    public Builder commitJitter(Duration value) {
      options = options.withCommitJitter(requireNonNull(value, "commitJitter is null"));
      return this;
    }

    /** How long {@link LakeWriter#close()} waits for the last commit. Default 30 s. */
    public Builder shutdownTimeout(Duration value) {
      options = options.withShutdownTimeout(requireNonNull(value, "shutdownTimeout is null"));
      return this;
    }

    /**
     * What to do when the writer stops accepting rows because of a failure it cannot ride out: its
     * write-ahead log's folder, lock file or current segment deleted or replaced while it runs, or
     * a fatal error that stopped its commits (see the class documentation). Runs once, on a writer
     * thread, with the reason ({@link LakeWriter#failure()}); it should stop the source of the rows
     * and close the writer, which commits what it accepted (or, after a fatal error, leaves it in
     * the log). Default: nothing (appends then throw).
     */
    public Builder onFailure(Consumer<String> action) {
      this.failureAction = requireNonNull(action, "action is null");
      return this;
    }

    /**
     * Told of every table commit and failed commit, on the commit thread (for metrics). Default:
     * {@link CommitListener#NONE}.
     */
    public Builder commitListener(CommitListener listener) {
      this.commitListener = requireNonNull(listener, "listener is null");
      return this;
    }

    /**
     * A second consumer of the rows, fed from the write-ahead log on a thread of its own (see
     * {@link LogFollower}); the log keeps every record it has not yet delivered. Needs a
     * write-ahead log. The writer closes it. Default: none.
     */
    public Builder logFollower(LogFollower value) {
      this.follower = requireNonNull(value, "follower is null");
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
     * @throws dev.lake.core.write.WalLockedException when another writer uses the log folder
     * @throws RuntimeException when the catalog cannot be reached or a table cannot take lake's
     *     rows
     */
    public LakeWriter build() {
      if (!walChosen) {
        throw new IllegalStateException(
            "Cannot build writer: choose writeAheadLog(directory) or withoutWriteAheadLog()");
      }
      if (follower != null && walDirectory == null) {
        throw new IllegalStateException(
            "Cannot build writer: a log follower needs a write-ahead log (writeAheadLog(directory))");
      }
      return new LakeWriter(this);
    }
  }
}
