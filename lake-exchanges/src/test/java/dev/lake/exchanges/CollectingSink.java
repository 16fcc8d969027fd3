package dev.lake.exchanges;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** A sink that keeps every row, for connector tests; optionally bounded to test back-pressure. */
public final class CollectingSink implements RowSink {
  private final List<LakeRow> rows = new ArrayList<>();
  private final List<Runnable> waiting = new ArrayList<>();
  private volatile boolean full;
  private int refusals;

  @Override
  public synchronized boolean offer(List<LakeRow> batch) {
    if (full) {
      refusals++;
      return false;
    }
    rows.addAll(batch);
    return true;
  }

  @Override
  public void whenRoom(Runnable callback) {
    synchronized (this) {
      if (full) {
        waiting.add(callback);
        return;
      }
    }
    callback.run();
  }

  /** Refuses rows until {@link #open()}. */
  public synchronized void close() {
    full = true;
  }

  /** Takes rows again, and tells waiting connectors. */
  public void open() {
    List<Runnable> callbacks;
    synchronized (this) {
      full = false;
      callbacks = new ArrayList<>(waiting);
      waiting.clear();
    }
    callbacks.forEach(Runnable::run);
  }

  public synchronized int refusals() {
    return refusals;
  }

  public synchronized List<LakeRow> rows() {
    return List.copyOf(rows);
  }

  public <T extends LakeRow> List<T> rows(Class<T> type) {
    return rows().stream().filter(type::isInstance).map(type::cast).toList();
  }

  public List<OrderBookDelta> deltas(String symbol) {
    return rows(OrderBookDelta.class).stream().filter(d -> d.symbol().equals(symbol)).toList();
  }

  public List<StreamEvent> events(StreamEventType type) {
    return rows(StreamEvent.class).stream().filter(e -> e.event() == type).toList();
  }

  /** Waits until a condition on the rows holds. */
  public void await(String what, Predicate<CollectingSink> condition) {
    awaitTrue(what, () -> condition.test(this), Duration.ofSeconds(20));
  }

  public static void awaitTrue(String what, BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted waiting for " + what);
      }
    }
  }
}
