package dev.lake.testing.venue;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as a route sees it: a REST call, or the upgrade request of a WebSocket
 * connection. Immutable.
 *
 * @param method the method, upper case, e.g. {@code GET}
 * @param uri the request target as sent, e.g. {@code /api/v3/depth?symbol=BTCUSDT}
 * @param path the decoded path, e.g. {@code /api/v3/depth}
 * @param query each decoded query parameter name to its decoded values, in the order sent
 * @param pathParameters the values of the route's {@code {name}} segments (empty for other routes)
 * @param headers each header name, lower case, to its values in the order sent
 * @param body the body as UTF-8 text, empty when there is none
 */
public record Request(
    String method,
    String uri,
    String path,
    Map<String, List<String>> query,
    Map<String, String> pathParameters,
    Map<String, List<String>> headers,
    String body) {

  /** Checks the fields and copies the maps. */
  public Request {
    requireNonNull(method, "method is null");
    requireNonNull(uri, "uri is null");
    requireNonNull(path, "path is null");
    query = copy(requireNonNull(query, "query is null"));
    pathParameters = Map.copyOf(requireNonNull(pathParameters, "pathParameters is null"));
    headers = copy(requireNonNull(headers, "headers is null"));
    requireNonNull(body, "body is null");
  }

  /** The first value of a query parameter (possibly empty text), or empty when it was not sent. */
  public Optional<String> parameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The first value of a header, by its name in any case, or empty when it was not sent. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The same request with the values of its route's {@code {name}} segments. */
  Request withPathParameters(Map<String, String> values) {
    return new Request(method, uri, path, query, values, headers, body);
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> map) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    map.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    return Collections.unmodifiableMap(copy);
  }
}
