package dev.lake.exchanges.kraken;

import static java.util.Objects.requireNonNull;

import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.StreamProtocol;
import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Kraken's public WebSocket protocols. Spot v2 ({@code wss://ws.kraken.com/v2}): {@code
 * {"method":"subscribe","params":{"channel":..,"symbol":[..],"depth":..,"snapshot":true},
 * "req_id":n}}, and the client's {@code {"method":"ping","req_id":n}} every 30 s, answered by
 * {@code {"method":"pong",..}} (Kraken also sends a {@code heartbeat} about once a second while
 * subscribed). Kraken Futures ({@code wss://futures.kraken.com/ws/v1}): {@code
 * {"event":"subscribe","feed":..,"product_ids":[..]}}, and a ping at least every 60 s as its docs
 * require ({@code {"event":"ping"}} every 30 s).
 *
 * <p>Topics are {@code channel:symbol} ({@code book:BTC/USD}, {@code trade:PF_XBTUSD}); one request
 * carries one channel, and each feed of lake carries one channel.
 *
 * @param futures Kraken Futures rather than spot v2
 * @param depth the spot book depth subscribed ({@code book} only)
 */
record KrakenStreams(
    URI url, int topicsPerConnection, WebSocketSession.Options options, boolean futures, int depth)
    implements StreamProtocol {
  private static final int TOPICS_PER_REQUEST = 50;
  private static final Duration PING_INTERVAL = Duration.ofSeconds(30);
  private static final int MAX_PONG_LENGTH = 256;
  private static final byte[] SPOT_PONG = "\"method\":\"pong\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FUTURES_PONG =
      "\"event\":\"pong\"".getBytes(StandardCharsets.US_ASCII);

  KrakenStreams {
    requireNonNull(url, "url is null");
    requireNonNull(options, "options is null");
  }

  static String topic(String channel, String symbol) {
    return channel + ":" + symbol;
  }

  @Override
  public int topicsPerRequest() {
    return TOPICS_PER_REQUEST;
  }

  @Override
  public Keepalive keepalive() {
    return futures
        ? Keepalive.text(PING_INTERVAL, "{\"event\":\"ping\"}")
        : new Keepalive(PING_INTERVAL, count -> "{\"method\":\"ping\",\"req_id\":" + count + "}");
  }

  @Override
  public boolean isKeepaliveReply(Frame frame) {
    return frame.length() <= MAX_PONG_LENGTH && frame.contains(futures ? FUTURES_PONG : SPOT_PONG);
  }

  @Override
  public String subscribe(List<String> topics, long requestId) {
    return request("subscribe", topics, requestId);
  }

  @Override
  public String unsubscribe(List<String> topics, long requestId) {
    return request("unsubscribe", topics, requestId);
  }

  private String request(String verb, List<String> topics, long requestId) {
    String channel = channel(topics.get(0));
    StringBuilder symbols = new StringBuilder(topics.size() * 16);
    for (String topic : topics) {
      if (!channel(topic).equals(channel)) {
        throw new IllegalArgumentException(
            "Invalid topics: " + topics + " (expected one channel a request)");
      }
      symbols.append(symbols.isEmpty() ? "\"" : ",\"");
      symbols.append(topic, channel.length() + 1, topic.length()).append('"');
    }
    if (futures) {
      return "{\"event\":\""
          + verb
          + "\",\"feed\":\""
          + channel
          + "\",\"product_ids\":["
          + symbols
          + "]}";
    }
    String book = channel.equals("book") ? ",\"depth\":" + depth : "";
    String snapshot =
        verb.equals("subscribe")
            ? ",\"snapshot\":" + (channel.equals("book") ? "true" : "false")
            : "";
    return "{\"method\":\""
        + verb
        + "\",\"params\":{\"channel\":\""
        + channel
        + "\",\"symbol\":["
        + symbols
        + "]"
        + book
        + snapshot
        + "},\"req_id\":"
        + requestId
        + "}";
  }

  private static String channel(String topic) {
    return topic.substring(0, topic.indexOf(':'));
  }
}
