package dev.lake.exchanges.transport;

import static java.util.Objects.requireNonNull;

import dev.lake.exchanges.FailureLog;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket connection to one URL that keeps itself up: TLS with certificate and host name checks
 * for {@code wss://}, permessage-deflate when the server offers it, pongs to the server's pings,
 * frames of up to {@link Options#maxFrameBytes()}, reconnection with jittered exponential back-off,
 * a reader-idle timeout, and renewal before the venue's connection lifetime ends: a new connection
 * is opened (and subscribed by the listener) before the old one is closed, so that renewal loses
 * nothing.
 *
 * <p>Where a venue hands out its endpoint per connection (KuCoin's token), the session is given a
 * connect step instead of a URL: it is called before every attempt, and its failure is a failed
 * attempt, retried with back-off like one that could not reach the host.
 *
 * <p>The session lives on one event loop; the listener is called there. {@link #send}, {@link
 * #setReading} and {@link #close} may be called from any thread.
 */
public final class WebSocketSession {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketSession.class);
  private static final AtomicInteger CONNECTION_IDS = new AtomicInteger();

  /**
   * Connection settings.
   *
   * @param name for logs
   * @param idleTimeout close and reconnect after this long without any frame
   * @param maxLifetime renew the connection after this long (Binance closes at 24 h)
   * @param renewalOverlap how long old and new connections overlap on renewal
   * @param initialBackoff first reconnect delay
   * @param maxBackoff longest reconnect delay
   * @param maxFrameBytes largest message accepted
   */
  public record Options(
      String name,
      Duration idleTimeout,
      Duration maxLifetime,
      Duration renewalOverlap,
      Duration initialBackoff,
      Duration maxBackoff,
      int maxFrameBytes) {
    public Options {
      requireNonNull(name, "name is null");
    }

    /**
     * Defaults: idle 60 s, renewal at 23 h with 10 s overlap, back-off 0.5 s to 60 s, 64 MiB
     * frames.
     */
    public static Options defaults(String name) {
      return new Options(
          name,
          Duration.ofSeconds(60),
          Duration.ofHours(23),
          Duration.ofSeconds(10),
          Duration.ofMillis(500),
          Duration.ofSeconds(60),
          64 * 1024 * 1024);
    }

    public Options withIdleTimeout(Duration value) {
      return new Options(
          name, value, maxLifetime, renewalOverlap, initialBackoff, maxBackoff, maxFrameBytes);
    }

    public Options withMaxLifetime(Duration value, Duration overlap) {
      return new Options(
          name, idleTimeout, value, overlap, initialBackoff, maxBackoff, maxFrameBytes);
    }

    public Options withBackoff(Duration initial, Duration max) {
      return new Options(
          name, idleTimeout, maxLifetime, renewalOverlap, initial, max, maxFrameBytes);
    }
  }

  private final Transport transport;
  private final URI configured;
  private final Supplier<? extends CompletionStage<URI>> endpoint;
  private final WebSocketListener listener;
  private final Options options;
  private final EventLoop loop;
  private final FailureLog failures = new FailureLog(LOG);
  private final AtomicLong failedAttempts = new AtomicLong();
  // connections opened and not closed: written on the event loop when one opens or closes, read by
  // metrics from any thread (the list below may not be read off the event loop)
  private final AtomicInteger openedConnections = new AtomicInteger();

  // confined to the event loop
  private final List<Connection> open = new ArrayList<>();
  private boolean closed;
  private boolean connecting;
  private boolean reading = true;
  private final Reconnects reconnects;
  private URI uri;
  private String host;
  private int port;
  private boolean secure;

  private final class Connection implements SessionHandler.Events {
    final String id = "ws-" + CONNECTION_IDS.incrementAndGet();
    Channel channel;
    String closeReason;
    boolean retiring;
    boolean opened;
    long lastReadMicros;
    // The receive time given to the last text frame: frames decoded from one read get successive
    // microseconds, so receive order is exact from local_timestamp alone (BookReplay's rule), even
    // where ids go down (OKX after maintenance) and cannot break a tie.
    long lastFrameMicros;

    @Override
    public void opened() {
      onHandshake(this);
    }

    @Override
    public void text(ByteBuf content) {
      reconnects.reset();
      long received = Math.max(lastReadMicros, lastFrameMicros + 1);
      lastFrameMicros = received;
      listener.onMessage(content, received, id);
    }

    @Override
    public void closing(String reason) {
      closeReason = reason;
    }

    @Override
    public void failed(Throwable cause) {
      if (closeReason == null) {
        closeReason = NetworkErrors.describe(cause, host, port);
      }
    }

    @Override
    public void inactive() {
      onInactive(this);
    }
  }

  /**
   * A session to a fixed URL.
   *
   * @throws IllegalArgumentException when the URL is not {@code ws://} or {@code wss://}
   */
  public WebSocketSession(
      Transport transport, URI uri, WebSocketListener listener, Options options) {
    this(transport, uri, () -> CompletableFuture.completedFuture(uri), listener, options);
  }

  /**
   * A session whose URL comes from a connect step run before every attempt (e.g. a token request).
   * A step that fails, or answers a URL that is not {@code ws://} or {@code wss://}, is a failed
   * attempt: reported to {@link WebSocketListener#onConnectFailed} and retried with back-off.
   *
   * @param configured the URL as configured, for logs until the first step answers
   */
  public WebSocketSession(
      Transport transport,
      URI configured,
      Supplier<? extends CompletionStage<URI>> endpoint,
      WebSocketListener listener,
      Options options) {
    this.transport = requireNonNull(transport, "transport is null");
    this.configured = requireNonNull(configured, "configured is null");
    this.endpoint = requireNonNull(endpoint, "endpoint is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.options = requireNonNull(options, "options is null");
    this.loop = transport.nextEventLoop();
    String problem = checkUrl(configured);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    target(configured);
    this.reconnects = new Reconnects(options.initialBackoff(), options.maxBackoff());
  }

  private static String checkUrl(URI uri) {
    String scheme = uri.getScheme();
    if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
      return "Invalid WebSocket URL: " + uri + " (expected ws:// or wss://)";
    }
    return null;
  }

  private void target(URI value) {
    this.uri = value;
    this.secure = "wss".equals(value.getScheme());
    this.host = value.getHost();
    this.port = value.getPort() > 0 ? value.getPort() : secure ? 443 : 80;
  }

  /**
   * The URL connected to, for logs: without its query, which may carry a secret the connect step
   * handed out (KuCoin's token).
   */
  private String shown() {
    URI current = uri;
    return current.getRawQuery() == null
        ? current.toString()
        : current.toString().substring(0, current.toString().indexOf('?'));
  }

  /** The URL as configured. */
  public URI uri() {
    return configured;
  }

  /** The event loop the listener is called on. */
  public EventLoop eventLoop() {
    return loop;
  }

  /** Starts connecting. */
  public void start() {
    loop.execute(this::connect);
  }

  /** Sends a text message on the newest open connection; dropped (and logged) when none is open. */
  public void send(String text) {
    loop.execute(
        () -> {
          Connection newest = newestOpen();
          if (newest == null) {
            LOG.debug(
                "{}: not connected, a message of {} characters not sent",
                options.name(),
                text.length());
            return;
          }
          newest.channel.writeAndFlush(new TextWebSocketFrame(text));
        });
  }

  /**
   * Sends a text message on one connection (a keepalive, or a subscription for that connection);
   * dropped when it is no longer open.
   */
  public void send(String connectionId, String text) {
    loop.execute(
        () -> {
          for (Connection connection : open) {
            if (connection.id.equals(connectionId)
                && connection.opened
                && connection.channel.isActive()) {
              connection.channel.writeAndFlush(new TextWebSocketFrame(text));
              return;
            }
          }
          LOG.debug(
              "{}: {} is not open, a message of {} characters not sent",
              options.name(),
              connectionId,
              text.length());
        });
  }

  /**
   * Stops or resumes reading from the sockets (back-pressure); frames already read still arrive.
   */
  public void setReading(boolean value) {
    loop.execute(
        () -> {
          reading = value;
          for (Connection connection : open) {
            connection.channel.config().setAutoRead(value);
          }
        });
  }

  /** Closes every connection and stops reconnecting. */
  public void close() {
    loop.execute(
        () -> {
          closed = true;
          for (Connection connection : List.copyOf(open)) {
            connection.closeReason = "closed by lake";
            connection.channel.close();
          }
        });
  }

  /** Attempts to connect that failed before the connection opened, since the session started. */
  public long failedAttempts() {
    return failedAttempts.get();
  }

  /** Connections open now (two during a renewal); safe to call from any thread. */
  public int openConnections() {
    return openedConnections.get();
  }

  private Connection newestOpen() {
    for (int i = open.size() - 1; i >= 0; i--) {
      if (open.get(i).opened && open.get(i).channel.isActive()) {
        return open.get(i);
      }
    }
    return null;
  }

  private void connect() {
    if (closed || connecting) {
      return;
    }
    connecting = true;
    CompletionStage<URI> step;
    try {
      step = endpoint.get();
    } catch (RuntimeException e) {
      step = CompletableFuture.failedFuture(e);
    }
    step.whenComplete((url, error) -> loop.execute(() -> connectTo(url, error)));
  }

  private void connectTo(URI url, Throwable error) {
    if (error != null || url == null) {
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      connectFailed(
          "connect step failed: "
              + (cause == null ? "it answered no URL" : String.valueOf(cause.getMessage())));
      return;
    }
    String problem = checkUrl(url);
    if (problem != null) {
      connectFailed("connect step failed: " + problem);
      return;
    }
    if (closed) {
      connecting = false;
      return;
    }
    target(url);
    Connection connection = new Connection();
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    pipeline(channel, connection);
                  }
                });
    transport.firstContact().attempting(host);
    ChannelFuture future = bootstrap.connect(host, port);
    connection.channel = future.channel();
    open.add(connection);
    future.addListener(
        done -> {
          if (!done.isSuccess()) {
            open.remove(connection);
            connectFailed(NetworkErrors.describe(done.cause(), host, port));
          }
        });
  }

  private void pipeline(SocketChannel channel, Connection connection) {
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast(
        "receive-time", new ReceiveTime(transport.clock(), at -> connection.lastReadMicros = at));
    if (secure) {
      SslHandler ssl = transport.ssl().newHandler(channel.alloc(), host, port);
      SSLEngine engine = ssl.engine();
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(parameters);
      pipeline.addLast("tls", ssl);
    }
    addWebSocket(pipeline, uri, options, new SessionHandler(connection, options.idleTimeout()));
  }

  /**
   * The handlers of a connection after TLS: the HTTP upgrade, permessage-deflate, pongs to pings,
   * close frames, frames of up to {@link Options#maxFrameBytes()} assembled from their
   * continuations, the idle timeout, then the session's own handler.
   */
  static void addWebSocket(
      ChannelPipeline pipeline, URI uri, Options options, SessionHandler session) {
    pipeline.addLast("http", new HttpClientCodec());
    pipeline.addLast("http-aggregator", new HttpObjectAggregator(1024 * 1024));
    pipeline.addLast("deflate", new WebSocketClientCompressionHandler(options.maxFrameBytes()));
    pipeline.addLast(
        "websocket",
        new WebSocketClientProtocolHandler(
            WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .allowExtensions(true)
                .customHeaders(new DefaultHttpHeaders())
                .maxFramePayloadLength(options.maxFrameBytes())
                .handshakeTimeoutMillis(15_000)
                .dropPongFrames(true)
                .handleCloseFrames(true)
                .build()));
    pipeline.addLast("frame-aggregator", new WebSocketFrameAggregator(options.maxFrameBytes()));
    pipeline.addLast(
        "idle",
        new IdleStateHandler(options.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    pipeline.addLast("session", session);
  }

  private void onHandshake(Connection connection) {
    connecting = false;
    connection.opened = true;
    if (open.contains(connection)) {
      openedConnections.incrementAndGet();
    }
    connection.channel.config().setAutoRead(reading);
    LOG.debug("{}: connected {} to {}", options.name(), connection.id, shown());
    transport.firstContact().reached();
    failures.succeeded(options.name());
    listener.onOpen(this, connection.id);
    for (Connection other : open) {
      if (other != connection && other.retiring) {
        loop.schedule(
            () -> {
              other.closeReason = "renewed before the venue's connection lifetime";
              other.channel.close();
            },
            options.renewalOverlap().toMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
    loop.schedule(() -> renew(connection), options.maxLifetime().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void renew(Connection connection) {
    if (closed || !connection.channel.isActive() || connection.retiring) {
      return;
    }
    LOG.info(
        "{}: renewing connection {} before the venue's lifetime limit",
        options.name(),
        connection.id);
    connection.retiring = true;
    connect();
  }

  private void onInactive(Connection connection) {
    boolean listed = open.remove(connection);
    String reason =
        connection.closeReason != null ? connection.closeReason : "closed by the server";
    if (!connection.opened) {
      connectFailed(reason);
      return;
    }
    if (listed) {
      openedConnections.decrementAndGet();
    }
    boolean reconnect = Reconnects.afterClose(closed, newestOpen() != null);
    listener.onClose(connection.id, reason, reconnect);
    if (reconnect) {
      scheduleReconnect(
          "connection " + connection.id + " to " + shown() + " closed (" + reason + ")");
    }
  }

  /**
   * An attempt that never opened (name resolution, TCP, TLS or the WebSocket handshake failed):
   * nothing was connected, so the listener hears of a failed attempt, not of a close. It is tried
   * again, also when an older connection being renewed is still open.
   */
  private void connectFailed(String reason) {
    connecting = false;
    if (closed) {
      LOG.debug("{}: connection attempt to {} ended by close: {}", options.name(), shown(), reason);
      return;
    }
    failedAttempts.incrementAndGet();
    listener.onConnectFailed(reason);
    scheduleReconnect("cannot connect to " + shown() + ": " + reason);
  }

  private void scheduleReconnect(String what) {
    if (closed) {
      return;
    }
    long delay = reconnects.nextDelayMillis();
    failures.failed(options.name(), options.name() + ": " + what + "; retrying with back-off");
    LOG.debug("{}: reconnecting in {} ms", options.name(), delay);
    loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }
}
