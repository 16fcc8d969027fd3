package dev.lake.testing.binance;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client WebSocket connection: its route, whether it gets combined-stream envelopes, and the
 * streams it is subscribed to. Thread-safe: subscriptions change on the connection's event loop
 * while publishers read them from other threads; frames are queued to the channel in call order.
 */
final class StreamConnection {
  private final Channel channel;
  private final StreamRoute route;
  private final Set<String> streams = new LinkedHashSet<>();
  private volatile boolean combined;

  StreamConnection(Channel channel, StreamPath path) {
    this.channel = channel;
    this.route = path.route();
    this.combined = path.combined();
    this.streams.addAll(path.streams());
  }

  StreamRoute route() {
    return route;
  }

  boolean combined() {
    return combined;
  }

  void combined(boolean combined) {
    this.combined = combined;
  }

  synchronized void subscribe(Collection<String> names) {
    streams.addAll(names);
  }

  synchronized void unsubscribe(Collection<String> names) {
    streams.removeAll(names);
  }

  synchronized List<String> streams() {
    return new ArrayList<>(streams);
  }

  synchronized boolean subscribed(String stream) {
    return streams.contains(stream);
  }

  /** Sends a payload once for each of the candidate streams this connection is subscribed to. */
  void deliver(List<String> candidateStreams, String payload) {
    for (String stream : candidateStreams) {
      if (subscribed(stream)) {
        send(combined ? StreamMessages.combined(stream, payload) : payload);
      }
    }
  }

  /** Sends a text frame as it is. */
  void send(String text) {
    channel.writeAndFlush(new TextWebSocketFrame(text));
  }

  boolean isOpen() {
    return channel.isActive();
  }

  /** Pings every {@code interval} (the payload is the time in ms) until the channel closes. */
  void startPings(Duration interval) {
    long periodMs = Math.max(1, interval.toMillis());
    ScheduledFuture<?> pings =
        channel
            .eventLoop()
            .scheduleAtFixedRate(this::ping, periodMs, periodMs, TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(closed -> pings.cancel(false));
  }

  /** Closes the TCP connection without a close frame. */
  void abort() {
    channel.close();
  }

  @Override
  public String toString() {
    return route + " " + channel.remoteAddress() + " " + streams();
  }

  private void ping() {
    byte[] payload = Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII);
    channel.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(payload)));
  }
}
