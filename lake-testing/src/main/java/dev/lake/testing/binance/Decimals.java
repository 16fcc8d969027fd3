package dev.lake.testing.binance;

import dev.lake.core.model.MarketType;
import java.math.BigDecimal;

/**
 * How one market writes prices and quantities. Prices are kept as integer ticks of 0.01 and
 * quantities as integer lots; spot shows both with 8 decimals ({@code "60000.01000000"}), USD-M
 * futures with the contract's precision ({@code "60000.01"}, {@code "0.125"}). Immutable.
 */
final class Decimals {
  static final int PRICE_SCALE = 2;
  private static final Decimals SPOT = new Decimals(5, 8, 8);
  private static final Decimals FUTURE = new Decimals(3, PRICE_SCALE, 3);

  private final int quantityScale;
  private final int shownPriceScale;
  private final int shownQuantityScale;

  private Decimals(int quantityScale, int shownPriceScale, int shownQuantityScale) {
    this.quantityScale = quantityScale;
    this.shownPriceScale = shownPriceScale;
    this.shownQuantityScale = shownQuantityScale;
  }

  static Decimals of(MarketType market) {
    return market == MarketType.SPOT ? SPOT : FUTURE;
  }

  /** The decimals of the lot size: 5 (0.00001) on spot, 3 (0.001) on futures. */
  int quantityScale() {
    return quantityScale;
  }

  String price(long ticks) {
    return BigDecimal.valueOf(ticks, PRICE_SCALE).setScale(shownPriceScale).toPlainString();
  }

  String quantity(long lots) {
    return BigDecimal.valueOf(lots, quantityScale).setScale(shownQuantityScale).toPlainString();
  }

  String[] level(long ticks, long lots) {
    return new String[] {price(ticks), quantity(lots)};
  }

  /** The price as the double a client gets by parsing the text (the division is exact-rounded). */
  static double priceValue(long ticks) {
    return ticks / 100.0;
  }

  double quantityValue(long lots) {
    return lots / Math.pow(10, quantityScale);
  }
}
