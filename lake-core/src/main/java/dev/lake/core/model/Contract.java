package dev.lake.core.model;

/**
 * A row of {@code contracts}: one instrument as the venue lists it at one time.
 *
 * @param exchange venue name in lower case
 * @param marketType spot or future
 * @param symbol the venue's own symbol
 * @param contractCode the venue's contract code where it differs from the symbol, or null
 * @param contractType e.g. {@code PERPETUAL}, {@code CURRENT_QUARTER}, {@code SPOT}, or null
 * @param baseAsset base asset, e.g. {@code BTC}
 * @param quoteAsset quote asset, e.g. {@code USDT}
 * @param tickSize price increment
 * @param contractSize size of one contract in the venue's unit, or null where not applicable
 * @param timestampMs time of the listing (receive time where the venue gives none)
 * @param localTimestampMicros receive time, epoch microseconds
 */
public record Contract(
    String exchange,
    MarketType marketType,
    String symbol,
    String contractCode,
    String contractType,
    String baseAsset,
    String quoteAsset,
    double tickSize,
    Double contractSize,
    long timestampMs,
    long localTimestampMicros)
    implements LakeRow {

  public static final String TABLE = "contracts";

  public Contract {
    RowChecks.text(TABLE, "exchange", exchange);
    RowChecks.present(TABLE, "market_type", marketType);
    RowChecks.text(TABLE, "symbol", symbol);
    RowChecks.text(TABLE, "base_asset", baseAsset);
    RowChecks.text(TABLE, "quote_asset", quoteAsset);
    RowChecks.nonNegative(TABLE, "tick_size", tickSize);
    RowChecks.finiteOrNull(TABLE, "contract_size", contractSize);
    RowChecks.positive(TABLE, "timestamp_ms", timestampMs);
    RowChecks.positive(TABLE, "local_timestamp", localTimestampMicros);
  }

  @Override
  public String tableName() {
    return TABLE;
  }
}
