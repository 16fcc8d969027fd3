package dev.lake.testing.binance;

import dev.lake.core.model.MarketType;
import dev.lake.testing.venue.Answer;
import dev.lake.testing.venue.FakeExchangeServer;
import dev.lake.testing.venue.Request;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binance's public REST market-data endpoints for spot ({@code /api/v3}) and USD-M futures ({@code
 * /fapi/v1}) as routes of a {@link FakeExchangeServer}: parameter checks with Binance's error
 * codes, bodies, request weights and the {@code X-MBX-USED-WEIGHT} headers. Thread-safe (reads the
 * listings and books under their locks).
 */
final class RestApi {
  private static final Set<Integer> FUTURES_DEPTH_LIMITS = Set.of(5, 10, 20, 50, 100, 500, 1000);
  private static final int SPOT_MAX_DEPTH = 5000;
  private static final String USED_WEIGHT_1M = "X-MBX-USED-WEIGHT-1M";
  private static final String USED_WEIGHT = "X-MBX-USED-WEIGHT";

  /** One endpoint: the body and weight for the decoded query parameters at a time. */
  @FunctionalInterface
  private interface Endpoint {
    RestResponse answer(Map<String, List<String>> parameters, long nowMs);
  }

  private final Listings listings;
  private final UsedWeight usedWeight = new UsedWeight();

  RestApi(Listings listings) {
    this.listings = listings;
  }

  /**
   * Adds the endpoints to a server, with Binance's answers to unknown paths (404, code -5000),
   * scripted failures and malformed requests.
   */
  void addTo(FakeExchangeServer.Builder server) {
    get(server, "/api/v3/ping", (parameters, now) -> RestResponse.ok("{}", 1));
    get(server, "/fapi/v1/ping", (parameters, now) -> RestResponse.ok("{}", 1));
    Endpoint time = (parameters, now) -> RestResponse.ok(RestBodies.serverTime(now), 1);
    get(server, "/api/v3/time", time);
    get(server, "/fapi/v1/time", time);
    get(server, "/api/v3/depth", (parameters, now) -> depth(MarketType.SPOT, parameters, now));
    get(server, "/fapi/v1/depth", (parameters, now) -> depth(MarketType.FUTURE, parameters, now));
    get(server, "/api/v3/exchangeInfo", this::spotExchangeInfo);
    get(
        server,
        "/fapi/v1/exchangeInfo",
        (parameters, now) ->
            RestResponse.ok(
                RestBodies.futuresExchangeInfo(listings.all(MarketType.FUTURE), now), 1));
    get(server, "/fapi/v1/openInterest", this::openInterest);
    get(server, "/fapi/v1/premiumIndex", this::premiumIndex);
    server.fallback(
        request ->
            answer(
                request,
                RestResponse.notFound(request.path(), request.method()),
                System.currentTimeMillis()));
    server.failures(
        (request, status, retryAfter) -> {
          long now = System.currentTimeMillis();
          MarketType market = market(request.path());
          return answer(request, Failures.response(status, retryAfter, market, now), now);
        });
    RestResponse malformed = RestResponse.error(400, -1000, "Malformed request.", 0);
    server.malformed(
        Answer.json(malformed.status(), malformed.body())
            .withHeader(USED_WEIGHT_1M, 0)
            .withHeader(USED_WEIGHT, 0));
  }

  /** The market whose weight budget a path uses. */
  private static MarketType market(String path) {
    return path.startsWith("/fapi/") ? MarketType.FUTURE : MarketType.SPOT;
  }

  private void get(FakeExchangeServer.Builder server, String path, Endpoint endpoint) {
    server.route(
        "GET",
        path,
        request -> {
          long now = System.currentTimeMillis();
          return answer(request, endpoint.answer(request.query(), now), now);
        });
  }

