package dev.lake.core.model;

/**
 * The kind of market a row comes from, as written to the {@code market_type} (and the delta table's
 * {@code market}) column.
 */
public enum MarketType implements StoredEnum {
  // the codes are in write-ahead logs: never change or reuse one
  /** A spot market. */
  SPOT(1, "spot"),
  /**
   * Any derivative market: Binance USD-M, Bybit linear, OKX SWAP, KuCoin futures, Kraken Futures,
   * Coinbase INTX perpetuals. {@code contracts.contract_type} tells perpetual from dated.
   */
  FUTURE(2, "future");

  private final int code;
  private final String text;

  MarketType(int code, String text) {
    this.code = code;
    this.text = text;
  }

  /** The value stored in the tables: {@code spot} or {@code future}. */
  @Override
  public String text() {
    return text;
  }

  @Override
  public int code() {
    return code;
  }

  /**
   * Parses the stored text.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static MarketType fromText(String text) {
    for (MarketType type : values()) {
      if (type.text.equals(text)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "Invalid market type: " + text + " (expected spot or future)");
  }

  @Override
  public String toString() {
    return text;
  }
}
