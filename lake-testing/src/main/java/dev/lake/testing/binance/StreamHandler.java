package dev.lake.testing.binance;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames of one WebSocket connection after the handshake: requests are answered, pings answered
 * with pongs, pongs counted, a close frame echoed. Not shared: one per connection, used on its
 * event loop only.
 */
final class StreamHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger LOG = LoggerFactory.getLogger(StreamHandler.class);

  private final StreamConnection connection;
  private final WebSocketServerHandshaker handshaker;
  private final StreamHub hub;

  StreamHandler(StreamConnection connection, WebSocketServerHandshaker handshaker, StreamHub hub) {
    this.connection = connection;
    this.handshaker = handshaker;
    this.hub = hub;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame) {
      answer(ctx, ((TextWebSocketFrame) frame).text());
    } else if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof PongWebSocketFrame) {
      hub.pong(connection);
    } else if (frame instanceof CloseWebSocketFrame) {
      handshaker.close(ctx.channel(), (CloseWebSocketFrame) frame.retain());
    }
  }

  private void answer(ChannelHandlerContext ctx, String text) {
    StreamRequests.Reply reply = StreamRequests.answer(connection, text);
    ChannelFuture written = ctx.writeAndFlush(new TextWebSocketFrame(reply.text()));
    if (reply.close()) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    hub.unregister(connection);
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("Binance fake: closing connection {} after an error", connection, cause);
    ctx.close();
  }
}
