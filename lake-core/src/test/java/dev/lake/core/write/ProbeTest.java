package dev.lake.core.write;

import dev.lake.core.TestCatalogs;
import dev.lake.core.model.*;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;

class ProbeTest {
  @Test
  void probe() throws Exception {
    for (int wal = 0; wal < 2; wal++) {
      Path dir = Files.createTempDirectory("probe");
      Catalog catalog = TestCatalogs.sqlite(dir);
      LakeWriter.Builder b = LakeWriter.builder(catalog).commitInterval(Duration.ofSeconds(600));
      if (wal == 1) b.writeAheadLog(dir.resolve("wal"));
      else b.withoutWriteAheadLog();
      try (LakeWriter writer = b.build()) {
        int n = 2_000_000;
        List<OrderBookDelta> batch = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          long id = 1_000_000 + i / 20;
          long micros = (1_754_398_800_000L + i / 20) * 1000;
          batch.add(
              new OrderBookDelta(
                  "binance",
                  MarketType.FUTURE,
                  "BTCUSDT",
                  micros,
                  id,
                  (i % 2 == 0) ? BookSide.BID : BookSide.ASK,
                  60000 + (i % 400) * 0.1,
                  (i % 97) * 0.001,
                  i % 20,
                  micros + 3000,
                  id - 5,
                  id - 6,
                  false));
          if (batch.size() == 20) {
            writer.append(batch);
            batch = new ArrayList<>();
          }
        }
        long appendDone = System.nanoTime();
        writer.flush();
        long end = System.nanoTime();
        long bytes;
        try (var s = Files.walk(dir.resolve("crypto"))) {
          bytes =
              s.filter(p -> p.toString().endsWith(".parquet"))
                  .mapToLong(p -> p.toFile().length())
                  .sum();
        }
        System.out.printf(
            "wal=%d rows=%d append %.0f rows/s, total %.0f rows/s, bytes/row %.2f%n",
            wal,
            n,
            n / ((appendDone - start) / 1e9),
            n / ((end - start) / 1e9),
            bytes / (double) n);
      }
    }
  }
}
