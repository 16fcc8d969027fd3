package dev.lake.exchanges;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs a failing operation once when it starts failing, at debug while it keeps failing, and once
 * when it works again, so that an outage of minutes gives two log lines, not thousands.
 * Thread-safe.
 */
public final class FailureLog {
  private final Logger log;
  private final Map<String, Integer> failing = new ConcurrentHashMap<>();

  public FailureLog(Logger log) {
    this.log = log;
  }

  /** Reports a failure of the operation named by a key. */
  public void failed(String key, String message) {
    int count = failing.merge(key, 1, Integer::sum);
    if (count == 1) {
      log.warn("{} (logged once until it works again)", message);
    } else {
      log.debug("{} (failure {})", message, count);
    }
  }

  /** Reports a success; logs the recovery when the operation was failing. */
  public void succeeded(String key) {
    Integer count = failing.remove(key);
    if (count != null) {
      log.info("{}: works again after {} failures", key, count);
    }
  }
}
