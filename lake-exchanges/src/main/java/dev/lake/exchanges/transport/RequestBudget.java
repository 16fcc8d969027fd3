package dev.lake.exchanges.transport;

import java.time.Duration;

/**
 * A venue's request budget: {@code limit} weight per {@code window}, spent evenly. It is a token
 * bucket refilled at {@code limit / window} that holds at most {@code burst} weight and starts with
 * that much, so that in any span of one window at most {@code limit + burst} weight goes out, and a
 * start or a quiet spell never releases a whole window's worth at once. Requests reserve their
 * weight and are told how long to wait; reservations may run ahead of the bucket, so requests queue
 * in order rather than starve, and a request heavier than the burst still goes out once its weight
 * has been earned. Thread-safe.
 */
public final class RequestBudget {
  private final int limit;
  private final Duration window;
  private final double perMillisecond;
  private final double burst;
  private double tokens;
  private long updatedMillis;

  /**
   * A budget starting with {@code burst} weight available.
   *
   * @param limit the weight the window allows, at least 1
   * @param window the venue's window (Binance: a minute, OKX: 2 s, Bybit: 5 s, KuCoin: 30 s)
   * @param burst the most weight that may go out at once, at least 1
   * @param nowMillis the clock now, epoch milliseconds
   */
  public RequestBudget(int limit, Duration window, int burst, long nowMillis) {
    if (limit <= 0) {
      throw new IllegalArgumentException(
          "Invalid request budget: " + limit + " (expected a weight of at least 1 per window)");
    }
    if (window.toMillis() <= 0) {
      throw new IllegalArgumentException(
          "Invalid request budget window: " + window + " (expected at least 1 ms)");
    }
    if (burst <= 0) {
      throw new IllegalArgumentException(
          "Invalid request budget burst: " + burst + " (expected a weight of at least 1)");
    }
    this.limit = limit;
    this.window = window;
    this.perMillisecond = (double) limit / window.toMillis();
    this.burst = burst;
    this.tokens = burst;
    this.updatedMillis = nowMillis;
  }

  /** Reserves a weight; returns how many milliseconds to wait before sending. */
  public synchronized long reserve(int weight, long nowMillis) {
    refill(nowMillis);
    tokens -= weight;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perMillisecond);
  }

  /** Milliseconds until a weight would be available, without reserving it. */
  public synchronized long waitFor(int weight, long nowMillis) {
    refill(nowMillis);
    double after = tokens - weight;
    return after >= 0 ? 0 : (long) Math.ceil(-after / perMillisecond);
  }

  /** The weight allowed per window. */
  public int limit() {
    return limit;
  }

  public Duration window() {
    return window;
  }

  /** The most weight that may go out at once. */
  public int burst() {
    return (int) burst;
  }

  private void refill(long nowMillis) {
    if (nowMillis > updatedMillis) {
      tokens = Math.min(burst, tokens + (nowMillis - updatedMillis) * perMillisecond);
      updatedMillis = nowMillis;
    }
  }
}
