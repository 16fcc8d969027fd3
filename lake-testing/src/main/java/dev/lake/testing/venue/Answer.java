package dev.lake.testing.venue;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP answer: status, body, content type and extra headers ({@code Content-Length} is added by
 * the server). Immutable.
 *
 * @param status the HTTP status, 100 to 599
 * @param body the body text, sent as UTF-8
 * @param contentType the {@code Content-Type}
 * @param headers extra headers, name to value, in the order they are sent
 */
public record Answer(int status, String body, String contentType, Map<String, String> headers) {
  /** The content type of JSON answers, as the venues send it. */
  public static final String JSON = "application/json;charset=UTF-8";

  /**
   * Checks the fields and copies the headers.
   *
   * @throws IllegalArgumentException when the status is not an HTTP status
   */
  public Answer {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("Invalid HTTP status: " + status + " (expected 100-599)");
    }
    requireNonNull(body, "body is null");
    requireNonNull(contentType, "contentType is null");
    headers =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(requireNonNull(headers, "headers is null")));
  }

  /** A JSON answer with a status and no extra headers. */
  public static Answer json(int status, String body) {
    return new Answer(status, body, JSON, Map.of());
  }

  /** A 200 JSON answer. */
  public static Answer ok(String body) {
    return json(200, body);
  }

  /** The same answer with one more header (or a new value for one it has). */
  public Answer withHeader(String name, Object value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(requireNonNull(name, "name is null"), String.valueOf(value));
    return new Answer(status, body, contentType, more);
  }
}
