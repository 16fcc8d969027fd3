package dev.lake.core.write;

import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.model.MarketType;
import java.nio.file.Path;
import java.time.Duration;

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
        writer.append(TestRows.message(SYMBOL, id, LEVELS));
        if (id % 50 == 0) {
          Thread.sleep(1);
        }
      }
      System.out.println("DONE");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
