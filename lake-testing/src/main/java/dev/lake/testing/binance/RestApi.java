package dev.lake.testing.binance;

import dev.lake.core.model.MarketType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binance's public REST market-data endpoints for spot ({@code /api/v3}) and USD-M futures ({@code
 * /fapi/v1}): parameter checks with Binance's error codes, bodies and request weights. Thread-safe
 * (reads the listings and books under their locks).
 */
final class RestApi {
  private static final Set<Integer> FUTURES_DEPTH_LIMITS = Set.of(5, 10, 20, 50, 100, 500, 1000);
  private static final int SPOT_MAX_DEPTH = 5000;

  private final Listings listings;

  RestApi(Listings listings) {
    this.listings = listings;
  }

  /** The market whose weight budget a path uses. */
  static MarketType market(String path) {
    return path.startsWith("/fapi/") ? MarketType.FUTURE : MarketType.SPOT;
  }

  /** Answers a GET of {@code path} with decoded query parameters. */
  RestResponse get(String path, Map<String, List<String>> parameters, long nowMs) {
    return switch (path) {
      case "/api/v3/ping", "/fapi/v1/ping" -> RestResponse.ok("{}", 1);
      case "/api/v3/time", "/fapi/v1/time" -> RestResponse.ok(RestBodies.serverTime(nowMs), 1);
      case "/api/v3/depth" -> depth(MarketType.SPOT, parameters, nowMs);
      case "/fapi/v1/depth" -> depth(MarketType.FUTURE, parameters, nowMs);
      case "/api/v3/exchangeInfo" -> spotExchangeInfo(parameters, nowMs);
      case "/fapi/v1/exchangeInfo" ->
          RestResponse.ok(
              RestBodies.futuresExchangeInfo(listings.all(MarketType.FUTURE), nowMs), 1);
      case "/fapi/v1/openInterest" -> openInterest(parameters, nowMs);
      case "/fapi/v1/premiumIndex" -> premiumIndex(parameters, nowMs);
      default -> RestResponse.notFound(path, "GET");
    };
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
