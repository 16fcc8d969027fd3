package dev.lake.exchanges;

import java.math.BigDecimal;

/**
 * The size of one derivatives contract in the base asset (or quote, for inverse contracts), kept as
 * {@code unscaled / divisor} so that whole contract counts convert exactly: 7 contracts of 0.01 are
 * 0.07, not 0.07000000000000001.
 *
 * @param unscaled the size's digits, e.g. 1 for 0.01
 * @param divisor a power of ten, e.g. 100 for 0.01
 */
public record ContractSize(double unscaled, double divisor) {
  /** The size of spot quantities and of contracts of one base unit: no conversion. */
  public static final ContractSize ONE = new ContractSize(1, 1);

  /**
   * A size the venue gives as text (OKX {@code ctVal}).
   *
   * @throws IllegalArgumentException when it is not more than 0
   */
  public static ContractSize of(String text) {
    BigDecimal value = new BigDecimal(text);
    if (value.signum() <= 0) {
      throw new IllegalArgumentException(
          "Invalid contract size: " + text + " (expected more than 0)");
    }
    return of(value);
  }

  /** A size the venue gives as a number whose sign only says the contract's direction (KuCoin). */
  public static ContractSize ofMagnitude(double value) {
    return of(BigDecimal.valueOf(Math.abs(value)));
  }

  private static ContractSize of(BigDecimal value) {
    BigDecimal exact = value.stripTrailingZeros();
    return exact.scale() <= 0
        ? new ContractSize(exact.doubleValue(), 1)
        : new ContractSize(exact.unscaledValue().doubleValue(), Math.pow(10, exact.scale()));
  }

  /** {@code contracts} contracts in the asset's units. */
  public double apply(double contracts) {
    return contracts * unscaled / divisor;
  }
}
