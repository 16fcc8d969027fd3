package dev.lake.testing.venue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JDK WebSocket client for tests of fake exchanges: queues whole text messages and records how
 * the socket ended.
 */
public final class WebSocketTestClient implements WebSocket.Listener, AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  private final CompletableFuture<String> ended = new CompletableFuture<>();
  private WebSocket socket;

  private WebSocketTestClient() {}

  public static WebSocketTestClient connect(String url) {
    WebSocketTestClient client = new WebSocketTestClient();
    try {
      client.socket =
          HTTP.newWebSocketBuilder()
              .connectTimeout(WAIT)
              .buildAsync(URI.create(url), client)
              .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot connect to " + url, e);
    }
    return client;
  }

  /** Sends a text message and waits until it is sent. */
  public void send(String text) {
    socket.sendText(text, true).join();
  }

  /** Sends a request and returns the next message (its reply, when no event comes between). */
  public JsonNode request(String text) {
    send(text);
    return next();
  }

  /** The next whole text message, waiting up to 5 s. */
  public String nextText() {
    String message = poll(WAIT);
    if (message == null) {
      throw new AssertionError("No message within " + WAIT);
    }
    return message;
  }

  /** The next whole text message within a time, or null when none comes. */
  public String poll(Duration timeout) {
    try {
      return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next whole text message parsed as JSON. */
  public JsonNode next() {
    return parse(nextText());
  }

  /** Messages received and not taken yet. */
  public int pending() {
    return messages.size();
  }

  /** Completes with "close <code>" or "error <exception>" when the socket ends. */
  public CompletableFuture<String> ended() {
    return ended;
  }

  public static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      messages.add(partial.toString());
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    ended.complete("close " + statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    ended.complete("error " + error);
  }

  @Override
  public void close() {
    socket.abort();
  }
}
