package dev.lake.core.maintenance;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.Record;

/**
 * An order-independent checksum of a multiset of rows: the count, and the sum and xor of a 64-bit
 * hash of every row's values. Two sets of rows with the same checksum hold the same rows (up to a
 * 64-bit collision). Not thread-safe.
 */
final class RowChecksum {
  private long count;
  private long sum;
  private long xor;

  void add(Record record) {
    long hash = hash(record);
    count++;
    sum += hash;
    xor ^= Long.rotateLeft(hash, 17) * 0x9E3779B97F4A7C15L;
  }

  long count() {
    return count;
  }

  boolean matches(RowChecksum other) {
    return count == other.count && sum == other.sum && xor == other.xor;
  }

  @Override
  public String toString() {
    return count + " rows, checksum " + Long.toHexString(sum) + "/" + Long.toHexString(xor);
  }

  private static long hash(StructLike struct) {
    long hash = 0x243F6A8885A308D3L;
    for (int i = 0; i < struct.size(); i++) {
      hash = mix(hash ^ valueHash(struct.get(i, Object.class)) + i);
    }
    return hash;
  }

  private static long valueHash(Object value) {
    if (value == null) {
      return 0x5BD1E995L;
    }
    if (value instanceof Double number) {
      return mix(Double.doubleToLongBits(number));
    }
    if (value instanceof Long number) {
      return mix(number);
    }
    if (value instanceof Integer number) {
      return mix(number.longValue() + 1);
    }
    if (value instanceof Boolean flag) {
      return flag ? 0x1234567L : 0x7654321L;
    }
    if (value instanceof CharSequence text) {
      long hash = 0xCBF29CE484222325L;
      for (byte b : text.toString().getBytes(StandardCharsets.UTF_8)) {
        hash = (hash ^ b) * 0x100000001B3L;
      }
      return mix(hash);
    }
    if (value instanceof OffsetDateTime time) {
      return mix(time.toEpochSecond() * 1_000_000_000L + time.getNano());
    }
    if (value instanceof StructLike struct) {
      return hash(struct);
    }
    if (value instanceof List<?> list) {
      long hash = 0x9E3779B97F4A7C15L;
      for (Object element : list) {
        hash = mix(hash ^ valueHash(element));
      }
      return hash;
    }
    return mix(value.hashCode());
  }

  /** SplitMix64's finaliser. */
  private static long mix(long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
