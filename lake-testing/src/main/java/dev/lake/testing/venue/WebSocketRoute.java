package dev.lake.testing.venue;

import java.util.Optional;

/**
 * Decides whether a WebSocket upgrade request belongs to an endpoint, and creates the session that
 * serves the connection. Called on the server's event loops.
 */
@FunctionalInterface
public interface WebSocketRoute {
  /**
   * A new session for the connection the request opens, or empty when this endpoint does not serve
   * the request (the next endpoint is asked; when none serves it, it is answered as REST).
   */
  Optional<WebSocketSession> accept(Request upgrade);
}
