package dev.lake.exchanges.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.book.StreamEvents;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A received frame's allocation-free text checks. */
class FrameTest {
  private static Frame frame(String text) {
    Frame frame = new Frame(new StreamEvents("venue", MarketType.SPOT, "trades"), new AtomicLong());
    frame.set(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), 1, "c1");
    return frame;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void containsFindsTextAnywhereInTheFrame() {
    Frame frame = frame("{\"req_id\":7,\"method\":\"pong\",\"time_in\":\"x\"}");

    assertThat(frame.contains(ascii("\"method\":\"pong\""))).isTrue();
    assertThat(frame.contains(ascii("{\"req_id\""))).isTrue();
    assertThat(frame.contains(ascii("\"time_in\":\"x\"}"))).isTrue();
  }

  @Test
  void containsIsFalseForTextNotThereOrLongerThanTheFrame() {
    Frame frame = frame("{\"method\":\"ping\"}");

    assertThat(frame.contains(ascii("\"method\":\"pong\""))).isFalse();
    assertThat(frame.contains(ascii("{\"method\":\"ping\"} and more"))).isFalse();
  }
}
