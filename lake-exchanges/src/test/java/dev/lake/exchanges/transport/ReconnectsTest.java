package dev.lake.exchanges.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ReconnectsTest {
  private final Reconnects reconnects =
      new Reconnects(Duration.ofMillis(400), Duration.ofSeconds(3));

  @Test
  void aClosedConnectionIsFollowedByANewAttempt() {
    assertThat(Reconnects.afterClose(false, false)).isTrue();
  }

  @Test
  void noNewAttemptFollowsWhenTheSessionWasClosed() {
    assertThat(Reconnects.afterClose(true, false)).isFalse();
  }

  @Test
  void noNewAttemptFollowsWhenAnotherConnectionIsOpen() {
    assertThat(Reconnects.afterClose(false, true)).isFalse();
  }

  @RepeatedTest(20)
  void theFirstDelayIsBetweenHalfTheInitialBackOffAndAllOfIt() {
    assertThat(reconnects.nextDelayMillis()).isBetween(200L, 400L);
  }

  @RepeatedTest(20)
  void eachDelayDoublesTheStepUpToTheMaximum() {
    reconnects.nextDelayMillis(); // 400
    reconnects.nextDelayMillis(); // 800
    assertThat(reconnects.nextDelayMillis()).isBetween(800L, 1600L);
    reconnects.nextDelayMillis(); // 3200, capped at 3000
    assertThat(reconnects.nextDelayMillis()).isBetween(1500L, 3000L);
  }

  @RepeatedTest(20)
  void aResetStartsOverFromTheInitialBackOff() {
    reconnects.nextDelayMillis();
    reconnects.nextDelayMillis();
    reconnects.reset();
    assertThat(reconnects.nextDelayMillis()).isBetween(200L, 400L);
  }
}
