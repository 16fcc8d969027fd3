package dev.lake.exchanges.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestPacerTest {
  @Test
  void requestsBeyondTheHourlyCapWaitForTheWindowToFreeUp() {
    RequestPacer pacer = new RequestPacer(null, () -> 0, 0, 3);

    assertThat(pacer.at(0)).isZero();
    assertThat(pacer.at(0)).isZero();
    assertThat(pacer.at(10)).isEqualTo(10);
    assertThat(pacer.at(20)).isEqualTo(3_600_000);
    assertThat(pacer.at(30)).isEqualTo(3_600_000);
    assertThat(pacer.at(40)).isEqualTo(3_600_010);
  }

  @Test
  void requestsAreSpacedFromTheOneBefore() {
    RequestPacer pacer = new RequestPacer(null, () -> 0, 300, 0);

    assertThat(pacer.at(0)).isZero();
    assertThat(pacer.at(0)).isEqualTo(300);
    assertThat(pacer.at(100)).isEqualTo(600);
    assertThat(pacer.at(2000)).isEqualTo(2000);
  }
}
