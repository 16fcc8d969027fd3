package dev.lake.testing.venue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The REST requests received per path, and the failures scripted for coming ones. Thread-safe. */
final class RestLog {
  private final Map<String, List<Request>> received = new ConcurrentHashMap<>();
  private final Map<String, ScriptedFailure> failures = new HashMap<>();

  /** A failure scripted for the next {@code remaining} requests to a path. */
  record ScriptedFailure(int remaining, int status, Integer retryAfterSeconds) {}

  void received(Request request) {
    received.computeIfAbsent(request.path(), p -> new CopyOnWriteArrayList<>()).add(request);
  }

  List<Request> requests(String path) {
    return List.copyOf(received.getOrDefault(path, List.of()));
  }

  synchronized void failNext(String path, int count, int status, Integer retryAfterSeconds) {
    if (count <= 0) {
      failures.remove(path);
    } else {
      failures.put(path, new ScriptedFailure(count, status, retryAfterSeconds));
    }
  }

  /** Takes one scripted failure of the path, if any is left. */
  synchronized Optional<ScriptedFailure> takeFailure(String path) {
    ScriptedFailure failure = failures.get(path);
    if (failure == null) {
      return Optional.empty();
    }
    if (failure.remaining() == 1) {
      failures.remove(path);
    } else {
      failures.put(
          path,
          new ScriptedFailure(
              failure.remaining() - 1, failure.status(), failure.retryAfterSeconds()));
    }
    return Optional.of(failure);
  }
}
