package dev.lake.testing.binance;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A WebSocket request URI taken apart: the route, whether payloads come in the combined envelope,
 * and the streams named in the URI. Spot: {@code /ws}, {@code /ws/<stream>}, {@code
 * /stream?streams=a/b}; futures the same under {@code /public} or {@code /market}.
 */
record StreamPath(StreamRoute route, boolean combined, List<String> streams) {
  static Optional<StreamPath> parse(String uri) {
    QueryStringDecoder decoder = new QueryStringDecoder(uri);
    String path = decoder.path();
    StreamRoute route = StreamRoute.SPOT;
    if (path.startsWith("/public/")) {
      route = StreamRoute.PUBLIC;
      path = path.substring("/public".length());
    } else if (path.startsWith("/market/")) {
      route = StreamRoute.MARKET;
      path = path.substring("/market".length());
    }
    if (path.equals("/ws")) {
      return Optional.of(new StreamPath(route, false, List.of()));
    }
    if (path.startsWith("/ws/")) {
      return Optional.of(new StreamPath(route, false, split(path.substring("/ws/".length()))));
    }
    if (path.equals("/stream")) {
      List<String> streams = decoder.parameters().getOrDefault("streams", List.of());
      String joined = streams.isEmpty() ? "" : streams.get(0);
      return Optional.of(new StreamPath(route, true, split(joined)));
    }
    return Optional.empty();
  }

  private static List<String> split(String streams) {
    return Arrays.stream(streams.split("/")).filter(s -> !s.isEmpty()).toList();
  }
}
