package dev.lake.testing.binance;

import dev.lake.core.model.MarketType;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every connection: answers REST requests, or turns a WebSocket upgrade on a
 * stream path into a {@link StreamConnection} and hands the channel to a {@link StreamHandler}. Not
 * shared: one per connection.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpRequestHandler.class);
  static final int MAX_FRAME_BYTES = 4 << 20;
  private static final String JSON_TYPE = "application/json;charset=UTF-8";
  private static final WebSocketDecoderConfig DECODER_CONFIG =
      WebSocketDecoderConfig.newBuilder()
          .maxFramePayloadLength(MAX_FRAME_BYTES)
          .allowExtensions(true)
          .build();

  private final RestApi api;
  private final RestCounters counters;
  private final StreamHub hub;

  HttpRequestHandler(RestApi api, RestCounters counters, StreamHub hub) {
    this.api = api;
    this.counters = counters;
    this.hub = hub;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      RestResponse bad = RestResponse.error(400, -1000, "Malformed request.", 0);
      write(ctx, request, bad, MarketType.SPOT, 0);
      return;
    }
    Optional<StreamPath> streamPath = StreamPath.parse(request.uri());
    if (isWebSocketUpgrade(request.headers()) && streamPath.isPresent()) {
      upgrade(ctx, request, streamPath.get());
    } else {
      serve(ctx, request);
    }
  }

  private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    String path = query.path();
    counters.received(path, query.parameters());
    long now = System.currentTimeMillis();
    MarketType market = RestApi.market(path);
    RestResponse response =
        counters
            .takeFailure(path)
            .map(failure -> Failures.response(failure, market, now))
            .orElseGet(
                () ->
                    HttpMethod.GET.equals(request.method())
                        ? api.get(path, query.parameters(), now)
                        : RestResponse.notFound(path, request.method().name()));
    long usedWeight = counters.addWeight(market, response.weight(), now);
    write(ctx, request, response, market, usedWeight);
  }

  private static void write(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      RestResponse response,
      MarketType market,
      long usedWeight) {
    FullHttpResponse http =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(response.status()),
            Unpooled.copiedBuffer(response.body(), StandardCharsets.UTF_8));
    HttpHeaders headers = http.headers();
    headers.set(HttpHeaderNames.CONTENT_TYPE, JSON_TYPE);
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, http.content().readableBytes());
    headers.set("X-MBX-USED-WEIGHT-1M", usedWeight);
    if (market == MarketType.SPOT) {
      headers.set("X-MBX-USED-WEIGHT", usedWeight);
    }
    if (response.retryAfterSeconds() != null) {
      headers.set(HttpHeaderNames.RETRY_AFTER, response.retryAfterSeconds());
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (keepAlive && request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    ChannelFuture written = ctx.writeAndFlush(http);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, StreamPath path) {
    String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "127.0.0.1") + request.uri();
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(url, null, DECODER_CONFIG).newHandshaker(request);
    Channel channel = ctx.channel();
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
      return;
    }
    StreamConnection connection = new StreamConnection(channel, path);
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.addAfter(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(MAX_FRAME_BYTES));
    pipeline.addAfter("ws-aggregator", "ws-stream", new StreamHandler(connection, handshaker, hub));
    pipeline.remove(this);
    handshaker
        .handshake(channel, request)
        .addListener(
            (ChannelFutureListener)
                done -> {
                  if (done.isSuccess()) {
                    hub.register(connection);
                  } else {
                    done.channel().close();
                  }
                });
  }

  private static boolean isWebSocketUpgrade(HttpHeaders headers) {
    return headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("Binance fake: closing HTTP connection {} after an error", ctx.channel(), cause);
    ctx.close();
  }
}
