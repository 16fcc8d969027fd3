package dev.lake.exchanges.okx;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract value ({@code ctVal}) of each OKX SWAP and FUTURES instrument, from the instruments
 * endpoint: OKX gives sizes of derivatives (book levels, trades, liquidations) in contracts, which
 * lake stores as {@code contracts × ctVal}, in {@code ctValCcy} (the base coin of a linear
 * contract, USD of an inverse one). Spot sizes are already in the base coin. Thread-safe.
 */
final class ContractSizes {
  /**
   * A contract value as {@code unscaled / 10^scale}, so that whole contract counts convert exactly.
   */
  record Size(double unscaled, double divisor) {
    static final Size ONE = new Size(1, 1);

    static Size of(String ctVal) {
      BigDecimal value = new BigDecimal(ctVal);
      if (value.signum() <= 0) {
        throw new IllegalArgumentException("Invalid ctVal: " + ctVal + " (expected more than 0)");
      }
      value = value.stripTrailingZeros();
      return value.scale() <= 0
          ? new Size(value.doubleValue(), 1)
          : new Size(value.unscaledValue().doubleValue(), Math.pow(10, value.scale()));
    }

    /** A size in contracts as the size it stands for. */
    double apply(double contracts) {
      return contracts * unscaled / divisor;
    }
  }

  private final boolean spot;
  private final Map<String, Size> sizes = new ConcurrentHashMap<>();

  ContractSizes(boolean spot) {
    this.spot = spot;
  }

  void put(String instId, Size size) {
    sizes.put(instId, size);
  }

  /** The size of one unit of an instrument's sizes, or null for a derivative not listed yet. */
  Size of(String instId) {
    return spot ? Size.ONE : sizes.get(instId);
  }
}
