package dev.lake.testing.binance;

import dev.lake.core.model.MarketType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The symbols listed on each market, in the order they were added. Thread-safe. */
final class Listings {
  private final Map<MarketType, Map<String, Listing>> byMarket = new EnumMap<>(MarketType.class);

  Listings() {
    for (MarketType market : MarketType.values()) {
      byMarket.put(market, new LinkedHashMap<>());
    }
  }

  /**
   * Lists a symbol.
   *
   * @throws IllegalArgumentException when the symbol is listed on that market already
   */
  synchronized void add(Listing listing) {
    Map<String, Listing> listed = byMarket.get(listing.market);
    if (listed.containsKey(listing.symbol)) {
      throw new IllegalArgumentException(
          "Cannot add symbol " + listing.symbol + ": already listed on " + listing.market);
    }
    listed.put(listing.symbol, listing);
  }

  synchronized Optional<Listing> find(MarketType market, String symbol) {
    return Optional.ofNullable(byMarket.get(market).get(symbol));
  }

  /**
   * The listing of a symbol.
   *
   * @throws IllegalArgumentException when the symbol is not listed on that market
   */
  Listing get(MarketType market, String symbol) {
    return find(market, symbol)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Invalid symbol: " + symbol + " (not listed on " + market + ")"));
  }

  synchronized List<Listing> all(MarketType market) {
    return new ArrayList<>(byMarket.get(market).values());
  }
}
