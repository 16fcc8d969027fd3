package dev.lake.testing.venue;

/**
 * A venue's side of one WebSocket connection: its per-connection state (subscriptions, sequence
 * numbers) and its dialogue (subscribe, acknowledge, keepalive). One instance per connection; the
 * server calls it on the connection's event loop only, so it needs no locks for state that only
 * these calls touch. Protocol-level pings, pongs and close frames are handled by the server.
 */
public interface WebSocketSession {
  /** The handshake is done; a venue that greets its clients (KuCoin's welcome) sends it here. */
  default void opened(WebSocketConnection connection) {}

  /** A whole text message from the client. */
  void received(WebSocketConnection connection, String text);

  /** A pong frame from the client (an answer to a server ping). */
  default void ponged(WebSocketConnection connection) {}

  /** The connection is closed, by either side. */
  default void closed(WebSocketConnection connection) {}
}
