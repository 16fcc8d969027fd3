package dev.lake.core.model;

/**
 * A row of one of lake's tables. Rows are immutable values; their constructors reject missing
 * required fields and non-finite numbers with an {@link IllegalArgumentException} that names the
 * table and the field, so that no invalid row can reach a writer.
 *
 * <p>Times are held as epoch milliseconds where the venue gives milliseconds ({@code timestampMs})
 * and as epoch microseconds otherwise ({@code ...Micros}); the tables store them as {@code
 * timestamptz} (microseconds, UTC).
 */
public sealed interface LakeRow
    permits OrderBookSnapshot,
        OrderBookDelta,
        Contract,
        Liquidation,
        OpenInterest,
        FundingRate,
        StreamEvent,
        Trade {

  /** The name of the table this row belongs to, e.g. {@code orderbook_delta}. */
  String tableName();
}
