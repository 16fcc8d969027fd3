package dev.lake.core.internal.wal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A growable buffer that row encoding writes into. Strings are written once per record and
 * referenced after (most rows of a batch share exchange and symbol). Not thread-safe.
 */
final class ByteSink {
  private static final int SMALL_DICTIONARY = 8;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  // an array and a position rather than a ByteBuffer: each put of a heap buffer checks its
  // bounds and read-only state, and this is written a few times a row on the appending thread
  private byte[] bytes;
  private int position;
  // null when only the first strings of a record are remembered (see recentStringsOnly)
  private final Map<String, Integer> dictionary;
  private final String[] recent = new String[SMALL_DICTIONARY];
  private int dictionarySize;

  ByteSink(int initialCapacity) {
    this(initialCapacity, new HashMap<>());
  }

  private ByteSink(int initialCapacity, Map<String, Integer> dictionary) {
    this.bytes = new byte[initialCapacity];
    this.dictionary = dictionary;
  }

  /**
   * A sink that references only a record's first {@value #SMALL_DICTIONARY} distinct strings and
   * writes any other string in full each time: for a long-lived record of one partition's rows,
   * whose repeated strings (exchange, symbol) come first, and whose other strings (a trade's id)
   * are mostly unique and would fill a dictionary for nothing. {@link ByteSource} reads both alike.
   */
  static ByteSink recentStringsOnly(int initialCapacity) {
    return new ByteSink(initialCapacity, null);
  }

  /** Bytes written since the last {@link #reset}, its header room included. */
  int size() {
    return position;
  }

  /** Bytes of the array behind the buffer. */
  int capacity() {
    return bytes.length;
  }

  /** Empties the buffer, leaving {@code headerBytes} of room at the front, and the dictionary. */
  void reset(int headerBytes) {
    position = headerBytes;
  }

  void beginRecord() {
    if (dictionary != null) {
      dictionary.clear();
    }
    java.util.Arrays.fill(recent, null);
    dictionarySize = 0;
  }

  /**
   * The bytes written, as a little-endian buffer over the sink's array positioned at their end; it
   * stays valid until the next write.
   */
  ByteBuffer buffer() {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).position(position);
  }

  void writeByte(int value) {
    ensure(1);
    bytes[position++] = (byte) value;
  }

  void writeDouble(double value) {
    ensure(8);
    LONGS.set(bytes, position, Double.doubleToRawLongBits(value));
    position += 8;
  }

  /** Zig-zag variable-length long: small values of either sign take few bytes. */
  void writeVarLong(long value) {
    ensure(10);
    long v = (value << 1) ^ (value >> 63);
    byte[] out = bytes;
    int at = position;
    while ((v & ~0x7FL) != 0) {
      out[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[at++] = (byte) v;
    position = at;
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
    if (dictionary == null) {
      // equal strings of other instances, as a parser makes them, are found here instead
      for (int i = 0; i < SMALL_DICTIONARY && i < dictionarySize; i++) {
        if (recent[i].equals(value)) {
          writeVarLong(i + 1);
          return;
        }
      }
    } else {
      Integer index = dictionary.get(value);
      if (index != null) {
        writeVarLong(index + 1);
        return;
      }
      dictionary.put(value, dictionarySize);
    }
    if (dictionarySize < SMALL_DICTIONARY) {
      recent[dictionarySize] = value;
    }
    dictionarySize++;
    writeVarLong(dictionarySize);
    byte[] text = value.getBytes(StandardCharsets.UTF_8);
    writeVarLong(text.length);
    ensure(text.length);
    System.arraycopy(text, 0, bytes, position, text.length);
    position += text.length;
  }

  private void ensure(int count) {
    if (bytes.length - position < count) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, position + count));
    }
  }
}
