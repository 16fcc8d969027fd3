package dev.lake.exchanges.transport;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST GETs to one venue within its request-weight budget. A 429 or 418 answer pauses every request
 * to the venue for the {@code Retry-After} the venue gives (60 s for a 429 without one, 120 s for a
 * 418) and is reported to the {@link RateLimitListener}. Thread-safe; callbacks run on the HTTP
 * client's threads.
 */
public final class RestClient {
  private static final Logger LOG = LoggerFactory.getLogger(RestClient.class);

  /** Told when the venue rate-limits lake. */
  @FunctionalInterface
  public interface RateLimitListener {
    void rateLimited(URI uri, int status, long pauseMillis);
  }

  private final Transport transport;
  private final String venue;
  private final WeightBudget budget;
  private final RateLimitListener listener;
  private final Duration timeout;
  private volatile long pausedUntilMillis;

  public RestClient(
      Transport transport, String venue, WeightBudget budget, RateLimitListener listener) {
    this.transport = requireNonNull(transport, "transport is null");
    this.venue = requireNonNull(venue, "venue is null");
    this.budget = requireNonNull(budget, "budget is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.timeout = Duration.ofSeconds(15);
  }

  public WeightBudget budget() {
    return budget;
  }

  /** Milliseconds until a request of this weight could go out now (pause and budget). */
  public long delayFor(int weight) {
    long now = transport.clock().nowMillis();
    return Math.max(pausedUntilMillis - now, 0) + budget.waitFor(weight, now);
  }

  /**
   * Sends a GET once its weight fits the budget and any pause has passed.
   *
   * @return the response; fails with {@link RestException} on an error status, a rate limit, a
   *     timeout or a network error
   */
  public CompletableFuture<RestResponse> get(URI uri, int weight) {
    long now = transport.clock().nowMillis();
    long delay = Math.max(pausedUntilMillis - now, 0) + budget.reserve(weight, now);
    CompletableFuture<RestResponse> result = new CompletableFuture<>();
    if (delay <= 0) {
      send(uri, result);
    } else {
      transport.scheduler().schedule(() -> send(uri, result), delay, TimeUnit.MILLISECONDS);
    }
    return result;
  }

  private void send(URI uri, CompletableFuture<RestResponse> result) {
    long now = transport.clock().nowMillis();
    if (pausedUntilMillis > now) {
      transport
          .scheduler()
          .schedule(() -> send(uri, result), pausedUntilMillis - now, TimeUnit.MILLISECONDS);
      return;
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/json")
            .GET()
            .build();
    transport.firstContact().attempting(uri.getHost());
    transport
        .http()
        .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                result.completeExceptionally(
                    new RestException(
                        "Cannot GET " + uri + ": " + NetworkErrors.describe(error, uri),
                        0,
                        false,
                        error));
              } else {
                transport.firstContact().reached();
                complete(uri, response, result);
              }
            });
  }

  private void complete(
      URI uri, HttpResponse<byte[]> response, CompletableFuture<RestResponse> result) {
    long received = transport.clock().nowMicros();
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      result.complete(new RestResponse(status, response.body(), received));
      return;
    }
    String body = new String(response.body(), StandardCharsets.UTF_8);
    if (body.length() > 300) {
      body = body.substring(0, 300) + "...";
    }
    if (status == 429 || status == 418) {
      OptionalLong retryAfter = response.headers().firstValueAsLong("Retry-After");
      long pause =
          retryAfter.isPresent() ? retryAfter.getAsLong() * 1000 : status == 418 ? 120_000 : 60_000;
      pausedUntilMillis = Math.max(pausedUntilMillis, transport.clock().nowMillis() + pause);
      LOG.warn(
          "{} answered {} to {}: pausing requests for {} ms ({})", venue, status, uri, pause, body);
      listener.rateLimited(uri, status, pause);
      result.completeExceptionally(
          new RestException(
              venue + " rate limit: HTTP " + status + " for " + uri + ": " + body,
              status,
              true,
              null));
      return;
    }
    result.completeExceptionally(
        new RestException("HTTP " + status + " for " + uri + ": " + body, status, false, null));
  }
}
