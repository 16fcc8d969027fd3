package dev.lake.exchanges.ingest;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import dev.lake.core.write.LakeWriter;
import dev.lake.exchanges.RowSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded hand-off between connectors and the writer: connectors offer rows without blocking (a
 * full queue refuses, and they stop reading their sockets until there is room); one thread drains
 * the queue into {@link LakeWriter#append}, merging small batches. A failing append (the
 * write-ahead log's disk, say) is retried with back-off; only a writer that is closed or has failed
 * for good ({@link IllegalStateException}) loses rows, and then every lost row is counted ({@link
 * #lostRows()}) and logged. Thread-safe.
 */
public final class Pipeline implements RowSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  private static final int MERGE_ROWS = 16_384;

  private final LakeWriter writer;
  private final long capacityRows;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition drained = lock.newCondition();
  private final ArrayDeque<List<LakeRow>> queue = new ArrayDeque<>();
  private final List<Runnable> waiting = new ArrayList<>();
  private final Thread thread;
  private long queuedRows;
  private long inFlightRows;
  private boolean stopping;
  private volatile long refusals;
  private volatile long lostRows;

  public Pipeline(LakeWriter writer, long capacityRows) {
    this.writer = requireNonNull(writer, "writer is null");
    if (capacityRows < 1) {
      throw new IllegalArgumentException("Invalid pipeline capacity: " + capacityRows);
    }
    this.capacityRows = capacityRows;
    this.thread = new Thread(this::drainLoop, "lake-pipeline");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public boolean offer(List<LakeRow> rows) {
    lock.lock();
    try {
      if (queuedRows > 0 && queuedRows + rows.size() > capacityRows) {
        refusals++;
        return false;
      }
      queue.addLast(rows);
      queuedRows += rows.size();
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void whenRoom(Runnable callback) {
    lock.lock();
    try {
      if (queuedRows >= capacityRows / 2) {
        waiting.add(callback);
        return;
      }
    } finally {
      lock.unlock();
    }
    callback.run();
  }

  /** Rows waiting in the queue. */
  public long queuedRows() {
    lock.lock();
    try {
      return queuedRows;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Rows that could not be appended because the writer was closed or had failed for good; 0 in a
   * healthy run. Rows appended are the writer's to keep (see {@link LakeWriter}).
   */
  public long lostRows() {
    return lostRows;
  }

  /** How often a full queue refused rows (back-pressure episodes and retries). */
  public long refusals() {
    return refusals;
  }

  /**
   * Waits until every row offered so far has been appended to the writer.
   *
   * @return false on timeout
   */
  public boolean awaitDrained(long timeout, TimeUnit unit) {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    lock.lock();
    try {
      while (queuedRows > 0 || inFlightRows > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        drained.awaitNanos(left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Appends what is queued, then stops the drain thread. */
  @Override
  public void close() {
    awaitDrained(1, TimeUnit.DAYS);
    lock.lock();
    try {
      stopping = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void drainLoop() {
    while (true) {
      List<LakeRow> batch = take();
      if (batch == null) {
        return;
      }
      appendWithRetry(batch);
      List<Runnable> callbacks = List.of();
      lock.lock();
      try {
        inFlightRows = 0;
        if (!waiting.isEmpty() && queuedRows < capacityRows / 2) {
          callbacks = new ArrayList<>(waiting);
          waiting.clear();
        }
        if (queuedRows == 0) {
          drained.signalAll();
        }
      } finally {
        lock.unlock();
      }
      for (Runnable callback : callbacks) {
        try {
          callback.run();
        } catch (RuntimeException e) {
          LOG.warn("A back-pressure callback failed: {}", e.toString());
        }
      }
    }
  }

  private List<LakeRow> take() {
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (stopping) {
          return null;
        }
        notEmpty.await(100, TimeUnit.MILLISECONDS);
      }
      List<LakeRow> first = queue.pollFirst();
      List<LakeRow> batch = first;
      if (!queue.isEmpty() && first.size() < MERGE_ROWS) {
        batch =
            new ArrayList<>(
                Math.min(MERGE_ROWS * 2, (int) Math.min(queuedRows, Integer.MAX_VALUE)));
        batch.addAll(first);
        while (!queue.isEmpty() && batch.size() + queue.peekFirst().size() <= MERGE_ROWS) {
          batch.addAll(queue.pollFirst());
        }
      }
      queuedRows -= batch.size();
      inFlightRows = batch.size();
      return batch;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      lock.unlock();
    }
  }

  private void appendWithRetry(List<LakeRow> batch) {
    long delay = 100;
    while (true) {
      try {
        writer.append(batch);
        return;
      } catch (IllegalStateException e) {
        lostRows += batch.size();
        LOG.error(
            "Cannot append {} rows, lost ({} in all): {}", batch.size(), lostRows, e.getMessage());
        return;
      } catch (RuntimeException e) {
        LOG.error(
            "Cannot append {} rows ({}); retrying in {} ms", batch.size(), e.getMessage(), delay);
        try {
          Thread.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }
}
