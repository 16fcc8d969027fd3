package dev.lake.exchanges;

/** The feeds a venue market can have; each fills one table. */
public enum DataType {
  /** Book snapshots ({@code orderbook.snapshots}), into {@code orderbook_snapshot}. */
  ORDERBOOK_SNAPSHOT("orderbook.snapshots", "orderbook_snapshot"),
  /** Book deltas ({@code orderbook.delta}), into {@code orderbook_delta}. */
  ORDERBOOK_DELTA("orderbook.delta", "orderbook_delta"),
  /** Instruments ({@code contracts}), into {@code contracts}. */
  CONTRACTS("contracts", "contracts"),
  /** Liquidations ({@code liquidation}), into {@code liquidation}. */
  LIQUIDATION("liquidation", "liquidation"),
  /** Open interest ({@code open_interest}), into {@code open_interest}. */
  OPEN_INTEREST("open_interest", "open_interest"),
  /** Funding rates ({@code funding_rate}), into {@code funding_rate}. */
  FUNDING_RATE("funding_rate", "funding_rate"),
  /** Public trades ({@code trades}), into {@code trades}. */
  TRADES("trades", "trades");

  /**
   * The feeds a spot market can have: liquidations, open interest and funding exist only for
   * derivatives.
   */
  public static java.util.Set<DataType> spotFeeds() {
    return java.util.EnumSet.of(ORDERBOOK_SNAPSHOT, ORDERBOOK_DELTA, CONTRACTS, TRADES);
  }

  private final String configKey;
  private final String table;

  DataType(String configKey, String table) {
    this.configKey = configKey;
    this.table = table;
  }

  /** Where the feed sits under {@code source.<exchange>.<market>}, e.g. {@code orderbook.delta}. */
  public String configKey() {
    return configKey;
  }

  /** The table the feed fills. */
  public String table() {
    return table;
  }
}
