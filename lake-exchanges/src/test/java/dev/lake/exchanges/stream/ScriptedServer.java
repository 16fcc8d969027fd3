package dev.lake.exchanges.stream;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket server on loopback that records every text frame a client sends (with the connection
 * it came on and when), answers {@code ping} with {@code pong}, and lets a test send frames or cut
 * connections. Speaks no venue's protocol: the stream layer's limits are checked on what it saw.
 */
final class ScriptedServer implements AutoCloseable {
  /** A frame a client sent: its text, its connection (0 for the first) and arrival in ms. */
  record Received(String text, int connection, long atMillis) {}

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  final List<Received> received = new CopyOnWriteArrayList<>();
  final List<Channel> connections = new CopyOnWriteArrayList<>();
  private final java.util.Map<Channel, Integer> numbers =
      new java.util.concurrent.ConcurrentHashMap<>();

  ScriptedServer() throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel
                        .pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(65536))
                        .addLast(new WebSocketServerProtocolHandler("/ws"))
                        .addLast(new Recorder());
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  URI url() {
    return URI.create(
        "ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/ws");
  }

  /** The texts received that start with a prefix, in arrival order. */
  List<Received> starting(String prefix) {
    return received.stream().filter(r -> r.text().startsWith(prefix)).toList();
  }

  /** Sends a text to every open connection. */
  void sendAll(String text) {
    connections.forEach(c -> c.writeAndFlush(new TextWebSocketFrame(text)));
  }

  /** Closes every connection abruptly. */
  void dropAll() {
    connections.forEach(Channel::close);
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Recorder extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        numbers.put(ctx.channel(), numbers.size());
        connections.add(ctx.channel());
      }
      ctx.fireUserEventTriggered(event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      String text = frame.text();
      received.add(
          new Received(text, numbers.getOrDefault(ctx.channel(), -1), System.currentTimeMillis()));
      if (text.equals("ping")) {
        ctx.writeAndFlush(new TextWebSocketFrame("pong"));
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      connections.remove(ctx.channel());
      ctx.fireChannelInactive();
    }
  }
}
