package dev.lake.core.model;

/**
 * One level of an order book: a price and the quantity resting at it.
 *
 * @param price the level's price, finite
 * @param quantity the quantity at the price, finite and not negative
 */
public record PriceLevel(double price, double quantity) {
  public PriceLevel {
    RowChecks.finite("price level", "price", price);
    RowChecks.nonNegative("price level", "quantity", quantity);
  }
}
