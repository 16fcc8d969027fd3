package dev.lake.exchanges.transport;

import io.netty.buffer.ByteBuf;

/**
 * Receives what happens on a {@link WebSocketSession}. Every call comes on the session's event
 * loop, one at a time, so a listener may keep unsynchronised state for its session.
 */
public interface WebSocketListener {
  /** A connection is open (handshake done): send subscriptions here. */
  void onOpen(WebSocketSession session, String connectionId);

  /**
   * A text message arrived.
   *
   * @param content the UTF-8 payload, valid only during the call
   * @param receivedMicros when its bytes arrived from the network, epoch microseconds
   * @param connectionId the connection it came on (two overlap while one is renewed)
   */
  void onMessage(ByteBuf content, long receivedMicros, String connectionId);

  /**
   * A connection that had opened ({@link #onOpen} was called for it) ended; {@code reconnecting}
   * says whether the session will connect again.
   */
  void onClose(String connectionId, String reason, boolean reconnecting);

  /**
   * An attempt to connect failed before the connection opened: the host did not resolve, refused
   * the connection, or failed the TLS or WebSocket handshake. No connection existed, so nothing was
   * received or lost by it, and {@link #onClose} is not called. The session tries again with
   * back-off (and logs the failure) unless it is closed.
   *
   * @param reason in plain words, e.g. {@code cannot resolve host stream.binance.com}
   */
  default void onConnectFailed(String reason) {}
}
