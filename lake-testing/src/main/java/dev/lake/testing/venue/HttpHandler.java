package dev.lake.testing.venue;

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
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every connection: answers REST requests (scripted failure, route, fallback),
 * or turns a WebSocket upgrade an endpoint accepts into a {@link WebSocketConnection} served by a
 * {@link FrameHandler}. Not shared: one per connection.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final int MAX_FRAME_BYTES = 4 << 20;
  private static final Logger LOG = LoggerFactory.getLogger(HttpHandler.class);
  private static final WebSocketDecoderConfig DECODER_CONFIG =
      WebSocketDecoderConfig.newBuilder()
          .maxFramePayloadLength(MAX_FRAME_BYTES)
          .allowExtensions(true)
          .build();

  /** A REST route: method, path template, handler. */
  record Route(String method, PathTemplate path, RestRoute route) {}

  /** A named WebSocket endpoint. */
  record Endpoint(String name, WebSocketRoute route) {}

  /** What every connection of one server shares. */
  record Config(
      String venue,
      List<Route> routes,
      RestRoute fallback,
      FailureAnswer failures,
      Answer malformed,
      List<Endpoint> endpoints,
      Duration pingInterval,
      RestLog restLog,
      Set<WebSocketConnection> connections) {}

  private final Config config;

  HttpHandler(Config config) {
    this.config = config;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest http) {
    if (!http.decoderResult().isSuccess()) {
      write(ctx, http, config.malformed());
      return;
    }
    Request request = request(http);
    if (isWebSocketUpgrade(http.headers())) {
      for (Endpoint endpoint : config.endpoints()) {
        Optional<WebSocketSession> session = endpoint.route().accept(request);
        if (session.isPresent()) {
          upgrade(ctx, http, new Upgrade(endpoint.name(), request, session.get()));
          return;
        }
      }
    }
    write(ctx, http, serve(request));
  }

  private Answer serve(Request request) {
    config.restLog().received(request);
    Optional<RestLog.ScriptedFailure> failure = config.restLog().takeFailure(request.path());
    if (failure.isPresent()) {
      return failed(request, failure.get());
    }
    try {
      for (Route route : config.routes()) {
        if (route.method().equals(request.method())) {
          Optional<Map<String, String>> values = route.path().match(request.path());
          if (values.isPresent()) {
            return route.route().answer(request.withPathParameters(values.get()));
          }
        }
      }
      return config.fallback().answer(request);
    } catch (RuntimeException e) {
      LOG.warn(
          "{} fake: route failed on {} {}", config.venue(), request.method(), request.uri(), e);
      return Answer.json(500, "{\"error\":\"fake route failed: " + e + "\"}");
    }
  }

  private Answer failed(Request request, RestLog.ScriptedFailure failure) {
    Integer retryAfter = failure.retryAfterSeconds();
    Answer answer = config.failures().answer(request, failure.status(), retryAfter);
    boolean hasRetryAfter =
        answer.headers().keySet().stream()
            .anyMatch(name -> name.equalsIgnoreCase(HttpHeaderNames.RETRY_AFTER.toString()));
    return retryAfter == null || hasRetryAfter
        ? answer
        : answer.withHeader(HttpHeaderNames.RETRY_AFTER.toString(), retryAfter);
  }

  private static Request request(FullHttpRequest http) {
    QueryStringDecoder query = new QueryStringDecoder(http.uri());
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : http.headers()) {
      headers
          .computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
          .add(header.getValue());
    }
    return new Request(
        http.method().name(),
        http.uri(),
        query.path(),
        query.parameters(),
        Map.of(),
        headers,
        http.content().toString(StandardCharsets.UTF_8));
  }

  private static void write(ChannelHandlerContext ctx, FullHttpRequest request, Answer answer) {
    FullHttpResponse http =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()),
            Unpooled.copiedBuffer(answer.body(), StandardCharsets.UTF_8));
    HttpHeaders headers = http.headers();
    headers.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, http.content().readableBytes());
    answer.headers().forEach(headers::set);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (keepAlive && request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    ChannelFuture written = ctx.writeAndFlush(http);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** An upgrade an endpoint accepted: its name, the request and the venue's session. */
  private record Upgrade(String endpoint, Request request, WebSocketSession session) {}

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest http, Upgrade upgrade) {
    String url = "ws://" + http.headers().get(HttpHeaderNames.HOST, "127.0.0.1") + http.uri();
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(url, null, DECODER_CONFIG).newHandshaker(http);
    Channel channel = ctx.channel();
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
      return;
    }
    WebSocketConnection connection =
        new WebSocketConnection(channel, upgrade.endpoint(), upgrade.request(), upgrade.session());
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.addAfter(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(MAX_FRAME_BYTES));
    pipeline.addAfter(
        "ws-aggregator",
        "ws-frames",
        new FrameHandler(connection, handshaker, config.connections()));
    pipeline.remove(this);
    handshaker
        .handshake(channel, http)
        .addListener(
            (ChannelFutureListener)
                done -> {
                  if (done.isSuccess()) {
                    opened(connection, done.channel());
                  } else {
                    done.channel().close();
                  }
                });
  }

  private void opened(WebSocketConnection connection, Channel channel) {
    // The session first, so that no publisher finds a connection whose session is not ready.
    connection.session().opened(connection);
    config.connections().add(connection);
    LOG.debug("{} fake: connection opened: {}", config.venue(), connection);
    Duration interval = config.pingInterval();
    if (interval != null) {
      long periodMs = Math.max(1, interval.toMillis());
      ScheduledFuture<?> pings =
          channel
              .eventLoop()
              .scheduleAtFixedRate(connection::ping, periodMs, periodMs, TimeUnit.MILLISECONDS);
      channel.closeFuture().addListener(closed -> pings.cancel(false));
    }
  }

  private static boolean isWebSocketUpgrade(HttpHeaders headers) {
    return headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("{} fake: closing HTTP connection {} after an error", config.venue(), ctx, cause);
    ctx.close();
  }
}
