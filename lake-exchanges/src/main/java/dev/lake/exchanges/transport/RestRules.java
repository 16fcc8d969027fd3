package dev.lake.exchanges.transport;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a venue's REST API does differently, declared by the venue and applied by {@link
 * RestClient}: its request budget (weight per window, for the whole venue or per endpoint), where
 * an HTTP 200 body says it failed (Bybit {@code retCode}, OKX {@code code}, KuCoin {@code code},
 * Kraken {@code error}), which answers are rate limits (statuses, codes, messages) and how long
 * each pauses requests, and an optional signer for venues that sign requests with headers.
 * Immutable; build with {@link #builder()}.
 */
public final class RestRules {
  private static final JsonFactory JSON = new JsonFactory();

  /** How a header gives the pause after a rate limit. */
  public enum PauseUnit {
    /** Seconds to wait (Binance {@code Retry-After}). */
    SECONDS,
    /** Milliseconds to wait (KuCoin {@code gw-ratelimit-reset}). */
    MILLISECONDS,
    /** The epoch millisecond requests may resume (Bybit {@code X-Bapi-Limit-Reset-Timestamp}). */
    EPOCH_MILLISECONDS
  }

  /** Signs a request just before it is sent (after any wait), e.g. with a timestamp header. */
  @FunctionalInterface
  public interface RequestSigner {
    RestRequest sign(RestRequest request, long nowMillis);
  }

  /**
   * An error a venue put in an answer's body.
   *
   * @param code the venue's code, or null when it gives only messages (Kraken)
   * @param message the venue's message
   * @param description code and message as one phrase, e.g. {@code retCode 10001: params error}
   */
  public record VenueError(String code, String message, String description) {}

  private final int limit;
  private final Duration window;
  private final boolean perEndpoint;
  private final String codeField;
  private final String okCode;
  private final String messageField;
  private final String errorListField;
  private final Map<Integer, Duration> rateLimitStatuses;
  private final Map<String, Duration> rateLimitCodes;
  private final Map<String, Duration> rateLimitMessages;
  private final String pauseHeader;
  private final PauseUnit pauseUnit;
  private final RequestSigner signer;

  private RestRules(Builder builder) {
    if (builder.limit <= 0) {
      throw new IllegalArgumentException("Cannot build REST rules: no budget declared");
    }
    this.limit = builder.limit;
    this.window = builder.window;
    this.perEndpoint = builder.perEndpoint;
    this.codeField = builder.codeField;
    this.okCode = builder.okCode;
    this.messageField = builder.messageField;
    this.errorListField = builder.errorListField;
    this.rateLimitStatuses = Map.copyOf(builder.rateLimitStatuses);
    this.rateLimitCodes = Map.copyOf(builder.rateLimitCodes);
    this.rateLimitMessages = Map.copyOf(builder.rateLimitMessages);
    this.pauseHeader = builder.pauseHeader;
    this.pauseUnit = builder.pauseUnit;
    this.signer = builder.signer;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The venue's limit per window (before lake's share). */
  public int limit() {
    return limit;
  }

  public Duration window() {
    return window;
  }

  /** True when the venue counts each endpoint (URL path) on its own (OKX). */
  public boolean perEndpoint() {
    return perEndpoint;
  }

  /**
   * A budget of {@code share} of the venue's limit, with a burst of a tenth of its window and never
   * more than what the share leaves unused, so that lake stays within the venue's limit over any
   * span of one window.
   */
  public RequestBudget budget(double share, long nowMillis) {
    int usable = Math.max(1, (int) (limit * share));
    int burst = Math.max(1, Math.min(limit - usable, limit / 10));
    return new RequestBudget(usable, window, burst, nowMillis);
  }

  RestRequest sign(RestRequest request, long nowMillis) {
    return signer == null ? request : signer.sign(request, nowMillis);
  }

  /** The error the body of an answer carries, or null when it carries none (or is not JSON). */
  public VenueError errorIn(byte[] body) {
    if (codeField == null && errorListField == null) {
      return null;
    }
    Map<String, String> fields = topLevelFields(body);
    if (errorListField != null) {
      String errors = fields.get(errorListField);
      return errors == null || errors.isEmpty()
          ? null
          : new VenueError(null, errors, errorListField + ": " + errors);
    }
    String code = fields.get(codeField);
    if (code == null || code.equals(okCode)) {
      return null;
    }
    String message = fields.getOrDefault(messageField, "");
    return new VenueError(code, message, codeField + " " + code + ": " + message);
  }

  /**
   * How long an answer pauses the venue's requests, or empty when it is no rate limit.
   *
   * @param error the error in its body, or null
   */
  OptionalLong pauseFor(int status, HttpHeaders headers, VenueError error, long nowMillis) {
    Duration pause = rateLimitStatuses.get(status);
    if (pause == null && error != null) {
      pause = error.code() == null ? null : rateLimitCodes.get(error.code());
      for (Map.Entry<String, Duration> entry : rateLimitMessages.entrySet()) {
        if (pause == null && error.message().contains(entry.getKey())) {
          pause = entry.getValue();
        }
      }
    }
    if (pause == null) {
      return OptionalLong.empty();
    }
    OptionalLong given =
        pauseHeader == null ? OptionalLong.empty() : headers.firstValueAsLong(pauseHeader);
    if (given.isEmpty()) {
      return OptionalLong.of(pause.toMillis());
    }
    long value = given.getAsLong();
    return OptionalLong.of(
        switch (pauseUnit) {
          case SECONDS -> value * 1000;
          case MILLISECONDS -> value;
          case EPOCH_MILLISECONDS -> Math.max(0, value - nowMillis);
        });
  }

  /** The key of the budget a request spends: its endpoint, or one for the whole venue. */
  String budgetKey(URI uri) {
    return perEndpoint ? uri.getPath() : "";
  }

  /** Top-level scalar fields as text; an array of texts (Kraken's error list) joined by ", ". */
  private Map<String, String> topLevelFields(byte[] body) {
    Map<String, String> fields = new HashMap<>();
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return fields;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.START_ARRAY) {
          List<String> texts = new ArrayList<>();
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken().isScalarValue()) {
              texts.add(parser.getText());
            } else {
              parser.skipChildren();
            }
          }
          fields.put(name, String.join(", ", texts));
        } else if (value == JsonToken.START_OBJECT) {
          parser.skipChildren();
        } else if (value != JsonToken.VALUE_NULL) {
          fields.put(name, parser.getText());
        }
      }
    } catch (IOException e) {
      // Not JSON, or cut short: no venue error to read; the venue's parser rejects the body.
    }
    return fields;
  }

  /** Declares a venue's REST rules. */
  public static final class Builder {
    private int limit;
    private Duration window;
    private boolean perEndpoint;
    private String codeField;
    private String okCode;
    private String messageField;
    private String errorListField;
    private final Map<Integer, Duration> rateLimitStatuses = new HashMap<>();
    private final Map<String, Duration> rateLimitCodes = new HashMap<>();
    private final Map<String, Duration> rateLimitMessages = new HashMap<>();
    private final Set<String> declared = new HashSet<>();
    private String pauseHeader;
    private PauseUnit pauseUnit;
    private RequestSigner signer;

    private Builder() {}

    /** The venue's limit per window for all its endpoints together (Binance, Bybit, KuCoin). */
    public Builder budget(int limitPerWindow, Duration perWindow) {
      once("budget");
      this.limit = limitPerWindow;
      this.window = requireNonNull(perWindow, "perWindow is null");
      return this;
    }

    /** The venue's limit per window for each endpoint on its own (OKX). */
    public Builder budgetPerEndpoint(int limitPerWindow, Duration perWindow) {
      budget(limitPerWindow, perWindow);
      this.perEndpoint = true;
      return this;
    }

    /**
     * Bodies carry a code that is {@code okCode} on success (Bybit {@code retCode} 0, OKX {@code
     * code} "0", KuCoin {@code code} "200000"), and a message beside it.
     */
    public Builder errorCode(String field, String okValue, String messageFieldName) {
      once("error");
      this.codeField = requireNonNull(field, "field is null");
      this.okCode = requireNonNull(okValue, "okValue is null");
      this.messageField = requireNonNull(messageFieldName, "messageFieldName is null");
      return this;
    }

    /** Bodies carry a list of error messages, empty on success (Kraken {@code error}). */
    public Builder errorList(String field) {
      once("error");
      this.errorListField = requireNonNull(field, "field is null");
      return this;
    }

    /** An HTTP status that is a rate limit, pausing requests for {@code pause} by default. */
    public Builder rateLimitStatus(int status, Duration pause) {
      rateLimitStatuses.put(status, requireNonNull(pause, "pause is null"));
      return this;
    }

    /** A body code that is a rate limit (Bybit 10006, OKX 50011, KuCoin 429000). */
    public Builder rateLimitCode(String code, Duration pause) {
      rateLimitCodes.put(requireNonNull(code, "code is null"), requireNonNull(pause, "pause"));
      return this;
    }

    /** Text in a body's error message that is a rate limit (Kraken {@code EAPI:Rate limit}). */
    public Builder rateLimitMessage(String text, Duration pause) {
      rateLimitMessages.put(requireNonNull(text, "text is null"), requireNonNull(pause, "pause"));
      return this;
    }

    /** A header that, when present on a rate limit, gives the pause instead of the default. */
    public Builder pauseHeader(String name, PauseUnit unit) {
      once("pauseHeader");
      this.pauseHeader = requireNonNull(name, "name is null");
      this.pauseUnit = requireNonNull(unit, "unit is null");
      return this;
    }

    /** Signs every request just before it is sent (Coinbase INTX). */
    public Builder signer(RequestSigner value) {
      once("signer");
      this.signer = requireNonNull(value, "value is null");
      return this;
    }

    public RestRules build() {
      return new RestRules(this);
    }

    private void once(String what) {
      if (!declared.add(what)) {
        throw new IllegalStateException("Cannot declare REST rules: " + what + " declared twice");
      }
    }
  }
}
