package dev.lake.testing.binance;

import dev.lake.testing.venue.WebSocketConnection;
import dev.lake.testing.venue.WebSocketSession;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Binance's side of one client WebSocket connection: its route, whether it gets combined-stream
 * envelopes, and the streams it is subscribed to; it answers the client's requests. Thread-safe:
 * subscriptions change on the connection's event loop while publishers read them from other
 * threads.
 */
final class StreamConnection implements WebSocketSession {
  private final StreamRoute route;
  private final StreamHub hub;
  private final Set<String> streams = new LinkedHashSet<>();
  private volatile boolean combined;
  private volatile WebSocketConnection connection;

  StreamConnection(StreamPath path, StreamHub hub) {
    this.route = path.route();
    this.hub = hub;
    this.combined = path.combined();
    this.streams.addAll(path.streams());
  }

  @Override
  public void opened(WebSocketConnection connection) {
    this.connection = connection;
  }

  @Override
  public void received(WebSocketConnection connection, String text) {
    StreamRequests.Reply reply = StreamRequests.answer(this, text);
    connection.send(reply.text());
    if (reply.close()) {
      connection.disconnectAfterSent();
    }
  }

  @Override
  public void ponged(WebSocketConnection connection) {
    hub.pong(route.market());
  }

  StreamRoute route() {
    return route;
  }

  /** The server's connection; set before the connection is visible to publishers. */
  WebSocketConnection connection() {
    return connection;
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
        connection.send(combined ? StreamMessages.combined(stream, payload) : payload);
      }
    }
  }

  @Override
  public String toString() {
    return route + " " + streams();
  }
}
