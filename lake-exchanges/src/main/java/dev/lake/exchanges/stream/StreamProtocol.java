package dev.lake.exchanges.stream;

import static java.util.Objects.requireNonNull;

import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;

/**
 * What differs between venues' WebSocket streams, declared by each venue: where a connection goes
 * (and a step before each connect where the venue hands out endpoints), the subscribe and
 * unsubscribe frames for a batch of topics, the venue's limits, and the client keepalive. A {@link
 * StreamGroup} does the rest the same way for every venue.
 *
 * <p>Implementations must be thread-safe: methods are called from the connections' event loops.
 */
public interface StreamProtocol {
  /** A client keepalive: a text frame sent on every connection at an interval. */
  record Keepalive(Duration interval, LongFunction<String> frame) {
    public Keepalive {
      requireNonNull(interval, "interval is null");
      requireNonNull(frame, "frame is null");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException(
            "Invalid keepalive interval: " + interval + " (expected more than 0)");
      }
    }

    /** The same text every time, e.g. OKX's {@code ping}. */
    public static Keepalive text(Duration interval, String text) {
      requireNonNull(text, "text is null");
      return new Keepalive(interval, count -> text);
    }
  }

  /** The configured URL, for logs and {@code connect} rows. */
  URI url();

  /** Connection settings: name for logs, idle timeout, lifetime, back-off, frame size. */
  WebSocketSession.Options options();

  /** The most topics one connection carries (Binance allows 1024; lake uses 200). */
  int topicsPerConnection();

  /** The most topics in one subscribe request (Bybit spot: 10). */
  int topicsPerRequest();

  /** The frame that subscribes to a batch of at most {@link #topicsPerRequest()} topics. */
  String subscribe(List<String> topics, long requestId);

  /** The frame that unsubscribes from a batch of topics. */
  String unsubscribe(List<String> topics, long requestId);

  /**
   * The step before every connect: the URL to connect to. Its failure is a failed attempt, retried
   * with back-off. Default: the configured URL.
   */
  default CompletionStage<URI> connectStep() {
    return CompletableFuture.completedFuture(url());
  }

  /** The least time between two requests on one connection (Binance: 5 messages a second). */
  default Duration requestSpacing() {
    return Duration.ZERO;
  }

  /**
   * The most subscribe and unsubscribe requests per hour on one connection (OKX: 480), 0 for no
   * cap. Requests beyond it wait for the hour's window to free up.
   */
  default int requestsPerHour() {
    return 0;
  }

  /**
   * A request sent once on every new connection before its topics are subscribed, or null: e.g.
   * Coinbase's {@code heartbeats} channel, which keeps a connection with quiet topics open and
   * numbers every second in its sequence.
   */
  default String connectRequest(long requestId) {
    return null;
  }

  /** The client keepalive, or null where answering the server's pings is enough. */
  default Keepalive keepalive() {
    return null;
  }

  /**
   * Whether the venue greets each connection before it takes requests (KuCoin's {@code welcome}):
   * when true, a connection subscribes and starts its keepalive only once {@link #isGreeting} holds
   * for a frame. Default: false, subscribing as soon as the connection opens.
   */
  default boolean greets() {
    return false;
  }

  /**
   * Whether a frame is the venue's greeting (checked only until the first one, when {@link
   * #greets()}): counted, and neither parsed nor rejected.
   */
  default boolean isGreeting(Frame frame) {
    return false;
  }

  /**
   * Whether a frame is the answer to a client keepalive (OKX {@code pong}): counted, and neither
   * parsed nor rejected.
   */
  default boolean isKeepaliveReply(Frame frame) {
    return false;
  }
}
