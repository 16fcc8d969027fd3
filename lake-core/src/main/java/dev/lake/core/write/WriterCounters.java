package dev.lake.core.write;

import dev.lake.core.model.LakeRow;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A writer's counters, the source of {@link WriterStats}: written by the appending threads and the
 * commit thread without locks (adders and volatile fields), read at any time.
 */
final class WriterCounters {
  private final Map<String, LongAdder> appended = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> committed = new ConcurrentHashMap<>();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong commitConflicts = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private volatile long recovered;
  private volatile Instant lastCommit;
  private volatile long lastCommitMillis;
  private volatile long bufferedBytes;
  private volatile String lastError;

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

  void committed(String table, long rows) {
    committed.computeIfAbsent(table, t -> new LongAdder()).add(rows);
    commits.incrementAndGet();
    lastCommit = Instant.now();
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

  /** The last commit or write failure; null once a commit round succeeds. */
  void lastError(String error) {
    lastError = error;
  }

  String lastError() {
    return lastError;
  }

  WriterStats snapshot(int pendingGenerations, long walBytes, FatalWriteError fatal) {
    return new WriterStats(
        sums(appended),
        sums(committed),
        recovered,
        dropped.get(),
        lost.get(),
        commits.get(),
        commitConflicts.get(),
        lastCommit,
        lastCommitMillis,
        pendingGenerations,
        walBytes,
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
