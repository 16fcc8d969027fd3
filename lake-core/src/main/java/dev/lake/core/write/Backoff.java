package dev.lake.core.write;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential back-off with full jitter, capped. Not thread-safe. */
final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private int attempts;

  Backoff(long initialMillis, long maxMillis) {
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
  }

  /** The next delay: a random time up to min(max, initial * 2^attempts). */
  long nextDelayMillis() {
    long ceiling = Math.min(maxMillis, initialMillis << Math.min(attempts, 20));
    attempts++;
    return initialMillis / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, ceiling));
  }

  void reset() {
    attempts = 0;
  }

  int attempts() {
    return attempts;
  }
}
