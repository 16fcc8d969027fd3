package dev.lake.exchanges.coinbase;

import static java.util.Objects.requireNonNull;

import dev.lake.exchanges.stream.StreamProtocol;
import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;
import java.util.List;

/**
 * Advanced Trade's WebSocket protocol: {@code {"type":"subscribe","product_ids":[..],
 * "channel":".."}}, one channel a request, sent within 5 s of connecting or Coinbase disconnects;
 * every connection also subscribes {@code heartbeats} (one message a second), which keeps
 * connections with quiet products open and lets a break in {@code sequence_num} show within a
 * second. A topic is a product id.
 *
 * @param channel {@code level2} or {@code market_trades}
 */
record CoinbaseStreams(
    URI url, String channel, int topicsPerConnection, WebSocketSession.Options options)
    implements StreamProtocol {
  /** Products per subscribe request: Coinbase names no limit; lake keeps frames small. */
  static final int TOPICS_PER_REQUEST = 50;

  CoinbaseStreams {
    requireNonNull(url, "url is null");
    requireNonNull(channel, "channel is null");
    requireNonNull(options, "options is null");
  }

  @Override
  public int topicsPerRequest() {
    return TOPICS_PER_REQUEST;
  }

  @Override
  public String subscribe(List<String> topics, long requestId) {
    return request("subscribe", topics);
  }

  @Override
  public String unsubscribe(List<String> topics, long requestId) {
    return request("unsubscribe", topics);
  }

  @Override
  public String connectRequest(long requestId) {
    return "{\"type\":\"subscribe\",\"channel\":\"heartbeats\"}";
  }

  private String request(String type, List<String> topics) {
    return "{\"type\":\""
        + type
        + "\",\"product_ids\":[\""
        + String.join("\",\"", topics)
        + "\"],\"channel\":\""
        + channel
        + "\"}";
  }
}
