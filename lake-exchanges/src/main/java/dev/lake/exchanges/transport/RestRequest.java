package dev.lake.exchanges.transport;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One REST request to a venue: method, URL (its query built with {@link QueryString}), headers, a
 * body for POST, its weight in the venue's budget, and what it collects ({@code table} and {@code
 * symbol}, named in the {@code rate_limited} row a rate limit on it makes). Immutable.
 *
 * @param method {@code GET} or {@code POST}
 * @param uri the URL with its query
 * @param headers request headers, sent as given (besides {@code Accept: application/json})
 * @param body the POST body, or null
 * @param weight what the request costs in the venue's budget, at least 1
 * @param table the table the answer feeds, or null when it feeds none directly
 * @param symbol the symbol it is about, or null
 */
public record RestRequest(
    String method,
    URI uri,
    Map<String, String> headers,
    byte[] body,
    int weight,
    String table,
    String symbol) {
  public RestRequest {
    requireNonNull(method, "method is null");
    requireNonNull(uri, "uri is null");
    if (!method.equals("GET") && !method.equals("POST")) {
      throw new IllegalArgumentException(
          "Invalid REST method: " + method + " (expected GET or POST)");
    }
    if (weight < 1) {
      throw new IllegalArgumentException(
          "Invalid request weight: " + weight + " (expected at least 1)");
    }
    headers = Map.copyOf(headers);
  }

  /** A GET of a URL, of a weight. */
  public static RestRequest get(URI uri, int weight) {
    return new RestRequest("GET", uri, Map.of(), null, weight, null, null);
  }

  /** A POST of a JSON body (empty for none) to a URL, of a weight. */
  public static RestRequest post(URI uri, String jsonBody, int weight) {
    return new RestRequest(
        "POST",
        uri,
        Map.of("Content-Type", "application/json"),
        jsonBody.getBytes(StandardCharsets.UTF_8),
        weight,
        null,
        null);
  }

  /** The same request with one more header (replacing one of the same name). */
  public RestRequest withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
    return new RestRequest(method, uri, more, body, weight, table, symbol);
  }

  /** The same request, collecting for a table and a symbol (either may be null). */
  public RestRequest about(String tableName, String symbolName) {
    return new RestRequest(method, uri, headers, body, weight, tableName, symbolName);
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }
}
