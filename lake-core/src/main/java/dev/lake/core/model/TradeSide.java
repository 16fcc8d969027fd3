package dev.lake.core.model;

/**
 * The side of an order. For a liquidation it is the side of the liquidation order: {@code sell}
 * means a long position was liquidated, {@code buy} means a short was.
 */
public enum TradeSide {
  BUY("buy"),
  SELL("sell");

  private final String text;

  TradeSide(String text) {
    this.text = text;
  }

  /** The value stored in the {@code side} column. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