  /** The HTTP answer of a Binance response: its weight counted and reported in the headers. */
  private Answer answer(Request request, RestResponse response, long now) {
    MarketType market = market(request.path());
    long used = usedWeight.add(market, response.weight(), now);
    Answer answer =
        Answer.json(response.status(), response.body()).withHeader(USED_WEIGHT_1M, used);
    if (market == MarketType.SPOT) {
      answer = answer.withHeader(USED_WEIGHT, used);
    }
    if (response.retryAfterSeconds() != null) {
      answer = answer.withHeader("Retry-After", response.retryAfterSeconds());
    }
    return answer;
  }

  private RestResponse depth(MarketType market, Map<String, List<String>> parameters, long now) {
    Optional<String> symbol = parameter(parameters, "symbol");
    if (symbol.isEmpty()) {
      return RestResponse.missingParameter("symbol");
    }
    Optional<String> limitText = parameter(parameters, "limit");
    if (limitText.isPresent() && !limitText.get().matches("[0-9]{1,9}")) {
      return RestResponse.illegalCharacters("limit");
    }
    boolean spot = market == MarketType.SPOT;
    int limit = limitText.map(Integer::parseInt).orElse(spot ? 100 : 500);
    if (spot ? limit < 1 : !FUTURES_DEPTH_LIMITS.contains(limit)) {
      return RestResponse.invalidParameter("limit");
    }
    Optional<Listing> listing = listings.find(market, symbol.get());
    if (listing.isEmpty()) {
      return RestResponse.invalidSymbol();
    }
    int levels = Math.min(limit, SPOT_MAX_DEPTH);
    BookSnapshot snapshot = listing.get().book().snapshot(levels);
    String body = RestBodies.depth(snapshot, spot ? null : now);
    return RestResponse.ok(body, spot ? spotDepthWeight(levels) : futuresDepthWeight(levels));
  }

  private RestResponse spotExchangeInfo(Map<String, List<String>> parameters, long now) {
    Optional<String> symbol = parameter(parameters, "symbol");
    if (symbol.isEmpty()) {
      return RestResponse.ok(RestBodies.spotExchangeInfo(listings.all(MarketType.SPOT), now), 20);
    }
    return listings
        .find(MarketType.SPOT, symbol.get())
        .map(listing -> RestResponse.ok(RestBodies.spotExchangeInfo(List.of(listing), now), 20))
        .orElseGet(RestResponse::invalidSymbol);
  }

  private RestResponse openInterest(Map<String, List<String>> parameters, long now) {
    Optional<String> symbol = parameter(parameters, "symbol");
    if (symbol.isEmpty()) {
      return RestResponse.missingParameter("symbol");
    }
    return listings
        .find(MarketType.FUTURE, symbol.get())
        .map(listing -> RestResponse.ok(RestBodies.openInterest(listing, now), 1))
        .orElseGet(RestResponse::invalidSymbol);
  }

  private RestResponse premiumIndex(Map<String, List<String>> parameters, long now) {
    Optional<String> symbol = parameter(parameters, "symbol");
    if (symbol.isEmpty()) {
      String body = RestBodies.premiumIndexes(listings.all(MarketType.FUTURE), now);
      return RestResponse.ok(body, 10);
    }
    return listings
        .find(MarketType.FUTURE, symbol.get())
        .map(l -> RestResponse.ok(Json.write(RestBodies.premiumIndex(l, now)), 1))
        .orElseGet(RestResponse::invalidSymbol);
  }

  private static int spotDepthWeight(int limit) {
    if (limit <= 100) {
      return 5;
    }
    if (limit <= 500) {
      return 25;
    }
    return limit <= 1000 ? 50 : 250;
  }

  private static int futuresDepthWeight(int limit) {
    if (limit <= 50) {
      return 2;
    }
    if (limit <= 100) {
      return 5;
    }
    return limit <= 500 ? 10 : 20;
  }

  private static Optional<String> parameter(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.get(name);
    if (values == null || values.isEmpty() || values.get(0).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(values.get(0));
  }
}
