package dev.lake.exchanges.stream;

import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Spaces the requests of one connection by the venue's least spacing and keeps them within its cap
 * per hour, by delaying them, never dropping them. Confined to the connection's event loop.
 */
final class RequestPacer {
  private static final long HOUR_MILLIS = 3_600_000;

  private final EventLoop loop;
  private final LongSupplier nowMillis;
  private final long spacingMillis;
  private final int perHour;
  private final ArrayDeque<Long> sent = new ArrayDeque<>();
  private long nextMillis;

  RequestPacer(EventLoop loop, LongSupplier nowMillis, long spacingMillis, int perHour) {
    this.loop = loop;
    this.nowMillis = nowMillis;
    this.spacingMillis = spacingMillis;
    this.perHour = perHour;
  }

  /** Runs a request on the loop at the first moment both limits allow. */
  void send(Runnable request) {
    long now = nowMillis.getAsLong();
    long at = at(now);
    long delay = at - now;
    if (delay <= 0) {
      request.run();
    } else {
      loop.schedule(request, delay, TimeUnit.MILLISECONDS);
    }
  }

  /** Books the slot of the next request: its time in milliseconds. */
  long at(long now) {
    long at = Math.max(now, nextMillis);
    if (perHour > 0) {
      while (!sent.isEmpty() && sent.peekFirst() <= at - HOUR_MILLIS) {
        sent.pollFirst();
      }
      while (sent.size() >= perHour) {
        at = Math.max(at, sent.pollFirst() + HOUR_MILLIS);
      }
      sent.addLast(at);
    }
    nextMillis = at + spacingMillis;
    return at;
  }
}
