package dev.lake.exchanges.ingest;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import dev.lake.exchanges.RowSink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A market's door to the shared pipeline that counts the rows it hands over, per table: what {@link
 * Collector} puts in front of each market's connector, public so that benchmarks count rows the
 * same way. Counting costs a lookup per run of same-table rows (one per message, mostly) and an
 * adder increment: no allocation once a table has been seen, no lock. Rows the target refuses are
 * not counted. Thread-safe.
 */
public final class CountingSink implements RowSink {
  private final RowSink target;
  private final Map<String, LongAdder> rows = new ConcurrentHashMap<>();

  /** A sink counting what it hands to {@code target}. */
  public CountingSink(RowSink target) {
    this.target = requireNonNull(target, "target is null");
  }

  @Override
  public boolean offer(List<LakeRow> offered) {
    if (!target.offer(offered)) {
      return false;
    }
    String table = null;
    int run = 0;
    for (int i = 0; i < offered.size(); i++) {
      String name = offered.get(i).tableName();
      if (!name.equals(table)) {
        count(table, run);
        table = name;
        run = 0;
      }
      run++;
    }
    count(table, run);
    return true;
  }

  private void count(String table, int run) {
    if (run == 0) {
      return;
    }
    LongAdder adder = rows.get(table);
    if (adder == null) {
      adder = rows.computeIfAbsent(table, name -> new LongAdder());
    }
    adder.add(run);
  }

  @Override
  public void whenRoom(Runnable callback) {
    target.whenRoom(callback);
  }

  /**
   * Rows handed over per table so far, read at this moment (each count only grows); tables no row
   * was handed for are absent.
   */
  public Map<String, Long> rows() {
    Map<String, Long> sums = new HashMap<>();
    rows.forEach((table, adder) -> sums.put(table, adder.sum()));
    return sums;
  }
}
