package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The writer's settings: each default declared once, each bad value refused with its range. */
class WriterOptionsTest {
  @Test
  void theDefaultsAreTheDocumentedOnes() {
    assertThat(WriterOptions.defaults())
        .isEqualTo(
            new WriterOptions(
                Duration.ofSeconds(60),
                256L << 20,
                Duration.ofMillis(200),
                10L << 30,
                64L << 20,
                WalFullPolicy.BACKPRESSURE,
                Duration.ofSeconds(30),
                Duration.ZERO));
  }

  @Test
  void eachWithChangesOneSettingAndKeepsTheOthers() {
    WriterOptions options =
        WriterOptions.defaults()
            .withCommitInterval(Duration.ofSeconds(5))
            .withWalFullPolicy(WalFullPolicy.DROP);
    assertThat(options.commitInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.walFullPolicy()).isEqualTo(WalFullPolicy.DROP);
    assertThat(
            options
                .withCommitInterval(Duration.ofSeconds(60))
                .withWalFullPolicy(WalFullPolicy.BACKPRESSURE))
        .isEqualTo(WriterOptions.defaults());
  }

  @Test
  void aValueOutOfItsRangeIsRefusedNamingTheRange() {
    assertThatThrownBy(() -> WriterOptions.defaults().withCommitInterval(Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid commit interval: 5 ms (expected at least 10 ms)");
    assertThatThrownBy(() -> WriterOptions.defaults().withBufferMaxBytes(1000))
        .hasMessage("Invalid buffer size: 1000 bytes (expected at least 1 MiB)");
    assertThatThrownBy(() -> WriterOptions.defaults().withWalMaxBytes(1000))
        .hasMessage("Invalid write-ahead log budget: 1000 bytes (expected at least 1 MiB)");
    assertThatThrownBy(() -> WriterOptions.defaults().withWalSegmentBytes(100))
        .hasMessage("Invalid segment size: 100 bytes (expected at least 4096)");
    assertThatThrownBy(() -> WriterOptions.defaults().withWalFsyncInterval(Duration.ofMillis(-1)))
        .hasMessage("Invalid fsync interval: PT-0.001S");
  }

  @Test
  void aCommitJitterLongerThanTheCommitIntervalIsRefused() {
    assertThatThrownBy(
            () ->
                WriterOptions.defaults()
                    .withCommitInterval(Duration.ofSeconds(1))
                    .withCommitJitter(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid commit jitter: 2000 ms (expected 0 to the commit interval, 1000 ms)");
  }
}
