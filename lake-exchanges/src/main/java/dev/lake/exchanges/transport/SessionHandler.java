package dev.lake.exchanges.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;

/**
 * The last handler of a session's pipeline: turns the handshake, idle, frame, error and close
 * events of one connection into calls on that connection, and closes the channel on a handshake
 * timeout, an idle timeout or an error. Frames other than text (pongs, binary) are dropped.
 */
final class SessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  /** What one connection hears from its pipeline, on its event loop. */
  interface Events {
    /** The WebSocket handshake completed. */
    void opened();

    /** A whole text message; the buffer is released when the call returns. */
    void text(ByteBuf content);

    /** The channel is being closed by lake for this reason (replacing an earlier reason). */
    void closing(String reason);

    /** An error closes the channel; it is the reason unless one was given before. */
    void failed(Throwable cause);

    /** The channel is closed. */
    void inactive();
  }

  private final Events events;
  private final Duration idleTimeout;

  SessionHandler(Events events, Duration idleTimeout) {
    this.events = events;
    this.idleTimeout = idleTimeout;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      events.opened();
    } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      events.closing("handshake timed out");
      ctx.close();
    } else if (event instanceof IdleStateEvent) {
      long idle = idleTimeout.toMillis();
      events.closing("no data for " + (idle % 1000 == 0 ? idle / 1000 + " s" : idle + " ms"));
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame) {
      events.text(frame.content());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    events.inactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    events.failed(cause);
    ctx.close();
  }
}
