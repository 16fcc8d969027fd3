package dev.lake.core.write;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.MarketType;

/**
 * Identifies one order book: venue, market and symbol.
 *
 * @param exchange venue name in lower case
 * @param market spot or future
 * @param symbol the venue's symbol
 */
public record BookKey(String exchange, MarketType market, String symbol) {
  public BookKey {
    requireNonNull(exchange, "exchange is null");
    requireNonNull(market, "market is null");
    requireNonNull(symbol, "symbol is null");
  }
}
