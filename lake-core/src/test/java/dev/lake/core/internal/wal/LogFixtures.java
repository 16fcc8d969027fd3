package dev.lake.core.internal.wal;

import dev.lake.core.TestRows;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.SnapshotSource;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of the log files kept as test resources. Never change them: the files were written from
 * them by an older lake (see {@link V1LogGenerator}).
 */
final class LogFixtures {
  private LogFixtures() {}

  /**
   * One row of every table, then rows that between them use every constant of every enum a row
   * holds, and both null and non-null optional values.
   */
  static List<LakeRow> everyRowType() {
    long micros = TestRows.BASE_MS * 1000;
    List<LakeRow> rows = new ArrayList<>(TestRows.oneOfEach());
    rows.add(
        new OrderBookDelta(
            "bybit",
            MarketType.FUTURE,
            "ETHUSDT",
            micros + 5,
            7_000_000_001L,
            BookSide.ASK,
            3000.25,
            0,
            17,
            micros + 5,
            null,
            7_000_000_000L,
            true));
    rows.add(
        new OrderBookSnapshot(
            "okx",
            MarketType.SPOT,
            "BTC-USDT",
            TestRows.BASE_MS,
            List.of(),
            List.of(new PriceLevel(1e-8, 123456789.5)),
            micros + 1,
            null,
            SnapshotSource.BOOK));
    rows.add(
        new Trade(
            "binance",
            MarketType.FUTURE,
            "币安人生USDT",
            "t-1",
            TradeSide.SELL,
            0.5,
            10,
            micros,
            micros));
    for (StreamEventType type : StreamEventType.values()) {
      rows.add(
          new StreamEvent(
              StreamEvent.LAKE,
              StreamEvent.ALL,
              StreamEvent.ALL,
              null,
              type,
              null,
              null,
              null,
              micros + type.ordinal(),
              micros + 100));
    }
    return rows;
  }
}
