package dev.lake.core.write;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a failure that is retried: once when it starts (with the error), then a reminder at most
 * every reminder interval while it lasts (attempts so far, time since it started, the latest
 * error), and once when the thing works again. A log that repeats the same warning at every retry
 * buries everything else and tells nothing new. Thread-safe.
 */
final class FailureStreak {
  private final Logger log;
  private final String what;
  private final long reminderNanos;
  private final LongSupplier nanoClock;

  // guarded by this
  private long attempts;
  private long startedNanos;
  private long remindedNanos;

  /**
   * @param log where to log
   * @param what the plural subject of the messages, e.g. "Commits"
   * @param reminderInterval the least time between two reminders
   * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  FailureStreak(Logger log, String what, Duration reminderInterval, LongSupplier nanoClock) {
    this.log = log;
    this.what = what;
    this.reminderNanos = reminderInterval.toNanos();
    this.nanoClock = nanoClock;
  }

  /** One more failed attempt, with its error. */
  synchronized void failed(String error) {
    long now = nanoClock.getAsLong();
    attempts++;
    if (attempts == 1) {
      startedNanos = now;
      remindedNanos = now;
      log.warn("{} fail: {}; retrying with back-off, quietly until they work again", what, error);
    } else if (now - remindedNanos >= reminderNanos) {
      remindedNanos = now;
      log.warn(
          "{} still fail after {} attempts, {}: {}",
          what,
          attempts,
          format(Duration.ofNanos(now - startedNanos)),
          error);
    }
  }

  /** An attempt that worked: ends the streak, if there was one. */
  synchronized void succeeded() {
    if (attempts == 0) {
      return;
    }
    log.info(
        "{} work again after {} failed attempt{}, {}",
        what,
        attempts,
        attempts == 1 ? "" : "s",
        format(Duration.ofNanos(nanoClock.getAsLong() - startedNanos)));
    attempts = 0;
  }

  /** True while attempts fail. */
  synchronized boolean isFailing() {
    return attempts > 0;
  }

  /** "850 ms", "12 s", "4m 12s", "2h 5m 3s". */
  static String format(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 1) {
      return duration.toMillis() + " ms";
    }
    if (seconds < 60) {
      return seconds + " s";
    }
    long hours = seconds / 3600;
    long minutes = seconds % 3600 / 60;
    return (hours > 0 ? hours + "h " : "") + minutes + "m " + seconds % 60 + "s";
  }
}
