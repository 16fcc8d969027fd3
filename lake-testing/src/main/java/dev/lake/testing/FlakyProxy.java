package dev.lake.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of a real server that can drop connections: at random while bytes flow
 * either way, or just as the answer to a request comes back (the server did the work, the client
 * never hears of it, the way a commit's outcome becomes unknown). Thread-safe.
 */
public final class FlakyProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String upstreamHost;
  private final int upstreamPort;
  private final AtomicLong drops = new AtomicLong();
  private volatile double dropConnections;
  private volatile double dropResponses;

  private FlakyProxy(String upstreamHost, int upstreamPort) throws IOException {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "flaky-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a proxy to a loopback port. */
  public static FlakyProxy start(int upstreamPort) {
    try {
      return new FlakyProxy("127.0.0.1", upstreamPort);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start proxy", e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** Share of forwarded chunks (either way) after which the connection is cut. */
  public void dropConnections(double probability) {
    this.dropConnections = probability;
  }

  /** Share of responses cut before they reach the client (the request did reach the server). */
  public void dropResponses(double probability) {
    this.dropResponses = probability;
  }

  /** Connections cut so far. */
  public long drops() {
    return drops.get();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // the proxy closed
      }
      try {
        Socket upstream = new Socket(upstreamHost, upstreamPort);
        start(() -> pump(client, upstream, false));
        start(() -> pump(upstream, client, true));
      } catch (IOException e) {
        closeQuietly(client); // the upstream is down: the client sees its connection closed
      }
    }
  }

  private static void start(Runnable runnable) {
    Thread thread = new Thread(runnable, "flaky-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private void pump(Socket from, Socket to, boolean response) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (random.nextDouble() < dropConnections
            || (response && random.nextDouble() < dropResponses)) {
          drops.incrementAndGet();
          from.close();
          to.close();
          return;
        }
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
