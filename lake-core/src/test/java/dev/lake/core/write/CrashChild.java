package dev.lake.core.write;

import dev.lake.core.TestCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The process {@link CrashRecoveryTest} kills: a deterministic source of book messages written
 * through a {@link LakeWriter} with a write-ahead log. Like a venue connector after a restart, it
 * resumes after the last update id the writer reports as persisted (in the table or the log).
 *
 * <p>Arguments: warehouse folder, log folder, id to stop after (exclusive), and "run" (append until
 * killed or done) .
 */
public final class CrashChild {
  static final String SYMBOL = "CRASH";
  static final int LEVELS = 3;

  private CrashChild() {}

  public static void main(String[] args) {
    Path warehouse = Path.of(args[0]);
    Path wal = Path.of(args[1]);
    long stopAfter = Long.parseLong(args[2]);
    try (LakeWriter writer =
        LakeWriter.builder(TestCatalogs.sqlite(warehouse))
            .writeAheadLog(wal)
            .commitInterval(Duration.ofMillis(150))
            .walFsyncInterval(Duration.ofMillis(50))
            .walSegmentBytes(256 * 1024)
            .build()) {
      Long persisted =
          writer.lastPersistedUpdateIds().get(new BookKey("binance", MarketType.SPOT, SYMBOL));
      long next = persisted == null ? 0 : persisted + 1;
      System.out.println("READY " + next);
      System.out.flush();
      for (long id = next; id < stopAfter; id++) {
        writer.append(message(id));
        if (id % 50 == 0) {
          Thread.sleep(1);
        }
      }
      System.out.println("DONE");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static List<LakeRow> message(long id) {
    long now = Instant.now().toEpochMilli() * 1000;
    List<LakeRow> rows = new ArrayList<>(LEVELS);
    for (int level = 0; level < LEVELS; level++) {
      rows.add(
          new OrderBookDelta(
              "binance",
              MarketType.SPOT,
              SYMBOL,
              now,
              id,
              level % 2 == 0 ? BookSide.BID : BookSide.ASK,
              100 + (id % 100) * 0.5 + level,
              level + 1,
              level,
              now + 10,
              id,
              null,
              false));
    }
    return rows;
  }
}
