package dev.lake.exchanges.transport;

import dev.lake.exchanges.MicrosClock;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The network resources connectors share: Netty event loops for WebSockets, a TLS context that
 * checks certificates and host names against the JDK's trust store (or a given one), an HTTP client
 * for REST, a scheduler for polls and timers, and the clock receive times are taken from.
 * Thread-safe; close it after the connectors.
 */
public final class Transport implements AutoCloseable {
  private final EventLoopGroup group;
  private final SslContext ssl;
  private final HttpClient http;
  private final ScheduledExecutorService scheduler;
  private final MicrosClock clock;

  private Transport(int eventLoops, TrustManagerFactory trust, MicrosClock clock) {
    this.group = new MultiThreadIoEventLoopGroup(eventLoops, NioIoHandler.newFactory());
    try {
      SslContextBuilder builder =
          SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
      if (trust != null) {
        builder.trustManager(trust);
      }
      this.ssl = builder.build();
    } catch (SSLException e) {
      group.shutdownGracefully();
      throw new IllegalStateException("Cannot set up TLS: " + e.getMessage(), e);
    }
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.scheduler =
        Executors.newScheduledThreadPool(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "lake-transport-timer");
              thread.setDaemon(true);
              return thread;
            });
    this.clock = clock;
  }

  /** A transport with a number of event loop threads and the JDK's trust store. */
  public static Transport create(int eventLoops) {
    return new Transport(eventLoops, null, MicrosClock.SYSTEM);
  }

  /** A transport trusting the certificates of a trust manager factory (e.g. a corporate CA). */
  public static Transport create(int eventLoops, TrustManagerFactory trust, MicrosClock clock) {
    return new Transport(eventLoops, trust, clock);
  }

  /** The next event loop, round robin; a session stays on the loop it was given. */
  public EventLoop nextEventLoop() {
    return group.next();
  }

  EventLoopGroup group() {
    return group;
  }

  SslContext ssl() {
    return ssl;
  }

  public HttpClient http() {
    return http;
  }

  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  public MicrosClock clock() {
    return clock;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
