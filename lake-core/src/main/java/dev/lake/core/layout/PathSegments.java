package dev.lake.core.layout;

import java.nio.charset.StandardCharsets;

/**
 * Escapes partition values for use as one path segment, the way Hive does: every byte outside
 * {@code [A-Za-z0-9._-]} becomes {@code %XX}, so {@code XBT/USD} is {@code XBT%2FUSD} and no value
 * makes a folder or breaks a {@code key=value} pair.
 */
final class PathSegments {
  /** The segment value written for a null partition value, as Hive writes it. */
  public static final String NULL_VALUE = "__HIVE_DEFAULT_PARTITION__";

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathSegments() {}

  /** Escapes a value; values of safe characters only come back unchanged. */
  public static String escape(String value) {
    if (value.isEmpty()) {
      return NULL_VALUE;
    }
    if (value.equals(".") || value.equals("..")) {
      return value.replace(".", "%2E");
    }
    StringBuilder escaped = null;
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xFF;
      boolean safe = b < 0x80 && isSafe((char) b);
      if (!safe && escaped == null) {
        escaped = new StringBuilder(bytes.length + 8);
        escaped.append(value, 0, i);
      }
      if (escaped != null) {
        if (safe) {
          escaped.append((char) b);
        } else {
          escaped.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
        }
      }
    }
    return escaped == null ? value : escaped.toString();
  }

  private static boolean isSafe(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-';
  }
}
