package dev.lake.exchanges;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Hands rows to a {@link RowSink} in order without ever blocking: rows the sink refuses wait here,
 * and the owner is told to stop reading ({@code onBlocked}) until the sink takes them all ({@code
 * onUnblocked}). Thread-safe.
 */
public final class Outlet {
  private final RowSink sink;
  private final Runnable onBlocked;
  private final Runnable onUnblocked;
  private final ArrayDeque<List<LakeRow>> pending = new ArrayDeque<>();
  private boolean waiting;

  public Outlet(RowSink sink, Runnable onBlocked, Runnable onUnblocked) {
    this.sink = requireNonNull(sink, "sink is null");
    this.onBlocked = requireNonNull(onBlocked, "onBlocked is null");
    this.onUnblocked = requireNonNull(onUnblocked, "onUnblocked is null");
  }

  /** An outlet whose owner has nothing to pause (pollers). */
  public Outlet(RowSink sink) {
    this(sink, () -> {}, () -> {});
  }

  /** Emits rows: to the sink now, or after the rows already waiting. */
  public void emit(List<LakeRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    boolean blocked;
    synchronized (this) {
      if (pending.isEmpty() && sink.offer(rows)) {
        return;
      }
      pending.addLast(rows);
      blocked = !waiting;
      waiting = true;
    }
    if (blocked) {
      onBlocked.run();
      sink.whenRoom(this::drain);
    }
  }

  /** Rows waiting for room in the sink. */
  public synchronized int pendingBatches() {
    return pending.size();
  }

  private void drain() {
    boolean done;
    synchronized (this) {
      while (!pending.isEmpty() && sink.offer(pending.peekFirst())) {
        pending.removeFirst();
      }
      done = pending.isEmpty();
      if (done) {
        waiting = false;
      }
    }
    if (done) {
      onUnblocked.run();
    } else {
      sink.whenRoom(this::drain);
    }
  }
}
