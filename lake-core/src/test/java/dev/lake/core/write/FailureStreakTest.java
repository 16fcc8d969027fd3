package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.LogCapture;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FailureStreakTest {
  private static final String LOGGER = "dev.lake.core.write.FailureStreakTest";

  @Test
  void aLastingFailureIsLoggedWhenItStartsRemindedEveryFiveMinutesAndLoggedWhenItEnds() {
    AtomicLong now = new AtomicLong();
    FailureStreak streak =
        new FailureStreak(
            LoggerFactory.getLogger(LOGGER), "Commits", Duration.ofMinutes(5), now::get);
    try (LogCapture log = LogCapture.start()) {
      streak.failed("Cannot commit: catalog down (0)");
      for (int attempt = 1; attempt <= 20; attempt++) {
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        streak.failed("Cannot commit: catalog down (" + attempt + ")");
      }
      now.addAndGet(Duration.ofSeconds(12).toNanos());
      streak.succeeded();
      streak.succeeded();

      assertThat(log.lines(LOGGER))
          .map(line -> line.substring(line.indexOf(LOGGER) + LOGGER.length() + 3))
          .containsExactly(
              "Commits fail: Cannot commit: catalog down (0); retrying with back-off, quietly"
                  + " until they work again",
              "Commits still fail after 11 attempts, 5m 0s: Cannot commit: catalog down (10)",
              "Commits still fail after 21 attempts, 10m 0s: Cannot commit: catalog down (20)",
              "Commits work again after 21 failed attempts, 10m 12s");
    }
  }

  @Test
  void aFailureThatEndsAtTheNextAttemptSaysOneFailedAttempt() {
    AtomicLong now = new AtomicLong();
    FailureStreak streak =
        new FailureStreak(
            LoggerFactory.getLogger(LOGGER), "Commits", Duration.ofMinutes(5), now::get);
    try (LogCapture log = LogCapture.start()) {
      streak.failed("Cannot commit: catalog down");
      now.addAndGet(Duration.ofMillis(664).toNanos());
      streak.succeeded();

      assertThat(log.lines(LOGGER))
          .last()
          .asString()
          .endsWith("Commits work again after 1 failed attempt, 664 ms");
    }
  }

  @Test
  void durationsReadAsMillisecondsSecondsOrHoursMinutesAndSeconds() {
    assertThat(FailureStreak.format(Duration.ofMillis(850))).isEqualTo("850 ms");
    assertThat(FailureStreak.format(Duration.ofMillis(12_400))).isEqualTo("12 s");
    assertThat(FailureStreak.format(Duration.ofSeconds(252))).isEqualTo("4m 12s");
    assertThat(FailureStreak.format(Duration.ofSeconds(7503))).isEqualTo("2h 5m 3s");
  }
}
