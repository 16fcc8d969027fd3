package dev.lake.testing.venue;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake exchange in the test JVM: one Netty server on 127.0.0.1 serving plain HTTP and {@code
 * ws://} on one ephemeral port. A venue fake gives it REST routes, WebSocket endpoints with the
 * venue's session, and the venue's error bodies; a test scripts faults: error answers for the next
 * REST requests of a path ({@link #failNext}), and per connection drop, duplicate, garble, reorder,
 * stall, disconnect or close ({@link WebSocketConnection}).
 *
 * <p>HTTP/1.1 with keep-alive, whole requests up to 1 MiB, WebSocket frames up to 4 MiB and
 * permessage-deflate when the client offers it. Client pings are answered with pongs and close
 * frames echoed; server pings are sent at the interval given to the builder.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class FakeExchangeServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FakeExchangeServer.class);
  private static final String LOOPBACK = "127.0.0.1";
  private static final long AWAIT_POLL_MS = 5;
  private static final int MAX_REQUEST_BYTES = 1 << 20;

  private final String venue;
  private final EventLoopGroup group;
  private final Channel serverChannel;
  private final int port;
  private final RestLog restLog;
  private final Set<WebSocketConnection> connections;
  private final Set<WebSocketConnection> connectionsView;
  private final AtomicBoolean closed = new AtomicBoolean();

  private FakeExchangeServer(
      String venue,
      EventLoopGroup group,
      Channel serverChannel,
      RestLog restLog,
      Set<WebSocketConnection> connections) {
    this.venue = venue;
    this.group = group;
    this.serverChannel = serverChannel;
    this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    this.restLog = restLog;
    this.connections = connections;
    this.connectionsView = Collections.unmodifiableSet(connections);
  }

  /**
   * A builder of a server for a venue.
   *
   * @param venue the venue's name, for logs and messages, e.g. {@code Binance}
   */
  public static Builder builder(String venue) {
    return new Builder(requireNonNull(venue, "venue is null"));
  }

  /** The port the server listens on. */
  public int port() {
    return port;
  }

  /** The REST base URL, {@code http://127.0.0.1:<port>}. */
  public String httpBase() {
    return "http://" + LOOPBACK + ":" + port;
  }

  /** The WebSocket base URL, {@code ws://127.0.0.1:<port>}. */
  public String wsBase() {
    return "ws://" + LOOPBACK + ":" + port;
  }

  /**
   * The open WebSocket connections, in the order they opened: a live view, cheap to iterate (a
   * snapshot per iteration).
   */
  public Collection<WebSocketConnection> connections() {
    return connectionsView;
  }

  /** The open WebSocket connections of an endpoint, in the order they opened. */
  public List<WebSocketConnection> connections(String endpoint) {
    requireNonNull(endpoint, "endpoint is null");
    List<WebSocketConnection> open = new ArrayList<>();
    for (WebSocketConnection connection : connections) {
      if (connection.endpoint().equals(endpoint) && connection.isOpen()) {
        open.add(connection);
      }
    }
    return open;
  }

  /**
   * Makes the next {@code count} REST requests to a path answer {@code status} with the venue's
   * error body, and a {@code Retry-After} header when given. A count of 0 cancels what is left.
   *
   * @param retryAfterSeconds the {@code Retry-After} value, or null for none
   * @throws IllegalArgumentException when the status is not 400 to 599 or the count is negative
   */
  public void failNext(String path, int count, int status, Integer retryAfterSeconds) {
    requireNonNull(path, "path is null");
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("Invalid error status: " + status + " (expected 400-599)");
    }
    if (count < 0) {
      throw new IllegalArgumentException(
          "Invalid request count: " + count + " (expected 0 or more)");
    }
    restLog.failNext(path, count, status, retryAfterSeconds);
  }

  /** The REST requests received for a path (failed ones included), in arrival order. */
  public List<Request> requests(String path) {
    return restLog.requests(requireNonNull(path, "path is null"));
  }

  /**
   * Waits until a condition holds, checking it every few milliseconds.
   *
   * @param what what is awaited, for the message, e.g. {@code subscription to btcusdt@depth}
   * @param state the state to show when it does not hold in time, e.g. the connections
   * @throws IllegalStateException when the condition does not hold within the timeout
   */
  public static void await(
      BooleanSupplier condition, Duration timeout, String what, Supplier<Object> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "Cannot await " + what + ": none within " + timeout + "; " + state.get());
      }
      try {
        Thread.sleep(AWAIT_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Cannot await " + what + ": interrupted", e);
      }
    }
  }

  /** Closes every connection and stops the server; further calls do nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    connections.forEach(WebSocketConnection::disconnect);
    serverChannel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    LOG.info("{} fake on port {} stopped", venue, port);
  }

  @Override
  public String toString() {
    return venue + " fake on " + httpBase();
  }

  /** What a server serves; not thread-safe, used by one thread before {@link #start}. */
  public static final class Builder {
    private final String venue;
    private final List<HttpHandler.Route> routes = new ArrayList<>();
    private final List<HttpHandler.Endpoint> endpoints = new ArrayList<>();
    private RestRoute fallback;
    private FailureAnswer failures;
    private Answer malformed;
    private Duration pingInterval;

    private Builder(String venue) {
      this.venue = venue;
      this.fallback =
          request ->
              Answer.json(
                  404,
                  "{\"error\":\"no route for " + request.method() + " " + request.path() + "\"}");
      this.failures =
          (request, status, retryAfter) ->
              Answer.json(status, "{\"error\":\"scripted failure " + status + "\"}");
      this.malformed = Answer.json(400, "{\"error\":\"malformed request\"}");
    }

    /**
     * Answers requests of a method to a path; {@code {name}} segments match any one segment and
     * show in {@link Request#pathParameters()}. Routes are tried in the order they were added.
     */
    public Builder route(String method, String path, RestRoute route) {
      routes.add(
          new HttpHandler.Route(
              method.toUpperCase(Locale.ROOT),
              new PathTemplate(requireNonNull(path, "path is null")),
              requireNonNull(route, "route is null")));
      return this;
    }

    /** Answers requests no route matches (default: 404 with a JSON error). */
    public Builder fallback(RestRoute route) {
      this.fallback = requireNonNull(route, "route is null");
      return this;
    }

    /** Builds the venue's answer to scripted REST failures (default: a JSON error). */
    public Builder failures(FailureAnswer answer) {
      this.failures = requireNonNull(answer, "answer is null");
      return this;
    }

    /** The answer to a request HTTP cannot decode (default: 400 with a JSON error). */
    public Builder malformed(Answer answer) {
      this.malformed = requireNonNull(answer, "answer is null");
      return this;
    }

    /**
     * A WebSocket endpoint: upgrade requests the route accepts become connections named by {@code
     * endpoint} (several routes may share a name). Endpoints are asked in the order they were
     * added.
     */
    public Builder webSocket(String endpoint, WebSocketRoute route) {
      endpoints.add(
          new HttpHandler.Endpoint(
              requireNonNull(endpoint, "endpoint is null"),
              requireNonNull(route, "route is null")));
      return this;
    }

    /**
     * Pings each WebSocket connection at an interval (the payload is the time in ms); default none,
     * as on venues where the client pings.
     *
     * @throws IllegalArgumentException when the interval is not positive
     */
    public Builder pingEvery(Duration interval) {
      requireNonNull(interval, "interval is null");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("Invalid ping interval: " + interval);
      }
      this.pingInterval = interval;
      return this;
    }

    /** Starts the server on 127.0.0.1 and an ephemeral port. */
    public FakeExchangeServer start() {
      RestLog restLog = new RestLog();
      Set<WebSocketConnection> connections = new CopyOnWriteArraySet<>();
      HttpHandler.Config config =
          new HttpHandler.Config(
              venue,
              List.copyOf(routes),
              fallback,
              failures,
              malformed,
              List.copyOf(endpoints),
              pingInterval,
              restLog,
              connections);
      EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
      try {
        Channel channel =
            new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(initializer(config))
                .bind(LOOPBACK, 0)
                .sync()
                .channel();
        FakeExchangeServer server =
            new FakeExchangeServer(venue, group, channel, restLog, connections);
        LOG.info("{} fake listening on {}", venue, server.httpBase());
        return server;
      } catch (InterruptedException e) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Cannot start the " + venue + " fake: interrupted", e);
      } catch (RuntimeException e) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        throw e;
      }
    }

    private static ChannelInitializer<SocketChannel> initializer(HttpHandler.Config config) {
      return new ChannelInitializer<>() {
        @Override
        protected void initChannel(SocketChannel channel) {
          channel
              .pipeline()
              .addLast("http", new HttpServerCodec())
              .addLast("http-aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES))
              .addLast(
                  "ws-deflate", new WebSocketServerCompressionHandler(HttpHandler.MAX_FRAME_BYTES))
              .addLast("request", new HttpHandler(config));
        }
      };
    }
  }
}
