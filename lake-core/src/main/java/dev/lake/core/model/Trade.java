package dev.lake.core.model;

/**
 * A row of {@code trades}: one public trade as the venue publishes it.
 *
 * @param exchange venue name in lower case
 * @param marketType spot or future
 * @param symbol the venue's own symbol
 * @param tradeId the venue's id of the trade, as text (venues number trades differently)
 * @param side the taker's side: buy = the taker bought (lifted an ask), sell = the taker sold
 * @param price trade price
 * @param quantity trade quantity in the venue's unit
 * @param timestampMicros the trade time, epoch microseconds
 * @param localTimestampMicros receive time, epoch microseconds
 */
public record Trade(
    String exchange,
    MarketType marketType,
    String symbol,
    String tradeId,
    TradeSide side,
    double price,
    double quantity,
    long timestampMicros,
    long localTimestampMicros)
    implements LakeRow {

  public static final String TABLE = "trades";

  public Trade {
    RowChecks.text(TABLE, "exchange", exchange);
    RowChecks.present(TABLE, "market_type", marketType);
    RowChecks.text(TABLE, "symbol", symbol);
    RowChecks.text(TABLE, "trade_id", tradeId);
    RowChecks.present(TABLE, "side", side);
    RowChecks.finite(TABLE, "price", price);
    RowChecks.nonNegative(TABLE, "quantity", quantity);
    RowChecks.positive(TABLE, "timestamp", timestampMicros);
    RowChecks.positive(TABLE, "local_timestamp", localTimestampMicros);
  }

  @Override
  public String tableName() {
    return TABLE;
  }
}
