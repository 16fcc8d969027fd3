package dev.lake.exchanges.transport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A plain HTTP server on loopback for shared-layer REST tests: it keeps every request it gets and
 * answers with planned answers in order, then with a default one. Any venue's shape is a planned
 * answer (status, headers, body). An answer can be held until {@link #release()}.
 */
public final class LoopbackHttpServer implements AutoCloseable {
  /** A request as it arrived. */
  public record Received(
      String method,
      String pathAndQuery,
      Map<String, List<String>> headers,
      String body,
      long atMillis) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  /** An answer to send. */
  public record Answer(int status, Map<String, String> headers, String body) {
    public static Answer ok(String body) {
      return new Answer(200, Map.of(), body);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Received> received = new ArrayList<>();
  private final Deque<Answer> planned = new ArrayDeque<>();
  private Answer fallback = Answer.ok("{}");
  private volatile CountDownLatch held = new CountDownLatch(0);

  private LoopbackHttpServer(HttpServer server) {
    this.server = server;
  }

  public static LoopbackHttpServer start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    LoopbackHttpServer loopback = new LoopbackHttpServer(server);
    server.createContext("/", loopback::handle);
    server.setExecutor(loopback.executor);
    server.start();
    return loopback;
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
  }

  /** Answers the next requests with these, in order. */
  public synchronized void plan(Answer... answers) {
    planned.addAll(List.of(answers));
  }

  /** Answers requests with this once the planned answers are used. */
  public synchronized void answerByDefault(Answer answer) {
    fallback = answer;
  }

  /** Holds every answer until {@link #release()}. */
  public void hold() {
    held = new CountDownLatch(1);
  }

  public void release() {
    held.countDown();
  }

  public synchronized List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Answer answer;
    synchronized (this) {
      received.add(
          new Received(
              exchange.getRequestMethod(),
              exchange.getRequestURI().toString(),
              Map.copyOf(exchange.getRequestHeaders()),
              body,
              System.currentTimeMillis()));
      answer = planned.isEmpty() ? fallback : planned.removeFirst();
    }
    try {
      held.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    executor.shutdownNow();
  }
}
