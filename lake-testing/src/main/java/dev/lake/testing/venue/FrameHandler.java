package dev.lake.testing.venue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames of one WebSocket connection after the handshake: text goes to the venue's session,
 * pings are answered with pongs (not while stalled), pongs counted, a close frame echoed. Not
 * shared: one per connection, used on its event loop only.
 */
final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger LOG = LoggerFactory.getLogger(FrameHandler.class);

  private final WebSocketConnection connection;
  private final WebSocketServerHandshaker handshaker;
  private final Set<WebSocketConnection> connections;

  FrameHandler(
      WebSocketConnection connection,
      WebSocketServerHandshaker handshaker,
      Set<WebSocketConnection> connections) {
    this.connection = connection;
    this.handshaker = handshaker;
    this.connections = connections;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      connection.session().received(connection, text.text());
    } else if (frame instanceof PingWebSocketFrame) {
      if (!connection.stalled()) {
        ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
      }
    } else if (frame instanceof PongWebSocketFrame) {
      connection.ponged();
      connection.session().ponged(connection);
    } else if (frame instanceof CloseWebSocketFrame) {
      handshaker.close(ctx.channel(), (CloseWebSocketFrame) frame.retain());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (connections.remove(connection)) {
      LOG.debug("Fake exchange: connection closed: {}", connection);
      connection.session().closed(connection);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("Fake exchange: closing connection {} after an error", connection, cause);
    ctx.close();
  }
}
