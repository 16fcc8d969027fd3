package dev.lake.testing.binance;

import dev.lake.core.model.MarketType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which WebSocket endpoint a connection came in on, and so which streams it is served. Spot has one
 * ({@code /ws}, {@code /stream}); USD-M futures splits {@code /public} (book data) from {@code
 * /market} (liquidations and the like). A stream of the wrong route is accepted on subscription but
 * never delivered, as on Binance.
 */
enum StreamRoute {
  /** Spot: {@code /ws...} and {@code /stream...}. */
  SPOT(MarketType.SPOT, "ws", List.of("@depth", "@depth@100ms"), List.of(), List.of("@trade")),
  /** USD-M {@code /public/...}: diff depth and trades (exchanges.md 1.1). */
  PUBLIC(
      MarketType.FUTURE,
      "public",
      List.of("@depth", "@depth@100ms", "@depth@250ms", "@depth@500ms"),
      List.of(),
      List.of("@trade")),
  /** USD-M {@code /market/...}: liquidations. */
  MARKET(MarketType.FUTURE, "market", List.of(), List.of("@forceOrder"), List.of());

  static final String ALL_FORCE_ORDERS = "!forceOrder@arr";

  private final MarketType market;
  private final String routeName;
  private final List<String> depthSuffixes;
  private final List<String> forceOrderSuffixes;
  private final List<String> tradeSuffixes;

  StreamRoute(
      MarketType market,
      String routeName,
      List<String> depthSuffixes,
      List<String> forceOrderSuffixes,
      List<String> tradeSuffixes) {
    this.market = market;
    this.routeName = routeName;
    this.depthSuffixes = depthSuffixes;
    this.forceOrderSuffixes = forceOrderSuffixes;
    this.tradeSuffixes = tradeSuffixes;
  }

  /** The trade stream names of a symbol served on this route. */
  List<String> tradeStreams(String symbol) {
    return streams(symbol, tradeSuffixes);
  }

  /** The name of the route: {@code ws}, {@code public} or {@code market}. */
  String routeName() {
    return routeName;
  }

  MarketType market() {
    return market;
  }

  /** The diff-depth stream names of a symbol served on this route. */
  List<String> depthStreams(String symbol) {
    return streams(symbol, depthSuffixes);
  }

  /** The liquidation stream names that carry a symbol's liquidations on this route. */
  List<String> forceOrderStreams(String symbol) {
    List<String> streams = streams(symbol, forceOrderSuffixes);
    if (!streams.isEmpty()) {
      streams.add(ALL_FORCE_ORDERS);
    }
    return streams;
  }

  /**
   * The route of a market by its name: {@code ws} for spot, {@code public} or {@code market} for
   * futures.
   *
   * @throws IllegalArgumentException for any other name
   */
  static StreamRoute of(MarketType market, String routeName) {
    for (StreamRoute route : values()) {
      if (route.market == market && route.routeName.equals(routeName)) {
        return route;
      }
    }
    String expected = market == MarketType.SPOT ? "ws" : "public or market";
    throw new IllegalArgumentException(
        "Invalid route for " + market + ": " + routeName + " (expected " + expected + ")");
  }

  private static List<String> streams(String symbol, List<String> suffixes) {
    String lower = symbol.toLowerCase(Locale.ROOT);
    List<String> streams = new ArrayList<>(suffixes.size() + 1);
    suffixes.forEach(suffix -> streams.add(lower + suffix));
    return streams;
  }
}
