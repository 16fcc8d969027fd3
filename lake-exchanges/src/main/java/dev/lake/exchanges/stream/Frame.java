package dev.lake.exchanges.stream;

import dev.lake.core.model.LakeRow;
import dev.lake.exchanges.book.StreamEvents;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One received text frame: its bytes, when they arrived, and the connection they came on. Reused
 * for every frame of a connection group's share, so valid only during the handler's call; not
 * thread-safe.
 */
public final class Frame {
  private final StreamEvents events;
  private final AtomicLong rejected;
  private byte[] bytes = new byte[16 * 1024];
  private int length;
  private long receivedMicros;
  private String connectionId;

  Frame(StreamEvents events, AtomicLong rejected) {
    this.events = events;
    this.rejected = rejected;
  }

  void set(ByteBuf content, long receivedMicros, String connectionId) {
    int size = content.readableBytes();
    if (size > bytes.length) {
      bytes = new byte[Math.max(size, bytes.length * 2)];
    }
    content.getBytes(content.readerIndex(), bytes, 0, size);
    this.length = size;
    this.receivedMicros = receivedMicros;
    this.connectionId = connectionId;
  }

  /** The frame's UTF-8 bytes, from 0 to {@link #length()}; the array is reused. */
  public byte[] bytes() {
    return bytes;
  }

  public int length() {
    return length;
  }

  /** When the frame's bytes arrived from the network, epoch microseconds. */
  public long receivedMicros() {
    return receivedMicros;
  }

  /** The connection the frame came on. */
  public String connectionId() {
    return connectionId;
  }

  /** The frame as text (allocates: for rejections and logs, not for parsing). */
  public String text() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  /** Whether the frame is exactly this ASCII text, without allocating. */
  public boolean is(String ascii) {
    if (ascii.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (bytes[i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the frame holds this ASCII text anywhere, without allocating (for short control frames
   * such as a venue's pong, whose field order the venue does not fix).
   */
  public boolean contains(byte[] ascii) {
    outer:
    for (int i = 0; i + ascii.length <= length; i++) {
      for (int j = 0; j < ascii.length; j++) {
        if (bytes[i + j] != ascii[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * Rejects the frame: counts it and adds a {@code rejected_message} row with the reason and a copy
   * of the frame.
   *
   * @param symbol the symbol it concerns, or null
   */
  public void reject(String symbol, String reason, List<LakeRow> rows) {
    rejected.incrementAndGet();
    rows.add(events.rejected(symbol, reason, text(), receivedMicros));
  }
}
