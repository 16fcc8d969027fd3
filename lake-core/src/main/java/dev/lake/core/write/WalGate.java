package dev.lake.core.write;

import dev.lake.core.internal.wal.WriteAheadLog;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the write-ahead log within its disk budget: past it, rows wait for commits to free space
 * ({@link WalFullPolicy#BACKPRESSURE}) or are dropped and counted ({@link WalFullPolicy#DROP}), the
 * drop recorded later as a {@code dropped} row. Every method but {@link #spaceFreed()} runs under
 * the writer's append lock.
 */
final class WalGate {
  private static final Logger LOG = LoggerFactory.getLogger(LakeWriter.class);

  private final WriteAheadLog wal;
  private final long maxBytes;
  private final WalFullPolicy policy;
  private final ReentrantLock lock;
  private final Condition space;
  private final WriterCounters counters;

  // guarded by lock
  private long droppedUnreported;

  /**
   * @param wal the log, or null without one (then every row passes)
   * @param lock the writer's append lock, under which {@link #admit} is called
   */
  WalGate(
      WriteAheadLog wal,
      long maxBytes,
      WalFullPolicy policy,
      ReentrantLock lock,
      WriterCounters counters) {
    this.wal = wal;
    this.maxBytes = maxBytes;
    this.policy = policy;
    this.lock = lock;
    this.space = lock.newCondition();
    this.counters = counters;
  }

  /**
   * Whether rows may go into the log: true at once while it is within budget; past it, false (the
   * rows are dropped) or true once commits free space, waiting meanwhile.
   *
   * @param checkOpen throws when the writer stops accepting rows while this waits
   */
  boolean admit(int rows, Runnable checkOpen) {
    if (wal == null || wal.retainedBytes() < maxBytes) {
      return true;
    }
    if (policy == WalFullPolicy.DROP) {
      counters.dropped(rows);
      droppedUnreported += rows;
      return false;
    }
    LOG.warn(
        "Write-ahead log holds {} bytes, over its budget of {}: holding rows back until commits"
            + " free space",
        wal.retainedBytes(),
        maxBytes);
    while (wal.retainedBytes() >= maxBytes) {
      try {
        space.await(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Cannot append rows: interrupted while waiting for space");
      }
      checkOpen.run();
    }
    return true;
  }

  /** The {@code dropped} row for rows dropped since the last call, logged; null when none were. */
  StreamEvent takeDroppedReport() {
    if (droppedUnreported == 0) {
      return null;
    }
    long now = Instant.now().toEpochMilli() * 1000;
    String detail =
        droppedUnreported
            + " rows dropped: write-ahead log over its budget of "
            + maxBytes
            + " bytes (wal_full: drop)";
    droppedUnreported = 0;
    LOG.warn(detail);
    return new StreamEvent(
        StreamEvent.LAKE,
        StreamEvent.ALL,
        StreamEvent.ALL,
        null,
        StreamEventType.DROPPED,
        detail,
        null,
        null,
        now,
        now);
  }

  /** Wakes appends waiting for space: after commits trimmed the log, or when the writer stops. */
  void spaceFreed() {
    lock.lock();
    try {
      space.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
