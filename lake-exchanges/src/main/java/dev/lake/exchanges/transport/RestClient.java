package dev.lake.exchanges.transport;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST requests (GET and POST, with headers) to one venue, within its request budget and by its
 * {@link RestRules}. An answer the rules call a rate limit (an HTTP status, or a code or message in
 * the body) pauses every request to the venue for the time the venue gives or the rule's default,
 * and is reported once to the {@link RateLimitListener}. An HTTP 200 whose body carries the venue's
 * error is a failure with the venue's message. Thread-safe; callbacks run on the HTTP client's
 * threads.
 */
public final class RestClient {
  private static final Logger LOG = LoggerFactory.getLogger(RestClient.class);
  private static final int MAX_BODY_IN_MESSAGE = 300;

  /**
   * A rate-limit answer.
   *
   * @param request the request that got it
   * @param status its HTTP status
   * @param reason what said so: {@code HTTP 429}, or {@code HTTP 200, retCode 10006: ...}
   * @param pauseMillis how long the venue's requests are paused
   */
  public record RateLimit(RestRequest request, int status, String reason, long pauseMillis) {
    /** The text of its {@code rate_limited} row. */
    public String detail() {
      return reason + " for " + request.uri() + ": requests paused for " + pauseMillis + " ms";
    }
  }

  /** Told when the venue rate-limits lake. */
  @FunctionalInterface
  public interface RateLimitListener {
    void rateLimited(RateLimit limit);
  }

  private final Transport transport;
  private final String venue;
  private final RestRules rules;
  private final double share;
  private final RateLimitListener listener;
  private final Duration timeout;
  private final Map<String, RequestBudget> budgets = new ConcurrentHashMap<>();
  private volatile long pausedUntilMillis;

  /**
   * A client for one venue.
   *
   * @param venue the venue and market as people read it, e.g. {@code binance spot}
   * @param rules what the venue does differently
   * @param share the part of the venue's budget lake may use, 0 to 1
   */
  public RestClient(
      Transport transport,
      String venue,
      RestRules rules,
      double share,
      RateLimitListener listener) {
    this.transport = requireNonNull(transport, "transport is null");
    this.venue = requireNonNull(venue, "venue is null");
    this.rules = requireNonNull(rules, "rules is null");
    this.listener = requireNonNull(listener, "listener is null");
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("Invalid weight share: " + share + " (expected 0 to 1)");
    }
    this.share = share;
    this.timeout = Duration.ofSeconds(15);
  }

  /** The budget the requests to a URL spend (one for the venue, or the URL's endpoint's). */
  public RequestBudget budgetFor(URI uri) {
    return budgets.computeIfAbsent(
        rules.budgetKey(uri), key -> rules.budget(share, transport.clock().nowMillis()));
  }

  /**
   * Milliseconds until a request of this weight could go out now (pause and budget), for a venue
   * with one budget for all its endpoints.
   */
  public long delayFor(int weight) {
    return delayFor(RestRequest.get(URI.create("/"), weight));
  }

  /** Milliseconds until a request could go out now (pause and budget). */
  public long delayFor(RestRequest request) {
    long now = transport.clock().nowMillis();
    return Math.max(pausedUntilMillis - now, 0)
        + budgetFor(request.uri()).waitFor(request.weight(), now);
  }

  /** Sends a GET once its weight fits the budget and any pause has passed; see {@link #send}. */
  public CompletableFuture<RestResponse> get(URI uri, int weight) {
    return send(RestRequest.get(uri, weight));
  }

  /**
   * Sends a request once its weight fits the budget and any pause has passed.
   *
   * @return the response; fails with {@link RestException} on an error status, an error in the
   *     body, a rate limit, a timeout or a network error
   */
  public CompletableFuture<RestResponse> send(RestRequest request) {
    long now = transport.clock().nowMillis();
    long delay =
        Math.max(pausedUntilMillis - now, 0)
            + budgetFor(request.uri()).reserve(request.weight(), now);
    CompletableFuture<RestResponse> result = new CompletableFuture<>();
    if (delay <= 0) {
      send(request, result);
    } else {
      transport.scheduler().schedule(() -> send(request, result), delay, TimeUnit.MILLISECONDS);
    }
    return result;
  }

  private void send(RestRequest request, CompletableFuture<RestResponse> result) {
    long now = transport.clock().nowMillis();
    if (pausedUntilMillis > now) {
      transport
          .scheduler()
          .schedule(() -> send(request, result), pausedUntilMillis - now, TimeUnit.MILLISECONDS);
      return;
    }
    RestRequest signed = rules.sign(request, now);
    URI uri = signed.uri();
    transport.firstContact().attempting(uri.getHost());
    transport
        .http()
        .sendAsync(httpRequest(signed), HttpResponse.BodyHandlers.ofByteArray())
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                result.completeExceptionally(
                    new RestException(
                        "Cannot "
                            + signed.method()
                            + " "
                            + uri
                            + ": "
                            + NetworkErrors.describe(error, uri),
                        0,
                        false,
                        error));
              } else {
                transport.firstContact().reached();
                complete(signed, response, result);
              }
            });
  }

  private HttpRequest httpRequest(RestRequest request) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(request.uri()).timeout(timeout).header("Accept", "application/json");
    request.headers().forEach(builder::setHeader);
    return request.body() == null
        ? builder.method(request.method(), HttpRequest.BodyPublishers.noBody()).build()
        : builder
            .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()))
            .build();
  }

  private void complete(
      RestRequest request, HttpResponse<byte[]> response, CompletableFuture<RestResponse> result) {
    long received = transport.clock().nowMicros();
    int status = response.statusCode();
    RestRules.VenueError error = rules.errorIn(response.body());
    OptionalLong pause =
        rules.pauseFor(status, response.headers(), error, transport.clock().nowMillis());
    boolean success = status >= 200 && status < 300;
    if (success && error == null && pause.isEmpty()) {
      result.complete(new RestResponse(status, response.body(), received));
      return;
    }
    URI uri = request.uri();
    if (pause.isPresent()) {
      String reason = "HTTP " + status + (error != null ? ", " + error.description() : "");
      rateLimited(new RateLimit(request, status, reason, pause.getAsLong()), response, result);
    } else if (success) {
      result.completeExceptionally(
          new RestException(
              "Cannot "
                  + request.method()
                  + " "
                  + uri
                  + ": "
                  + venue
                  + " answered "
                  + error.description(),
              status,
              false,
              null));
    } else {
      result.completeExceptionally(
          new RestException(
              "HTTP " + status + " for " + uri + ": " + cut(response.body()), status, false, null));
    }
  }

  private void rateLimited(
      RateLimit limit, HttpResponse<byte[]> response, CompletableFuture<RestResponse> result) {
    long now = transport.clock().nowMillis();
    pausedUntilMillis = Math.max(pausedUntilMillis, now + limit.pauseMillis());
    String body = cut(response.body());
    URI uri = limit.request().uri();
    LOG.warn(
        "{} answered {} to {}: pausing requests for {} ms ({})",
        venue,
        limit.reason(),
        uri,
        limit.pauseMillis(),
        body);
    listener.rateLimited(limit);
    result.completeExceptionally(
        new RestException(
            venue + " rate limit: " + limit.reason() + " for " + uri + ": " + body,
            limit.status(),
            true,
            null));
  }

  private static String cut(byte[] bytes) {
    String body = new String(bytes, StandardCharsets.UTF_8);
    return body.length() > MAX_BODY_IN_MESSAGE
        ? body.substring(0, MAX_BODY_IN_MESSAGE) + "..."
        : body;
  }
}
