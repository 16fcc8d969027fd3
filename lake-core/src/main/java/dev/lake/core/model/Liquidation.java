package dev.lake.core.model;

/**
 * A row of {@code liquidation}: one liquidation order as the venue publishes it.
 *
 * @param exchange venue name in lower case
 * @param marketType future (no venue publishes spot liquidations)
 * @param symbol the venue's own symbol
 * @param side side of the liquidation order: sell = a long was liquidated, buy = a short was
 * @param price order price
 * @param quantity order quantity in the venue's unit
 * @param timestampMs the liquidation's trade time
 * @param localTimestampMicros receive time, epoch microseconds
 */
public record Liquidation(
    String exchange,
    MarketType marketType,
    String symbol,
    TradeSide side,
    double price,
    double quantity,
    long timestampMs,
    long localTimestampMicros)
    implements LakeRow {

  public static final String TABLE = "liquidation";

  public Liquidation {
    RowChecks.text(TABLE, "exchange", exchange);
    RowChecks.present(TABLE, "market_type", marketType);
    RowChecks.text(TABLE, "symbol", symbol);
    RowChecks.present(TABLE, "side", side);
    RowChecks.finite(TABLE, "price", price);
    RowChecks.nonNegative(TABLE, "quantity", quantity);
    RowChecks.positive(TABLE, "timestamp_ms", timestampMs);
    RowChecks.positive(TABLE, "local_timestamp", localTimestampMicros);
  }

  @Override
  public String tableName() {
    return TABLE;
  }
}
