package dev.lake.testing.venue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A REST path with {@code {name}} segments that match any one non-empty segment, e.g. {@code
 * /api/v1/contracts/{symbol}}. Immutable.
 */
final class PathTemplate {
  private final String text;
  private final String[] segments;

  PathTemplate(String text) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("Invalid path: " + text + " (expected /...)");
    }
    this.text = text;
    this.segments = text.split("/", -1);
  }

  /** The values of the {@code {name}} segments when the path matches, else empty. */
  Optional<Map<String, String>> match(String path) {
    String[] parts = path.split("/", -1);
    if (parts.length != segments.length) {
      return Optional.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i++) {
      String segment = segments[i];
      if (segment.startsWith("{") && segment.endsWith("}") && !parts[i].isEmpty()) {
        values.put(segment.substring(1, segment.length() - 1), parts[i]);
      } else if (!segment.equals(parts[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(values);
  }

  @Override
  public String toString() {
    return text;
  }
}
