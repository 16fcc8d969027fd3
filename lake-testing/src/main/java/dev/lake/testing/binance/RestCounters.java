package dev.lake.testing.binance;

import dev.lake.core.model.MarketType;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the REST side counts: requests per path with their decoded query parameters, request weight
 * used per market in the current minute (as {@code X-MBX-USED-WEIGHT-1M} reports it), and failures
 * planned for coming requests. Thread-safe.
 */
final class RestCounters {
  private static final long MINUTE_MS = 60_000L;

  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<String, List<Map<String, List<String>>>> queries = new ConcurrentHashMap<>();
  private final Map<String, PlannedFailure> failures = new HashMap<>();
  private final Map<MarketType, long[]> weights = new EnumMap<>(MarketType.class);

  /** A failure planned for the next {@code remaining} requests to a path. */
  record PlannedFailure(int remaining, int status, Integer retryAfterSeconds) {}

  void received(String path, Map<String, List<String>> parameters) {
    requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    Map<String, List<String>> copy = new LinkedHashMap<>();
    parameters.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    queries
        .computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
        .add(Collections.unmodifiableMap(copy));
  }

  List<Map<String, List<String>>> queries(String path) {
    return List.copyOf(queries.getOrDefault(path, List.of()));
  }

  int requests(String path) {
    AtomicInteger count = requests.get(path);
    return count == null ? 0 : count.get();
  }

  synchronized void failNext(String path, int count, int status, Integer retryAfterSeconds) {
    if (count <= 0) {
      failures.remove(path);
    } else {
      failures.put(path, new PlannedFailure(count, status, retryAfterSeconds));
    }
  }

  /** Takes one planned failure of the path, if any is left. */
  synchronized Optional<PlannedFailure> takeFailure(String path) {
    PlannedFailure failure = failures.get(path);
    if (failure == null) {
      return Optional.empty();
    }
    if (failure.remaining() == 1) {
      failures.remove(path);
    } else {
      failures.put(
          path,
          new PlannedFailure(
              failure.remaining() - 1, failure.status(), failure.retryAfterSeconds()));
    }
    return Optional.of(failure);
  }

  /** Adds weight in the minute of {@code nowMs} and returns the weight used in that minute. */
  synchronized long addWeight(MarketType market, int weight, long nowMs) {
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
