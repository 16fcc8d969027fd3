package dev.lake.testing.binance;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;

/**
 * The pipeline of each accepted connection: HTTP/1.1, whole requests, permessage-deflate when the
 * client offers it, then {@link HttpRequestHandler}. Shared by all connections (stateless).
 */
final class ServerInitializer extends ChannelInitializer<SocketChannel> {
  private static final int MAX_REQUEST_BYTES = 1 << 20;

  private final RestApi api;
  private final RestCounters counters;
  private final StreamHub hub;

  ServerInitializer(RestApi api, RestCounters counters, StreamHub hub) {
    this.api = api;
    this.counters = counters;
    this.hub = hub;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    channel
        .pipeline()
        .addLast("http", new HttpServerCodec())
        .addLast("http-aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES))
        .addLast(
            "ws-deflate", new WebSocketServerCompressionHandler(HttpRequestHandler.MAX_FRAME_BYTES))
        .addLast("request", new HttpRequestHandler(api, counters, hub));
  }
}
