package dev.lake.exchanges.binance;

import static java.util.Objects.requireNonNull;

import dev.lake.exchanges.stream.StreamProtocol;
import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Binance's WebSocket protocol: one URL per route, {@code SUBSCRIBE}/{@code UNSUBSCRIBE} requests
 * of up to 100 stream names, 300 ms apart (Binance takes 5 incoming messages a second per
 * connection), at most 1024 streams a connection (lake uses fewer: {@code streamsPerConnection}).
 * Binance pings; answering is enough, so no client keepalive.
 */
final class BinanceStreams implements StreamProtocol {
  private static final int TOPICS_PER_REQUEST = 100;
  private static final Duration REQUEST_SPACING = Duration.ofMillis(300);

  private final URI url;
  private final int streamsPerConnection;
  private final WebSocketSession.Options options;

  BinanceStreams(URI url, int streamsPerConnection, WebSocketSession.Options options) {
    this.url = requireNonNull(url, "url is null");
    this.streamsPerConnection = streamsPerConnection;
    this.options = requireNonNull(options, "options is null");
  }

  @Override
  public URI url() {
    return url;
  }

  @Override
  public WebSocketSession.Options options() {
    return options;
  }

  @Override
  public int topicsPerConnection() {
    return streamsPerConnection;
  }

  @Override
  public int topicsPerRequest() {
    return TOPICS_PER_REQUEST;
  }

  @Override
  public Duration requestSpacing() {
    return REQUEST_SPACING;
  }

  @Override
  public String subscribe(List<String> topics, long requestId) {
    return request("SUBSCRIBE", topics, requestId);
  }

  @Override
  public String unsubscribe(List<String> topics, long requestId) {
    return request("UNSUBSCRIBE", topics, requestId);
  }

  private static String request(String method, List<String> topics, long requestId) {
    return "{\"method\":\""
        + method
        + "\",\"params\":[\""
        + String.join("\",\"", topics)
        + "\"],\"id\":"
        + requestId
        + "}";
  }
}
