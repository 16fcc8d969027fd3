package dev.lake.core.model;

import java.util.List;

/**
 * A row of {@code orderbook_snapshot}: the top of a book at one instant.
 *
 * @param exchange venue name in lower case, e.g. {@code binance}
 * @param marketType spot or future
 * @param symbol the venue's own symbol, e.g. {@code BTCUSDT}
 * @param timestampMs exchange time of the snapshot (receive time where the venue gives none)
 * @param bids bid levels, best (highest) first
 * @param asks ask levels, best (lowest) first
 * @param localTimestampMicros receive time, epoch microseconds
 * @param lastUpdateId the book sequence id the snapshot is consistent with, or null
 * @param source where the snapshot came from
 */
public record OrderBookSnapshot(
    String exchange,
    MarketType marketType,
    String symbol,
    long timestampMs,
    List<PriceLevel> bids,
    List<PriceLevel> asks,
    long localTimestampMicros,
    Long lastUpdateId,
    SnapshotSource source)
    implements LakeRow {

  public static final String TABLE = "orderbook_snapshot";

  public OrderBookSnapshot {
    RowChecks.text(TABLE, "exchange", exchange);
    RowChecks.present(TABLE, "market_type", marketType);
    RowChecks.text(TABLE, "symbol", symbol);
    RowChecks.positive(TABLE, "timestamp_ms", timestampMs);
    bids = List.copyOf(RowChecks.present(TABLE, "bids", bids));
    asks = List.copyOf(RowChecks.present(TABLE, "asks", asks));
    RowChecks.positive(TABLE, "local_timestamp", localTimestampMicros);
    RowChecks.present(TABLE, "source", source);
  }

  @Override
  public String tableName() {
    return TABLE;
  }
}
