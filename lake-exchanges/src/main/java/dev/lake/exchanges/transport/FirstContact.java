package dev.lake.exchanges.transport;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Watches for the first answer from any venue. When none has come a while after the first attempt
 * (offline, a proxy or firewall in the way, wrong URLs), it says so once, in plain words, naming
 * the hosts tried: each failing endpoint logs its own failure once, but only this says that nothing
 * at all works. Thread-safe.
 */
final class FirstContact {
  private final ScheduledExecutorService scheduler;
  private final Duration patience;
  private final Consumer<String> notice;
  private final Set<String> hostsTried = new ConcurrentSkipListSet<>();
  private final AtomicBoolean watching = new AtomicBoolean();
  private volatile boolean reached;

  FirstContact(ScheduledExecutorService scheduler, Duration patience, Consumer<String> notice) {
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
    this.patience = requireNonNull(patience, "patience is null");
    this.notice = requireNonNull(notice, "notice is null");
  }

  /** A connection or request to a host is starting; the first one starts the watch. */
  void attempting(String host) {
    if (reached) {
      return;
    }
    hostsTried.add(host == null ? "(no host)" : host);
    if (watching.compareAndSet(false, true)) {
      try {
        scheduler.schedule(this::check, patience.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // the transport is closing: there is nobody left to tell
      }
    }
  }

  /** A venue answered (a WebSocket handshake completed, an HTTP response of any status came). */
  void reached() {
    reached = true;
  }

  private void check() {
    if (!reached) {
      notice.accept(
          "No exchange reached in "
              + describe(patience)
              + ": check the network connection, any proxy or firewall, and the configured URLs"
              + " (tried "
              + String.join(", ", hostsTried)
              + "); lake keeps trying");
    }
  }

  private static String describe(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
