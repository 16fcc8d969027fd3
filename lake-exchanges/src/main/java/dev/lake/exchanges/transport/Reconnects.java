package dev.lake.exchanges.transport;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a {@link WebSocketSession} connects again: after any close or failed attempt, whatever the
 * close code or error, unless the session was closed or another of its connections is open (the
 * successor of a renewed one); after a jittered exponential back-off. Confined to the session's
 * event loop.
 */
final class Reconnects {
  private final long initialMillis;
  private final long maxMillis;
  private long stepMillis;

  Reconnects(Duration initial, Duration max) {
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.stepMillis = initialMillis;
  }

  /** Whether a connection that closed is followed by a new attempt. */
  static boolean afterClose(boolean sessionClosed, boolean anotherOpen) {
    return !sessionClosed && !anotherOpen;
  }

  /**
   * The delay before the next attempt: between half the current step and the whole of it, so that
   * many sessions failing at once do not all come back at once; each call doubles the step, up to
   * the maximum.
   */
  long nextDelayMillis() {
    long delay =
        stepMillis / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, stepMillis / 2 + 1));
    stepMillis = Math.min(stepMillis * 2, maxMillis);
    return delay;
  }

  /** A message arrived: the next failure starts over from the initial step. */
  void reset() {
    stepMillis = initialMillis;
  }
}
