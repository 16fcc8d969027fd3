package dev.lake.core.internal.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads what {@link ByteSink} wrote. Not thread-safe. */
final class ByteSource {
  private final ByteBuffer buffer;
  private final List<String> dictionary = new ArrayList<>();
  // the first microsecond time of the row being read; later ones are differences from it
  private long rowTime;

  ByteSource(ByteBuffer buffer) {
    this.buffer = buffer.order(ByteOrder.LITTLE_ENDIAN);
  }

  void beginRecord() {
    dictionary.clear();
  }

  int readByte() {
    return buffer.get() & 0xFF;
  }

  double readDouble() {
    return buffer.getDouble();
  }

  long readVarLong() {
    long v = 0;
    int shift = 0;
    while (true) {
      byte b = buffer.get();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      shift += 7;
      if (shift > 63) {
        throw new IllegalStateException("Invalid variable-length number in log record");
      }
    }
    return (v >>> 1) ^ -(v & 1);
  }

  /** A row's first microsecond time, which its later times are written relative to. */
  long readFirstTime() {
    rowTime = readVarLong();
    return rowTime;
  }

  /** A row's second or later microsecond time. */
  long readLaterTime() {
    return readVarLong() + rowTime;
  }

  Long readNullableLong() {
    return readByte() == 0 ? null : readVarLong();
  }

  Double readNullableDouble() {
    return readByte() == 0 ? null : readDouble();
  }

  String readString() {
    long ref = readVarLong();
    if (ref == 0) {
      return null;
    }
    if (ref <= dictionary.size()) {
      return dictionary.get((int) ref - 1);
    }
    if (ref != dictionary.size() + 1) {
      throw new IllegalStateException("Invalid string reference in log record: " + ref);
    }
    int length = (int) readVarLong();
    if (length < 0 || length > buffer.remaining()) {
      throw new IllegalStateException("Invalid string length in log record: " + length);
    }
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    String value = new String(bytes, StandardCharsets.UTF_8);
    dictionary.add(value);
    return value;
  }
}
