package dev.lake.exchanges.transport;

/**
 * A venue's request-weight budget per minute, as a token bucket refilled continuously. Requests
 * reserve their weight and are told how long to wait; reservations may run ahead of the bucket, so
 * requests queue in order rather than starve. Thread-safe.
 */
public final class WeightBudget {
  private final double perMillisecond;
  private final double capacity;
  private double tokens;
  private long updatedMillis;

  /** A budget of {@code weightPerMinute}, starting full. */
  public WeightBudget(int weightPerMinute, long nowMillis) {
    if (weightPerMinute <= 0) {
      throw new IllegalArgumentException("Invalid weight budget: " + weightPerMinute);
    }
    this.capacity = weightPerMinute;
    this.perMillisecond = weightPerMinute / 60_000.0;
    this.tokens = capacity;
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

  public int weightPerMinute() {
    return (int) capacity;
  }

  private void refill(long nowMillis) {
    if (nowMillis > updatedMillis) {
      tokens = Math.min(capacity, tokens + (nowMillis - updatedMillis) * perMillisecond);
      updatedMillis = nowMillis;
    }
  }
}
