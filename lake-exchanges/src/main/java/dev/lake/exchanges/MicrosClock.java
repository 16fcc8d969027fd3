package dev.lake.exchanges;

import java.time.Instant;

/** Wall-clock time in epoch microseconds; replaceable in tests. */
@FunctionalInterface
public interface MicrosClock {
  /** The system clock, at the microsecond resolution the platform gives. */
  MicrosClock SYSTEM =
      () -> {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
      };

  long nowMicros();

  default long nowMillis() {
    return nowMicros() / 1000;
  }
}
