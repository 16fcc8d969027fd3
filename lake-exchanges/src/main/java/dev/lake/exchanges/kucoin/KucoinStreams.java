package dev.lake.exchanges.kucoin;

import static java.util.Objects.requireNonNull;

import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.StreamProtocol;
import dev.lake.exchanges.transport.RestClient;
import dev.lake.exchanges.transport.RestRequest;
import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * KuCoin's public WebSocket protocol. Its connect step (before every connect and reconnect) POSTs
 * {@code /api/v1/bullet-public} for a token, the endpoint and the ping interval, and connects to
 * {@code {endpoint}?token=..&connectId=..}; the token goes nowhere else (connect rows and logs show
 * the endpoint without its query). KuCoin greets each connection with {@code welcome} before it
 * takes requests; then {@code subscribe} requests carry one topic each, its symbols comma-separated
 * (up to 100 on spot; one on futures, where lake subscribes per symbol), at most 100 uplink
 * messages per 10 s (spaced 100 ms). The client sends {@code {"id":"n","type":"ping"}} at the
 * token's {@code pingInterval}, answered by {@code pong}.
 *
 * <p>Topics are {@code /market/level2:BTC-USDT}, one symbol each.
 */
final class KucoinStreams implements StreamProtocol {
  private static final Duration SPACING = Duration.ofMillis(100);
  private static final int SHORT_FRAME = 96;

  private final URI bulletUrl;
  private final RestClient rest;
  private final int topicsPerConnection;
  private final int topicsPerRequest;
  private final WebSocketSession.Options options;
  private volatile URI endpoint;
  private volatile Duration pingInterval = Duration.ofSeconds(18);

  /**
   * @param bulletUrl the {@code bullet-public} endpoint of the market's REST host
   * @param topicsPerRequest symbols per subscribe request (100 spot, 1 futures)
   */
  KucoinStreams(
      URI bulletUrl,
      RestClient rest,
      int topicsPerConnection,
      int topicsPerRequest,
      WebSocketSession.Options options) {
    this.bulletUrl = requireNonNull(bulletUrl, "bulletUrl is null");
    this.rest = requireNonNull(rest, "rest is null");
    this.topicsPerConnection = topicsPerConnection;
    this.topicsPerRequest = topicsPerRequest;
    this.options = requireNonNull(options, "options is null");
    String scheme = "https".equals(bulletUrl.getScheme()) ? "wss" : "ws";
    this.endpoint = URI.create(scheme + "://" + bulletUrl.getRawAuthority() + "/");
  }

  /** The endpoint of the last token (before the first: the bullet host as ws://), no query. */
  @Override
  public URI url() {
    return endpoint;
  }

  @Override
  public WebSocketSession.Options options() {
    return options;
  }

  @Override
  public int topicsPerConnection() {
    return topicsPerConnection;
  }

  @Override
  public int topicsPerRequest() {
    return topicsPerRequest;
  }

  @Override
  public Duration requestSpacing() {
    return SPACING;
  }

  /** Asks for a token; its failure (an error code, a rate limit) is a failed attempt. */
  @Override
  public CompletionStage<URI> connectStep() {
    return rest.send(RestRequest.post(bulletUrl, "", 1))
        .thenApply(
            response -> {
              KucoinRest.Bullet bullet = KucoinRest.bullet(response.body());
              endpoint = bullet.endpoint();
              pingInterval = bullet.pingInterval();
              String base = bullet.endpoint().toString();
              return URI.create(
                  base
                      + (base.contains("?") ? "&" : "?")
                      + "token="
                      + URLEncoder.encode(bullet.token(), StandardCharsets.UTF_8)
                      + "&connectId="
                      + UUID.randomUUID());
            });
  }

  @Override
  public boolean greets() {
    return true;
  }

  @Override
  public boolean isGreeting(Frame frame) {
    return frame.length() < SHORT_FRAME && contains(frame, "\"type\":\"welcome\"");
  }

  @Override
  public Keepalive keepalive() {
    return new Keepalive(pingInterval, count -> "{\"id\":\"" + count + "\",\"type\":\"ping\"}");
  }

  @Override
  public boolean isKeepaliveReply(Frame frame) {
    return frame.length() < SHORT_FRAME && contains(frame, "\"type\":\"pong\"");
  }

  @Override
  public String subscribe(List<String> topics, long requestId) {
    return request("subscribe", topics, requestId);
  }

  @Override
  public String unsubscribe(List<String> topics, long requestId) {
    return request("unsubscribe", topics, requestId);
  }

  /** One request for topics of one channel: their symbols joined after the channel's colon. */
  static String request(String type, List<String> topics, long requestId) {
    String first = topics.get(0);
    int colon = first.indexOf(':');
    String channel = first.substring(0, colon + 1);
    StringBuilder text = new StringBuilder(96 + topics.size() * 16);
    text.append("{\"id\":\"").append(requestId).append("\",\"type\":\"").append(type);
    text.append("\",\"topic\":\"").append(channel);
    for (int i = 0; i < topics.size(); i++) {
      String topic = topics.get(i);
      if (!topic.startsWith(channel)) {
        throw new IllegalArgumentException(
            "Invalid KuCoin request: topics of two channels, " + first + " and " + topic);
      }
      text.append(i == 0 ? "" : ",").append(topic, colon + 1, topic.length());
    }
    return text.append("\",\"privateChannel\":false,\"response\":true}").toString();
  }

  private static boolean contains(Frame frame, String ascii) {
    byte[] bytes = frame.bytes();
    int last = frame.length() - ascii.length();
    outer:
    for (int i = 0; i <= last; i++) {
      for (int j = 0; j < ascii.length(); j++) {
        if (bytes[i + j] != ascii.charAt(j)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
