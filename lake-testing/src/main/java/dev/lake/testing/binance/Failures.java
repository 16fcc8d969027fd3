package dev.lake.testing.binance;

import dev.lake.core.model.MarketType;

/** The answers of scripted REST failures, with the bodies Binance sends for each status. */
final class Failures {
  private static final long DEFAULT_BAN_MS = 120_000L;

  private Failures() {}

  /**
   * The answer of a scripted failure: 429 and 418 carry code -1003 (rate limit, IP ban), 5xx -1001
   * (internal error), anything else -1000 (unknown error).
   */
  static RestResponse response(int status, Integer retryAfter, MarketType market, long now) {
    int code = status == 429 || status == 418 ? -1003 : status >= 500 ? -1001 : -1000;
    RestResponse error =
        RestResponse.error(status, code, message(status, retryAfter, market, now), 1);
    return new RestResponse(status, error.body(), 1, retryAfter);
  }

  private static String message(int status, Integer retryAfter, MarketType market, long now) {
    if (status == 429) {
      return "Too many requests; current limit of IP(127.0.0.1) is "
          + (market == MarketType.SPOT ? 6000 : 2400)
          + " requests per minute. Please use the websocket for live updates to avoid polling"
          + " the API.";
    }
    if (status == 418) {
      long bannedUntil = now + (retryAfter == null ? DEFAULT_BAN_MS : retryAfter * 1000L);
      return "Way too much request weight used; IP banned until "
          + bannedUntil
          + ". Please use WebSocket Streams for live updates to avoid bans.";
    }
    return status >= 500
        ? "Internal error; unable to process your request. Please try again."
        : "An unknown error occurred while processing the request.";
  }
}
