package dev.lake.core.internal.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A growable buffer that row encoding writes into. Strings are written once per record and
 * referenced after (most rows of a batch share exchange and symbol). Not thread-safe.
 */
final class ByteSink {
  private static final int SMALL_DICTIONARY = 8;

  private ByteBuffer buffer;
  private final Map<String, Integer> dictionary = new HashMap<>();
  private final String[] recent = new String[SMALL_DICTIONARY];
  private int dictionarySize;

  ByteSink(int initialCapacity) {
    this.buffer = ByteBuffer.allocate(initialCapacity).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Empties the buffer, leaving {@code headerBytes} of room at the front, and the dictionary. */
  void reset(int headerBytes) {
    buffer.clear();
    buffer.position(headerBytes);
  }

  void beginRecord() {
    dictionary.clear();
    java.util.Arrays.fill(recent, null);
    dictionarySize = 0;
  }

  ByteBuffer buffer() {
    return buffer;
  }

  void writeByte(int value) {
    ensure(1);
    buffer.put((byte) value);
  }

  void writeDouble(double value) {
    ensure(8);
    buffer.putDouble(value);
  }

  /** Zig-zag variable-length long: small values of either sign take few bytes. */
  void writeVarLong(long value) {
    ensure(10);
    long v = (value << 1) ^ (value >> 63);
    while ((v & ~0x7FL) != 0) {
      buffer.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    buffer.put((byte) v);
  }

  void writeNullableLong(Long value) {
    if (value == null) {
      writeByte(0);
    } else {
      writeByte(1);
      writeVarLong(value);
    }
  }

  void writeNullableDouble(Double value) {
    if (value == null) {
      writeByte(0);
    } else {
      writeByte(1);
      writeDouble(value);
    }
  }

  /** 0 = null; 1..n = the n-th string already in this record; n+1 = a new string follows. */
  void writeString(String value) {
    if (value == null) {
      writeVarLong(0);
      return;
    }
    for (int i = 0; i < SMALL_DICTIONARY && i < dictionarySize; i++) {
      if (recent[i] == value) {
        writeVarLong(i + 1);
        return;
      }
    }
    Integer index = dictionary.get(value);
    if (index != null) {
      writeVarLong(index + 1);
      return;
    }
    if (dictionarySize < SMALL_DICTIONARY) {
      recent[dictionarySize] = value;
    }
    dictionary.put(value, dictionarySize);
    dictionarySize++;
    writeVarLong(dictionarySize);
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    writeVarLong(bytes.length);
    ensure(bytes.length);
    buffer.put(bytes);
  }

  private void ensure(int bytes) {
    if (buffer.remaining() < bytes) {
      int capacity = Math.max(buffer.capacity() * 2, buffer.position() + bytes);
      ByteBuffer bigger = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
      buffer.flip();
      bigger.put(buffer);
      this.buffer = bigger;
    }
  }
}
