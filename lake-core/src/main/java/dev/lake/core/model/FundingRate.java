package dev.lake.core.model;

/**
 * A row of {@code funding_rate}.
 *
 * @param exchange venue name in lower case
 * @param marketType future
 * @param symbol the venue's own symbol
 * @param fundingRate the rate, as a fraction (0.0001 = 0.01 %)
 * @param fundingTimeMs the funding settlement the rate applies to
 * @param timestampMs the venue's time of the value
 * @param localTimestampMicros receive time, epoch microseconds
 */
public record FundingRate(
    String exchange,
    MarketType marketType,
    String symbol,
    double fundingRate,
    long fundingTimeMs,
    long timestampMs,
    long localTimestampMicros)
    implements LakeRow {

  public static final String TABLE = "funding_rate";

  public FundingRate {
    RowChecks.text(TABLE, "exchange", exchange);
    RowChecks.present(TABLE, "market_type", marketType);
    RowChecks.text(TABLE, "symbol", symbol);
    RowChecks.finite(TABLE, "funding_rate", fundingRate);
    RowChecks.positive(TABLE, "funding_time", fundingTimeMs);
    RowChecks.positive(TABLE, "timestamp_ms", timestampMs);
    RowChecks.positive(TABLE, "local_timestamp", localTimestampMicros);
  }

  @Override
  public String tableName() {
    return TABLE;
  }
}
