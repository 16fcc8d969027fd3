package dev.lake.core.model;

/**
 * A row of {@code orderbook_delta}: one changed price level of one book update message, or one
 * level of a snapshot that (re)loads a full book ({@code isSnapshot}).
 *
 * @param exchange venue name in lower case
 * @param market spot or future
 * @param symbol the venue's own symbol
 * @param timestampMicros exchange event time, epoch microseconds
 * @param lastUpdateId the last sequence id the message covers (Binance {@code u})
 * @param side bid or ask
 * @param price the level's price, finite
 * @param quantity the new absolute quantity; 0 removes the level
 * @param level 0-based position of the level within its side in the venue's message
 * @param localTimestampMicros receive time, epoch microseconds
 * @param firstUpdateId the first sequence id the message covers (Binance {@code U}), or null
 * @param prevUpdateId the previous message's last id as the venue states it (Binance futures {@code
 *     pu}), or null
 * @param isSnapshot true for rows that load a full book
 */
public record OrderBookDelta(
    String exchange,
    MarketType market,
    String symbol,
    long timestampMicros,
    long lastUpdateId,
    BookSide side,
    double price,
    double quantity,
    int level,
    long localTimestampMicros,
    Long firstUpdateId,
    Long prevUpdateId,
    boolean isSnapshot)
    implements LakeRow {

  public static final String TABLE = "orderbook_delta";

  public OrderBookDelta {
    RowChecks.text(TABLE, "exchange", exchange);
    RowChecks.present(TABLE, "market", market);
    RowChecks.text(TABLE, "symbol", symbol);
    RowChecks.positive(TABLE, "timestamp", timestampMicros);
    RowChecks.present(TABLE, "side", side);
    RowChecks.finite(TABLE, "price", price);
    RowChecks.nonNegative(TABLE, "quantity", quantity);
    if (level < 0) {
      throw new IllegalArgumentException(
          "Invalid " + TABLE + " row: level is " + level + " (expected >= 0)");
    }
    RowChecks.positive(TABLE, "local_timestamp", localTimestampMicros);
  }

  @Override
  public String tableName() {
    return TABLE;
  }
}
