package dev.lake.core.model;

/**
 * The side of an order. For a liquidation it is the side of the liquidation order: {@code sell}
 * means a long position was liquidated, {@code buy} means a short was.
 */
public enum TradeSide implements StoredEnum {
  // the codes are in write-ahead logs: never change or reuse one
  BUY(1, "buy"),
  SELL(2, "sell");

  private final int code;
  private final String text;

  TradeSide(int code, String text) {
    this.code = code;
    this.text = text;
  }

  /** The value stored in the {@code side} column. */
  @Override
  public String text() {
    return text;
  }

  @Override
  public int code() {
    return code;
  }

  @Override
  public String toString() {
    return text;
  }
}
