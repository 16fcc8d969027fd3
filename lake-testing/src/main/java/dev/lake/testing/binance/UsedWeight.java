package dev.lake.testing.binance;

import dev.lake.core.model.MarketType;
import java.util.EnumMap;
import java.util.Map;

/**
 * The request weight used per market in the current minute, as {@code X-MBX-USED-WEIGHT-1M} reports
 * it. Thread-safe.
 */
final class UsedWeight {
  private static final long MINUTE_MS = 60_000L;

  private final Map<MarketType, long[]> weights = new EnumMap<>(MarketType.class);

  /** Adds weight in the minute of {@code nowMs} and returns the weight used in that minute. */
  synchronized long add(MarketType market, int weight, long nowMs) {
    long[] minuteAndWeight = weights.computeIfAbsent(market, m -> new long[2]);
    long minute = nowMs / MINUTE_MS;
    if (minuteAndWeight[0] != minute) {
      minuteAndWeight[0] = minute;
      minuteAndWeight[1] = 0;
    }
    minuteAndWeight[1] += weight;
    return minuteAndWeight[1];
  }
}
