package dev.lake.core.internal.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import dev.lake.core.table.LakeTables;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows held encoded in the log's row encoding. */
class RowBufferTest {

  private static List<Trade> trades(int count) {
    List<Trade> trades = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      trades.add(
          new Trade(
              "binance",
              MarketType.SPOT,
              "BTCUSDT",
              "id-" + i,
              i % 2 == 0 ? TradeSide.BUY : TradeSide.SELL,
              60_000 + i * 0.01,
              0.5 * i,
              TestRows.BASE_MS * 1000 + i,
              TestRows.BASE_MS * 1000 + i + 700));
    }
    return trades;
  }

  @Test
  void rowsComeBackEqualInTheOrderTheyWereAdded() {
    // more distinct strings than the buffer references: the later ids are written in full
    List<Trade> trades = trades(40);
    RowBuffer<Trade> buffer = new RowBuffer<>(LakeTables.TRADES);
    trades.forEach(buffer::add);
    List<LakeRow> read = new ArrayList<>();
    buffer.forEach(read::add);

    assertThat(read).containsExactlyElementsOf(trades);
  }

  @Test
  void anOrderBookDeltaTakesUnderFiftyBytesEncoded() {
    // update ids as large as Binance's futures ones: 6 bytes each, three of them
    RowBuffer<OrderBookDelta> buffer = new RowBuffer<>(LakeTables.ORDERBOOK_DELTA);
    for (int i = 0; i < 1000; i++) {
      buffer.add(TestRows.delta("BTCUSDT", 70_000_000_000L + i, i % 20));
    }

    assertThat(buffer.encodedBytes() / buffer.rows()).as("bytes a row").isLessThan(50);
    assertThat(buffer.heapBytes())
        .as("its array, at most twice what it holds, and the fixed overhead")
        .isBetween(
            buffer.encodedBytes() + RowBuffer.OVERHEAD_BYTES,
            2L * buffer.encodedBytes() + RowBuffer.OVERHEAD_BYTES);
  }
}
