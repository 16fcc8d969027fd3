package dev.lake.exchanges.transport;

import static java.util.Objects.requireNonNull;

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
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network resources connectors share: Netty event loops for WebSockets, a TLS context that
 * checks certificates and host names against the JDK's trust store (or a given one), an HTTP client
 * for REST, a scheduler for polls and timers, and the clock receive times are taken from. When no
 * venue has answered a minute after the first connection attempt, it logs that once, naming the
 * hosts tried. Thread-safe; close it after the connectors.
 */
public final class Transport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
  private static final Duration NO_CONTACT_WARNING = Duration.ofMinutes(1);

  private final EventLoopGroup group;
  private final SslContext ssl;
  private final HttpClient http;
  private final ScheduledExecutorService scheduler;
  private final MicrosClock clock;
  private final FirstContact firstContact;

  private Transport(
      int eventLoops,
      TrustManagerFactory trust,
      MicrosClock clock,
      Duration noContactWarning,
      Consumer<String> notice) {
    requireNonNull(notice, "notice is null");
    if (noContactWarning.isNegative() || noContactWarning.isZero()) {
      throw new IllegalArgumentException(
          "Invalid no-contact warning delay: " + noContactWarning + " (expected more than 0)");
    }
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
    this.firstContact = new FirstContact(scheduler, noContactWarning, notice);
  }

  /** A transport with a number of event loop threads and the JDK's trust store. */
  public static Transport create(int eventLoops) {
    return new Transport(eventLoops, null, MicrosClock.SYSTEM, NO_CONTACT_WARNING, LOG::warn);
  }

  /** A transport trusting the certificates of a trust manager factory (e.g. a corporate CA). */
  public static Transport create(int eventLoops, TrustManagerFactory trust, MicrosClock clock) {
    return new Transport(eventLoops, trust, clock, NO_CONTACT_WARNING, LOG::warn);
  }

  /**
   * A transport as {@link #create(int, TrustManagerFactory, MicrosClock)} (a null {@code trust}
   * meaning the JDK's trust store) that says when no venue has answered {@code noContactWarning}
   * after the first attempt to {@code notice}, instead of logging it a minute after.
   */
  public static Transport create(
      int eventLoops,
      TrustManagerFactory trust,
      MicrosClock clock,
      Duration noContactWarning,
      Consumer<String> notice) {
    return new Transport(eventLoops, trust, clock, noContactWarning, notice);
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

  FirstContact firstContact() {
    return firstContact;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
