package dev.lake.core.write;

import dev.lake.core.model.LakeRow;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A writer's counters, the source of {@link WriterStats}: written by the appending threads and the
 * commit thread without locks (adders and volatile fields), read at any time.
 */
final class WriterCounters {
  private static final Logger LOG = LoggerFactory.getLogger(WriterCounters.class);

  private final Map<String, LongAdder> appended = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> committed = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastCommitByTable = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> commitFailures = new ConcurrentHashMap<>();
  private final CommitListener listener;
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong commitConflicts = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  // the sealed generations' open files, counted against the buffer budget until the commit thread
  // has closed them: without them the next generation filled a whole budget of its own meanwhile
  private final AtomicLong sealedBytes = new AtomicLong();
  private volatile long recovered;
  private volatile Instant lastCommit;
  private volatile long lastCommitMillis;
  private volatile long bufferedBytes;
  private volatile String lastError;

  WriterCounters(CommitListener listener) {
    this.listener = listener;
  }

  /** Counts rows per table by runs: the rows of one message all belong to one table. */
  void appended(Generation generation, List<? extends LakeRow> rows) {
    String table = null;
    int run = 0;
    for (int i = 0; i < rows.size(); i++) {
      String name = rows.get(i).tableName();
      if (!name.equals(table)) {
        if (run > 0) {
          appendedRun(generation, table, run);
        }
        table = name;
        run = 0;
      }
      run++;
    }
    appendedRun(generation, table, run);
  }

  private void appendedRun(Generation generation, String table, int run) {
    generation.countRows(table, run);
    appended.computeIfAbsent(table, t -> new LongAdder()).add(run);
  }

  void committed(String table, long rows, long commitNanos, long delayNanos) {
    committed.computeIfAbsent(table, t -> new LongAdder()).add(rows);
    commits.incrementAndGet();
    Instant now = Instant.now();
    lastCommitByTable.put(table, now);
    lastCommit = now;
    try {
      listener.committed(table, rows, commitNanos, delayNanos);
    } catch (RuntimeException e) {
      LOG.warn("A commit listener failed: {}", e.toString());
    }
  }

  void commitFailed(String table) {
    commitFailures.computeIfAbsent(table, t -> new LongAdder()).increment();
    try {
      listener.commitFailed(table);
    } catch (RuntimeException e) {
      LOG.warn("A commit listener failed: {}", e.toString());
    }
  }

  void commitConflicts(long count) {
    commitConflicts.addAndGet(count);
  }

  void roundCommitted(long millis) {
    lastCommitMillis = millis;
  }

  void recovered(long rows) {
    recovered = rows;
  }

  void dropped(long rows) {
    dropped.addAndGet(rows);
  }

  void lost(long rows) {
    lost.addAndGet(rows);
  }

  void bufferedBytes(long bytes) {
    bufferedBytes = bytes;
  }

  /** A generation was sealed holding about {@code bytes} of open files. */
  void sealed(long bytes) {
    sealedBytes.addAndGet(bytes);
  }

  /** The commit thread closed sealed files that held about {@code bytes}. */
  void released(long bytes) {
    sealedBytes.addAndGet(-bytes);
  }

  /** Heap the sealed generations' files still hold, as estimated when they were sealed. */
  long sealedBytes() {
    return sealedBytes.get();
  }

  /** The last commit or write failure; null once a commit round succeeds. */
  void lastError(String error) {
    lastError = error;
  }

  String lastError() {
    return lastError;
  }

  WriterStats snapshot(
      int pendingGenerations, long walBytes, int walSegments, FatalWriteError fatal) {
    return new WriterStats(
        sums(appended),
        sums(committed),
        Map.copyOf(lastCommitByTable),
        sums(commitFailures),
        recovered,
        dropped.get(),
        lost.get(),
        commits.get(),
        commitConflicts.get(),
        lastCommit,
        lastCommitMillis,
        pendingGenerations,
        walBytes,
        walSegments,
        bufferedBytes,
        lastError,
        fatal == null ? null : fatal.message());
  }

  private static Map<String, Long> sums(Map<String, LongAdder> counters) {
    Map<String, Long> values = new HashMap<>();
    counters.forEach((table, count) -> values.put(table, count.sum()));
    return values;
  }
}
