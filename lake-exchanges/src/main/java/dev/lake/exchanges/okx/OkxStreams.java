package dev.lake.exchanges.okx;

import static java.util.Objects.requireNonNull;

import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.StreamProtocol;
import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * OKX's public WebSocket protocol: {@code {"op":"subscribe","args":[{channel, instId}]}} requests
 * (liquidations by {@code instType}), at most 480 subscribe and unsubscribe requests per hour per
 * connection, at most 3 new connections per second per IP (connects are spaced 350 ms apart across
 * the process), and a client keepalive: OKX closes a connection after 30 s without data, so the
 * text {@code ping} (not JSON) goes out every 20 s, answered by the text {@code pong}.
 *
 * <p>Topics are {@code channel:instId} ({@code liquidation-orders:SWAP} for an instType).
 */
record OkxStreams(URI url, int topicsPerConnection, WebSocketSession.Options options)
    implements StreamProtocol {
  static final String LIQUIDATIONS = "liquidation-orders";
  private static final int TOPICS_PER_REQUEST = 50;
  private static final int REQUESTS_PER_HOUR = 480;
  private static final Duration PING_INTERVAL = Duration.ofSeconds(20);
  private static final long CONNECT_SPACING_MS = 350;
  private static final Object CONNECTS = new Object();
  private static long nextConnect;

  OkxStreams {
    requireNonNull(url, "url is null");
    requireNonNull(options, "options is null");
  }

  static String topic(String channel, String id) {
    return channel + ":" + id;
  }

  @Override
  public int topicsPerRequest() {
    return TOPICS_PER_REQUEST;
  }

  @Override
  public int requestsPerHour() {
    return REQUESTS_PER_HOUR;
  }

  @Override
  public Keepalive keepalive() {
    return Keepalive.text(PING_INTERVAL, "ping");
  }

  @Override
  public boolean isKeepaliveReply(Frame frame) {
    return frame.is("pong");
  }

  /** Waits for the next of OKX's 3 connection slots a second (shared by every OKX connection). */
  @Override
  public CompletionStage<URI> connectStep() {
    long wait;
    synchronized (CONNECTS) {
      long now = System.currentTimeMillis();
      long slot = Math.max(now, nextConnect);
      nextConnect = slot + CONNECT_SPACING_MS;
      wait = slot - now;
    }
    if (wait == 0) {
      return CompletableFuture.completedFuture(url);
    }
    return CompletableFuture.supplyAsync(
        () -> url, CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS));
  }

  @Override
  public String subscribe(List<String> topics, long requestId) {
    return request("subscribe", topics, requestId);
  }

  @Override
  public String unsubscribe(List<String> topics, long requestId) {
    return request("unsubscribe", topics, requestId);
  }

  private static String request(String op, List<String> topics, long requestId) {
    StringBuilder text = new StringBuilder(64 + topics.size() * 48);
    text.append("{\"id\":\"").append(requestId).append("\",\"op\":\"").append(op);
    text.append("\",\"args\":[");
    for (int i = 0; i < topics.size(); i++) {
      String topic = topics.get(i);
      int colon = topic.indexOf(':');
      String channel = topic.substring(0, colon);
      String key = channel.equals(LIQUIDATIONS) ? "instType" : "instId";
      text.append(i == 0 ? "" : ",")
          .append("{\"channel\":\"")
          .append(channel)
          .append("\",\"")
          .append(key)
          .append("\":\"")
          .append(topic, colon + 1, topic.length())
          .append("\"}");
    }
    return text.append("]}").toString();
  }
}
