package dev.lake.core.write;

import dev.lake.core.internal.wal.WriteAheadLog;
import dev.lake.core.model.LakeRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that feeds a {@link LogFollower} from the write-ahead log: reads the records past the
 * follower's position in batches of at most {@link #MAX_BATCH_BYTES} of log, delivers them, and
 * lets the log drop what the follower no longer needs. It polls the log's end rather than being
 * told of appends, so that the append path does not change at all.
 */
final class LogFollowing {
  private static final Logger LOG = LoggerFactory.getLogger(LakeWriter.class);

  /** Log bytes in one batch: bounds the rows held in memory and the size of a transaction. */
  static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

  private static final long POLL_MILLIS = 100;

  private final LogFollower follower;
  private final WriteAheadLog wal;
  private final String writerId;
  private final WalGate gate;
  private final FailureStreak failures;
  private final Thread thread;
  private final Object progress = new Object();

  // guarded by progress
  private long delivered = -1;
  private boolean stopped;

  LogFollowing(LogFollower follower, WriteAheadLog wal, String writerId, WalGate gate) {
    this.follower = follower;
    this.wal = wal;
    this.writerId = writerId;
    this.gate = gate;
    this.failures =
        new FailureStreak(
            LOG, "Deliveries to the log follower", Duration.ofMinutes(5), System::nanoTime);
    this.thread = new Thread(this::run, "lake-log-follower");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Waits until the follower has every record before a position; false on timeout or stop. */
  boolean awaitDelivered(long position, long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    synchronized (progress) {
      while (delivered < position && !stopped) {
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
      return delivered >= position;
    }
  }

  /** Stops the thread (a batch under way is interrupted), waits for it and closes the follower. */
  void stop() {
    synchronized (progress) {
      stopped = true;
      progress.notifyAll();
    }
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      follower.close();
    } catch (RuntimeException e) {
      LOG.warn("Cannot close the log follower: {}", e.toString());
    }
  }

  private boolean isStopped() {
    synchronized (progress) {
      return stopped;
    }
  }

  private void run() {
    Backoff backoff = new Backoff(100, 30_000);
    long position = -1;
    while (!isStopped()) {
      try {
        if (position < 0) {
          position = resumeAt(follower.deliveredPosition(writerId));
          advance(position);
        }
        long end = wal.endPosition();
        if (end <= position) {
          Thread.sleep(POLL_MILLIS);
          continue;
        }
        position = deliverBatch(position, end);
        advance(position);
        backoff.reset();
        failures.succeeded();
      } catch (InterruptedException e) {
        break;
      } catch (Exception e) {
        if (isStopped()) {
          break;
        }
        failures.failed(e.toString());
        position = -1;
        try {
          Thread.sleep(backoff.nextDelayMillis());
        } catch (InterruptedException stop) {
          break;
        }
      }
    }
  }

  /** Where to go on from a follower's position, given what the log still holds. */
  private long resumeAt(long followerPosition) {
    long start = wal.startPosition();
    long end = wal.endPosition();
    if (followerPosition < start) {
      if (followerPosition > 0) {
        LOG.warn(
            "The log follower of writer {} has delivered up to position {}, but the write-ahead"
                + " log at {} starts at {}: the rows in between were trimmed before the follower"
                + " was configured and are not delivered",
            writerId,
            followerPosition,
            wal.directory(),
            start);
      }
      return start;
    }
    if (followerPosition > end) {
      // the log lost its tail (cut after a power cut) or was replaced: new records start at its end
      LOG.warn(
          "The log follower of writer {} has delivered up to position {}, past the end of the"
              + " write-ahead log at {} ({}); going on from the log's end",
          writerId,
          followerPosition,
          wal.directory(),
          end);
      return end;
    }
    return followerPosition;
  }

  /** Delivers the records starting in [from, min(end, from + budget)); returns the new position. */
  private long deliverBatch(long from, long end) throws Exception {
    long to = Math.min(end, from + MAX_BATCH_BYTES);
    List<LakeRow> rows = new ArrayList<>();
    long[] last = {-1};
    wal.replay(
        from,
        to,
        (start, recordEnd, records) -> {
          rows.addAll(records);
          last[0] = recordEnd;
        });
    // no record starts in [from, to) when that span is damaged: none is lost by stepping over it
    long batchEnd = last[0] < 0 ? to : last[0];
    follower.deliver(from, batchEnd, rows);
    return batchEnd;
  }

  private void advance(long position) {
    wal.holdFrom(position);
    gate.spaceFreed();
    synchronized (progress) {
      delivered = Math.max(delivered, position);
      progress.notifyAll();
    }
  }
}
