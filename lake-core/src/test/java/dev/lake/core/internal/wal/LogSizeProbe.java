package dev.lake.core.internal.wal;

import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the log's bytes per row for book updates (records of 20 levels), trades (records of 5) and
 * stream events (one per record), the time to encode book updates, and the time to replay them from
 * a log (read, check and decode). A measuring tool, not a test: run its main with a scratch folder.
 */
final class LogSizeProbe {
  private static final int ROWS = 5000;

  private LogSizeProbe() {}

  public static void main(String[] args) {
    List<List<LakeRow>> deltas = new ArrayList<>();
    for (int i = 0; i < ROWS / 20; i++) {
      deltas.add(TestRows.message("BTCUSDT", 1_000_000_000L + i, 20));
    }
    List<List<LakeRow>> trades = new ArrayList<>();
    long micros = TestRows.BASE_MS * 1000;
    for (int i = 0; i < ROWS / 5; i++) {
      List<LakeRow> batch = new ArrayList<>();
      for (int j = 0; j < 5; j++) {
        long id = 5_000_000_000L + i * 5 + j;
        batch.add(
            new Trade(
                "binance",
                MarketType.FUTURE,
                "BTCUSDT",
                Long.toString(id),
                j % 2 == 0 ? TradeSide.BUY : TradeSide.SELL,
                60000 + j * 0.1,
                0.001 * (j + 1),
                micros + i * 1000,
                micros + i * 1000 + 2500));
      }
      trades.add(batch);
    }
    List<List<LakeRow>> events = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      events.add(
          List.of(
              new StreamEvent(
                  "binance",
                  "spot",
                  "orderbook_delta",
                  "BTCUSDT",
                  StreamEventType.GAP,
                  null,
                  100L + i,
                  104L + i,
                  micros + i,
                  micros + i + 3)));
    }
    System.out.printf("delta  bytes/row %.2f%n", bytesPerRow(deltas));
    System.out.printf("trade  bytes/row %.2f%n", bytesPerRow(trades));
    System.out.printf("event  bytes/row %.2f%n", bytesPerRow(events));
    ByteSink sink = new ByteSink(1 << 16);
    for (int round = 0; round < 15; round++) {
      long start = System.nanoTime();
      int rows = 0;
      for (int repeat = 0; repeat < 200; repeat++) {
        for (List<LakeRow> batch : deltas) {
          sink.reset(WriteAheadLog.HEADER_BYTES);
          RowCodec.encode(batch, sink);
          rows += batch.size();
        }
      }
      System.out.printf("delta encode ns/row %.1f%n", (System.nanoTime() - start) / (double) rows);
    }
    if (args.length > 0) {
      replay(deltas, java.nio.file.Path.of(args[0]));
    }
  }

  private static void replay(List<List<LakeRow>> records, java.nio.file.Path folder) {
    try (WriteAheadLog log = WriteAheadLog.open(folder, 1L << 30)) {
      int rows = 0;
      for (int repeat = 0; repeat < 40; repeat++) {
        for (List<LakeRow> batch : records) {
          log.append(batch);
          rows += batch.size();
        }
      }
      for (int round = 0; round < 10; round++) {
        long start = System.nanoTime();
        long[] seen = {0};
        log.replay(0, log.endPosition(), (s, e, batch) -> seen[0] += batch.size());
        System.out.printf(
            "delta replay ns/row %.1f%n", (System.nanoTime() - start) / (double) seen[0]);
      }
    }
  }

  private static double bytesPerRow(List<List<LakeRow>> records) {
    ByteSink sink = new ByteSink(1 << 16);
    long bytes = 0;
    long rows = 0;
    for (List<LakeRow> batch : records) {
      sink.reset(WriteAheadLog.HEADER_BYTES);
      RowCodec.encode(batch, sink);
      bytes += sink.buffer().position();
      rows += batch.size();
    }
    return bytes / (double) rows;
  }
}
