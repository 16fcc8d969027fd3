package dev.lake.exchanges.transport;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * The query of a REST URL, built from names and values that are percent-encoded as UTF-8 (RFC 3986:
 * only letters, digits and {@code -._~} stay as they are; a space is {@code %20}, never {@code +}).
 * Every REST URL lake builds from configured or received values goes through here, so that a value
 * can never add a parameter or change the path: {@code ETHUSDT&limit=5000} is sent as {@code
 * symbol=ETHUSDT%26limit%3D5000}. Not thread-safe: build it on one thread.
 */
public final class QueryString {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final StringBuilder query = new StringBuilder();

  private QueryString() {}

  /** A query starting with one parameter. */
  public static QueryString of(String name, String value) {
    return new QueryString().and(name, value);
  }

  /** Adds a parameter; the name and the value are encoded. */
  public QueryString and(String name, String value) {
    requireNonNull(name, "name is null");
    requireNonNull(value, "value is null");
    if (query.length() > 0) {
      query.append('&');
    }
    query.append(encode(name)).append('=').append(encode(value));
    return this;
  }

  /** Adds a numeric parameter. */
  public QueryString and(String name, long value) {
    return and(name, Long.toString(value));
  }

  /**
   * The base URL with this query added after any query it has already ({@code ?} or {@code &}); the
   * base keeps its own encoding, and any fragment is dropped.
   *
   * @throws IllegalArgumentException when the base is not an absolute URL
   */
  public URI appendTo(URI base) {
    requireNonNull(base, "base is null");
    if (base.getScheme() == null || base.getRawAuthority() == null) {
      throw new IllegalArgumentException(
          "Invalid base URL: " + base + " (expected an absolute http:// or https:// URL)");
    }
    String rawPath = base.getRawPath() == null ? "" : base.getRawPath();
    String rawQuery = base.getRawQuery();
    String text =
        base.getScheme()
            + "://"
            + base.getRawAuthority()
            + rawPath
            + "?"
            + (rawQuery == null || rawQuery.isEmpty() ? "" : rawQuery + "&")
            + query;
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Invalid base URL: " + base + " (" + e.getReason() + ")");
    }
  }

  /** The encoded query, without {@code ?}. */
  @Override
  public String toString() {
    return query.toString();
  }

  /**
   * The decoded value of the first parameter of a name in a URL's query, or null. Reads the raw
   * query, so that an encoded {@code &} or {@code =} inside a value does not split it.
   */
  public static String parameter(URI uri, String name) {
    String rawQuery = uri.getRawQuery();
    if (rawQuery == null) {
      return null;
    }
    String prefix = encode(name) + "=";
    for (String part : rawQuery.split("&")) {
      if (part.startsWith(prefix)) {
        return decode(part.substring(prefix.length()));
      }
    }
    return null;
  }

  static String encode(String value) {
    StringBuilder encoded = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return encoded.toString();
  }

  private static String decode(String encoded) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    int i = 0;
    while (i < encoded.length()) {
      int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
      int low = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 2), 16) : -1;
      if (encoded.charAt(i) == '%' && high >= 0 && low >= 0) {
        bytes.write(high << 4 | low);
        i += 3;
      } else {
        int codePoint = encoded.codePointAt(i);
        bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(codePoint);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
