package dev.lake.core.model;

/**
 * A row of {@code open_interest}.
 *
 * @param exchange venue name in lower case
 * @param marketType future
 * @param symbol the venue's own symbol
 * @param openInterest open interest in the venue's unit (Binance USD-M: base asset)
 * @param timestampMs the venue's time of the value
 * @param localTimestampMicros receive time, epoch microseconds
 */
public record OpenInterest(
    String exchange,
    MarketType marketType,
    String symbol,
    double openInterest,
    long timestampMs,
    long localTimestampMicros)
    implements LakeRow {

  public static final String TABLE = "open_interest";

  public OpenInterest {
    RowChecks.text(TABLE, "exchange", exchange);
    RowChecks.present(TABLE, "market_type", marketType);
    RowChecks.text(TABLE, "symbol", symbol);
    RowChecks.nonNegative(TABLE, "open_interest", openInterest);
    RowChecks.positive(TABLE, "timestamp_ms", timestampMs);
    RowChecks.positive(TABLE, "local_timestamp", localTimestampMicros);
  }

  @Override
  public String tableName() {
    return TABLE;
  }
}
