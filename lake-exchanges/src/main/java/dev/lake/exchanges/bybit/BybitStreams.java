package dev.lake.exchanges.bybit;

import static java.util.Objects.requireNonNull;

import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.StreamProtocol;
import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Bybit's v5 public WebSocket protocol: one URL per category ({@code /v5/public/spot}, {@code
 * /v5/public/linear}), {@code {"op":"subscribe","args":[..],"req_id":".."}} requests of at most 10
 * topics (spot refuses a whole request with more; linear takes them but lake keeps one shape), and
 * the client's {@code {"op":"ping"}} every 20 s, which Bybit answers with {@code
 * {"success":true,"ret_msg":"pong",..,"op":"ping"}} (exchanges.md 2.7); without traffic Bybit
 * closes a connection after 10 minutes.
 */
record BybitStreams(URI url, int topicsPerConnection, WebSocketSession.Options options)
    implements StreamProtocol {
  static final int TOPICS_PER_REQUEST = 10;
  static final Keepalive KEEPALIVE = Keepalive.text(Duration.ofSeconds(20), "{\"op\":\"ping\"}");

  /** Pongs are short; longer frames are data and are not scanned. */
  private static final int MAX_PONG_LENGTH = 256;

  private static final byte[] PONG = "\"ret_msg\":\"pong\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PONG_OP = "\"op\":\"pong\"".getBytes(StandardCharsets.US_ASCII);

  BybitStreams {
    requireNonNull(url, "url is null");
    requireNonNull(options, "options is null");
  }

  @Override
  public int topicsPerRequest() {
    return TOPICS_PER_REQUEST;
  }

  @Override
  public String subscribe(List<String> topics, long requestId) {
    return request("subscribe", topics, requestId);
  }

  @Override
  public String unsubscribe(List<String> topics, long requestId) {
    return request("unsubscribe", topics, requestId);
  }

  @Override
  public Keepalive keepalive() {
    return KEEPALIVE;
  }

  /** Public spot and linear pong ({@code ret_msg} pong), and the other categories' {@code op}. */
  @Override
  public boolean isKeepaliveReply(Frame frame) {
    return frame.length() <= MAX_PONG_LENGTH && (contains(frame, PONG) || contains(frame, PONG_OP));
  }

  private static boolean contains(Frame frame, byte[] text) {
    byte[] bytes = frame.bytes();
    outer:
    for (int i = 0; i + text.length <= frame.length(); i++) {
      for (int j = 0; j < text.length; j++) {
        if (bytes[i + j] != text[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static String request(String op, List<String> topics, long requestId) {
    return "{\"op\":\""
        + op
        + "\",\"args\":[\""
        + String.join("\",\"", topics)
        + "\"],\"req_id\":\""
        + requestId
        + "\"}";
  }
}
