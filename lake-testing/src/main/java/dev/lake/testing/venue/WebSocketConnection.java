package dev.lake.testing.venue;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client WebSocket connection of a {@link FakeExchangeServer}: the endpoint and request it came
 * in on, the venue's session, and the faults a test scripts on what the server sends.
 *
 * <p>Thread-safe. Every method may be called from any thread. Sends, fault scripts, {@link #close}
 * and {@link #disconnectAfterSent} take effect in the order they were called, whichever threads
 * called them: each is queued on the connection's event loop, also when called on that loop (a
 * session answering a request), so an answer never overtakes a message another thread sent before
 * it, and {@code dropNext(1)} called between two sends drops the second and never the first. Faults
 * apply to every text message the server sends on the connection (events, replies, raw texts), not
 * to protocol frames (pings, pongs, close).
 */
public final class WebSocketConnection {
  private final Channel channel;
  private final String endpoint;
  private final Request upgrade;
  private final WebSocketSession session;
  private final AtomicInteger pongs = new AtomicInteger();
  // Fault state: touched on the event loop only.
  private int toDrop;
  private int toDuplicate;
  private int toGarble;
  private boolean reorderArmed;
  private String heldBack;
  private boolean heldBackTwice;
  private long stallGeneration;
  private boolean stalled;
  private final ArrayDeque<String> stalledTexts = new ArrayDeque<>();

  WebSocketConnection(Channel channel, String endpoint, Request upgrade, WebSocketSession session) {
    this.channel = channel;
    this.endpoint = endpoint;
    this.upgrade = upgrade;
    this.session = session;
  }

  /** The name of the endpoint the connection came in on, as given to the server's builder. */
  public String endpoint() {
    return endpoint;
  }

  /** The upgrade request that opened the connection (path, query, headers). */
  public Request upgradeRequest() {
    return upgrade;
  }

  /** The venue's session of this connection. */
  public WebSocketSession session() {
    return session;
  }

  /** Whether the TCP connection is still open. */
  public boolean isOpen() {
    return channel.isActive();
  }

  /** The number of pong frames received from the client. */
  public int pongs() {
    return pongs.get();
  }

  /** Sends a text message, subject to the scripted faults. */
  public void send(String text) {
    requireNonNull(text, "text is null");
    onLoop(() -> emit(text));
  }

  /** Does not send the next {@code count} text messages. */
  public void dropNext(int count) {
    checkCount(count);
    onLoop(() -> toDrop += count);
  }

  /** Sends each of the next {@code count} text messages twice in a row. */
  public void duplicateNext(int count) {
    checkCount(count);
    onLoop(() -> toDuplicate += count);
  }

  /**
   * Sends only the first half of each of the next {@code count} text messages: invalid JSON, as a
   * JSON object or array cut short never parses.
   */
  public void garbleNext(int count) {
    checkCount(count);
    onLoop(() -> toGarble += count);
  }

  /** Sends the next text message after the one that follows it (the two arrive swapped). */
  public void reorderNext() {
    onLoop(() -> reorderArmed = true);
  }

  /**
   * Sends nothing for a while, keeping the connection open: text messages are held and sent in
   * order when the stall ends, pings are skipped and client pings not answered. A second stall
   * extends the first to its own end.
   *
   * @throws IllegalArgumentException when the duration is not positive
   */
  public void stall(Duration duration) {
    requireNonNull(duration, "duration is null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(
          "Invalid stall duration: " + duration + " (expected a positive duration)");
    }
    onLoop(
        () -> {
          stalled = true;
          long generation = ++stallGeneration;
          channel
              .eventLoop()
              .schedule(() -> endStall(generation), duration.toNanos(), TimeUnit.NANOSECONDS);
        });
  }

  /**
   * Closes the TCP connection at once, without a close frame (the client sees close code 1006):
   * what the server sent before and the client has not received yet may be lost, as on a cut
   * connection (called on the event loop, it also overtakes the sends still queued there).
   */
  public void disconnect() {
    channel.close();
  }

  /**
   * Closes the TCP connection without a close frame once what was sent before is written (a venue
   * that answers a bad request and hangs up).
   */
  public void disconnectAfterSent() {
    onLoop(
        () ->
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE));
  }

  /** Sends a close frame with a status code and reason, then closes the TCP connection. */
  public void close(int statusCode, String reason) {
    requireNonNull(reason, "reason is null");
    onLoop(
        () ->
            channel
                .writeAndFlush(new CloseWebSocketFrame(statusCode, reason))
                .addListener(ChannelFutureListener.CLOSE));
  }

  /** Runs a task on the connection's event loop after a delay (a venue's timeouts). */
  public void schedule(Duration delay, Runnable task) {
    requireNonNull(task, "task is null");
    channel.eventLoop().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return endpoint + " " + channel.remoteAddress() + " " + session;
  }

  /** Sends a ping frame whose payload is the time in ms, unless stalled. */
  void ping() {
    if (!stalled) {
      byte[] now = Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII);
      channel.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(now)));
    }
  }

  boolean stalled() {
    return stalled;
  }

  void ponged() {
    pongs.incrementAndGet();
  }

  private void emit(String text) {
    if (toDrop > 0) {
      toDrop--;
      return;
    }
    String out = text;
    if (toGarble > 0) {
      toGarble--;
      out = text.substring(0, text.length() / 2);
    }
    boolean twice = toDuplicate > 0;
    if (twice) {
      toDuplicate--;
    }
    if (reorderArmed) {
      reorderArmed = false;
      heldBack = out;
      heldBackTwice = twice;
      return;
    }
    write(out, twice);
    if (heldBack != null) {
      String held = heldBack;
      heldBack = null;
      write(held, heldBackTwice);
    }
  }

  private void write(String text, boolean twice) {
    write(text);
    if (twice) {
      write(text);
    }
  }

  private void write(String text) {
    if (stalled) {
      stalledTexts.add(text);
    } else {
      channel.writeAndFlush(new TextWebSocketFrame(text));
    }
  }

  private void endStall(long generation) {
    if (generation != stallGeneration) {
      return;
    }
    stalled = false;
    while (!stalledTexts.isEmpty()) {
      write(stalledTexts.poll());
    }
  }

  /**
   * Queues a task on the event loop even when called on it: running it inline there would put it
   * ahead of tasks other threads queued before (a test's update written after the subscribe answer
   * that already includes it).
   */
  private void onLoop(Runnable task) {
    channel.eventLoop().execute(task);
  }

  private static void checkCount(int count) {
    if (count < 1) {
      throw new IllegalArgumentException(
          "Invalid message count: " + count + " (expected 1 or more)");
    }
  }
}
