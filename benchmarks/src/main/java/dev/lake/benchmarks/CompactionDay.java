package dev.lake.benchmarks;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.maintenance.Compaction;
import dev.lake.core.maintenance.CompactionResult;
import dev.lake.core.maintenance.Maintenance;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableManager;
import dev.lake.core.table.TableOptions;
import dev.lake.core.write.LakeWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * A simulated day of minute commits, then {@code lake compact}'s work on it: what the table looks
 * like to a query engine before and after (data files, bytes, snapshots, the time to plan and to
 * scan everything with Iceberg's reader and with DuckDB on the planned files).
 *
 * <p>The day: {@code symbols} order books, {@code rowsPerMinute} delta rows each per minute, one
 * {@link LakeWriter#flush()} (one append) per minute, 1,440 minutes, on the embedded catalog.
 *
 * <p>The venue hour ({@code --venue}): 2,500 books for 60 minute commits, a total of {@code
 * venueRowsPerMinute} rows a minute shared out by the venue benchmark's Zipf-Mandelbrot weights
 * ({@link FanOut#zipf}, exponent 1.1, offset {@link LakeRun#ZIPF_OFFSET}), so that every commit
 * makes one small file per book, as a whole venue collected with minute commits does. Its report is
 * about the compaction (input files/s, rows/s, seconds, peak heap); the full scans are left out, as
 * reading some 150,000 files takes as long as compacting them, and the rows are checked by count
 * from the snapshot summaries (the compaction itself verifies each group's rows).
 */
final class CompactionDay {
  private static final long DAY_START_MICROS = 1_754_352_000_000_000L; // 2025-08-05T00:00:00Z

  private final int symbols;
  private final int rowsPerMinute;
  private final int minutes;
  private final Path folder;
  private final long venueRowsPerMinute;
  private final boolean reuse;
  private final int threads;

  CompactionDay(int symbols, int rowsPerMinute, int minutes, Path folder) {
    this(symbols, rowsPerMinute, minutes, folder, 0, false, 0);
  }

  /**
   * @param venueRowsPerMinute above 0: the venue hour's rows a minute, shared out by Zipf weights
   * @param reuse compact a copy of the table a previous run with the same options wrote, if any
   * @param threads compaction threads (0: the default)
   */
  CompactionDay(
      int symbols,
      int rowsPerMinute,
      int minutes,
      Path folder,
      long venueRowsPerMinute,
      boolean reuse,
      int threads) {
    this.symbols = symbols;
    this.rowsPerMinute = rowsPerMinute;
    this.minutes = minutes;
    this.folder = folder;
    this.venueRowsPerMinute = venueRowsPerMinute;
    this.reuse = reuse;
    this.threads = threads;
  }

  record Scan(
      long files,
      long bytes,
      long snapshots,
      double planSeconds,
      double icebergSeconds,
      double duckSeconds,
      long rows,
      double checksum) {}

  void run() throws Exception {
    if (venueRowsPerMinute > 0) {
      runVenueHour();
      return;
    }
    Baselines.deleteTree(folder);
    Files.createDirectories(folder);
    Catalog catalog =
        LakeCatalogs.open(CatalogSettings.embedded(folder.resolve("warehouse").toString()));
    long writeStart = System.nanoTime();
    long rows = writeDay(catalog);
    double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "Wrote %,d rows of %d symbols in %d minute commits in %.1f s%n",
        rows,
        symbols,
        minutes,
        writeSeconds);
    Table table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
    Scan before = scan(table);

    TableManager manager = new TableManager(catalog, TableOptions.defaults());
    long compactStart = System.nanoTime();
    CompactionResult result =
        Compaction.builder(manager).tables(List.of(LakeTables.ORDERBOOK_DELTA)).build().run();
    double compactSeconds = (System.nanoTime() - compactStart) / 1e9;
    long maintainStart = System.nanoTime();
    Maintenance maintenance =
        Maintenance.builder(manager)
            .keepSnapshots(1)
            .keepSnapshotsYoungerThan(Duration.ZERO)
            .build();
    maintenance.expireSnapshots(LakeTables.ORDERBOOK_DELTA);
    maintenance.rewriteManifests(LakeTables.ORDERBOOK_DELTA);
    double maintainSeconds = (System.nanoTime() - maintainStart) / 1e9;
    table.refresh();
    Scan after = scan(table);
    if (after.rows() != before.rows()
        || Math.abs(after.checksum() - before.checksum()) > 1e-6 * Math.abs(before.checksum())) {
      throw new IllegalStateException("compaction changed the rows: " + before + " -> " + after);
    }
    long partitions = (long) symbols * ((minutes + 59) / 60);
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%n%d symbols x %d minute commits, %,d rows, %d partition-hours%n"
                + "compaction %.1f s (%d groups, %d failed), expiry and manifest rewrite %.1f s%n%n",
            symbols,
            minutes,
            rows,
            partitions,
            compactSeconds,
            result.tables().get(0).groups(),
            result.failedGroups(),
            maintainSeconds));
    out.append(
        "| | data files | files per partition-hour | bytes | bytes per row | snapshots | plan | full scan (Iceberg reader) | full scan (DuckDB) |\n");
    out.append("|---|---|---|---|---|---|---|---|---|\n");
    for (String name : List.of("before", "after")) {
      Scan s = name.equals("before") ? before : after;
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.1f | %.1f MiB | %.2f | %,d | %.0f ms | %.2f s | %.2f s |%n",
              name,
              s.files(),
              s.files() / (double) partitions,
              s.bytes() / 1048576.0,
              s.bytes() / (double) s.rows(),
              s.snapshots(),
              s.planSeconds() * 1000,
              s.icebergSeconds(),
              s.duckSeconds()));
    }
    System.out.print(out);
    Path results = Path.of("benchmarks/results");
    Files.createDirectories(results);
    // the venue hour's section is curated by hand from its runs: kept when the day is rerun
    Path file = results.resolve("compaction-day.md");
    String kept = "";
    if (Files.exists(file)) {
      String old = Files.readString(file);
      int venue = old.indexOf("\n## A whole venue");
      kept = venue < 0 ? "" : old.substring(venue);
    }
    Files.writeString(file, "# A day of minute commits, compacted\n" + out + kept);
  }

  private double[] shares;
  private double[] credits;

  /**
   * The rows symbol {@code s} sends in a minute: {@code rowsPerMinute} for the day; for the venue
   * hour its Zipf share of the total, with fractions carried to the next minute.
   */
  private int rowsOf(int s, int minute) {
    if (venueRowsPerMinute <= 0) {
      return rowsPerMinute;
    }
    if (shares == null) {
      double[] weights = FanOut.zipf(symbols, 1.1, LakeRun.ZIPF_OFFSET);
      double sum = 0;
      for (double weight : weights) {
        sum += weight;
      }
      shares = new double[symbols];
      credits = new double[symbols];
      for (int k = 0; k < symbols; k++) {
        shares[k] = venueRowsPerMinute * weights[k] / sum;
      }
    }
    credits[s] += shares[s];
    int rows = (int) credits[s];
    credits[s] -= rows;
    return rows;
  }

  private long writeDay(Catalog catalog) {
    Random random = new Random(42);
    double[] mids = new double[symbols];
    long[] ids = new long[symbols];
    for (int s = 0; s < symbols; s++) {
      mids[s] = 100 + random.nextInt(60_000);
      ids[s] = 1_000_000_000L * (s + 1);
    }
    long total = 0;
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .writeAheadLog(folder.resolve("wal"))
            .commitInterval(Duration.ofHours(1))
            .build()) {
      for (int minute = 0; minute < minutes; minute++) {
        long minuteStart = DAY_START_MICROS + minute * 60_000_000L;
        for (int s = 0; s < symbols; s++) {
          String symbol = String.format(Locale.ROOT, "SYM%03dUSDT", s);
          int rowsThisMinute = rowsOf(s, minute);
          if (rowsThisMinute == 0) {
            continue;
          }
          List<LakeRow> batch = new ArrayList<>(rowsThisMinute);
          for (int i = 0; i < rowsThisMinute; i++) {
            long micros = minuteStart + (long) i * 60_000_000L / rowsThisMinute;
            if (i % 10 == 0) {
              ids[s] += 1 + random.nextInt(20);
              mids[s] = Math.max(1, mids[s] + (random.nextInt(3) - 1) * 0.01);
            }
            BookSide side = random.nextBoolean() ? BookSide.BID : BookSide.ASK;
            double offset = (1 + (long) Math.abs(random.nextGaussian() * 300)) * 0.01;
            batch.add(
                new OrderBookDelta(
                    "binance",
                    MarketType.SPOT,
                    symbol,
                    micros,
                    ids[s],
                    side,
                    Math.round((side == BookSide.BID ? mids[s] - offset : mids[s] + offset) * 100)
                        / 100.0,
                    random.nextInt(4) == 0 ? 0 : random.nextInt(50_000) / 1000.0,
                    i % 10,
                    micros + 1500 + random.nextInt(1000),
                    ids[s] - 5,
                    null,
                    false));
          }
          writer.append(batch);
          total += batch.size();
        }
        writer.flush();
      }
    }
    return total;
  }

  /**
   * The venue hour: writes it (or restores the copy kept by an earlier run with the same options),
   * compacts it, and reports the compaction's rate and peak heap.
   */
  private void runVenueHour() throws Exception {
    Path pristine =
        folder.resolveSibling(
            folder.getFileName() + "-venue-" + symbols + "-" + venueRowsPerMinute + "-" + minutes);
    long rows;
    double writeSeconds = 0;
    if (reuse && Files.isDirectory(pristine)) {
      Baselines.deleteTree(folder);
      copyTree(pristine, folder);
      rows = -1;
    } else {
      Baselines.deleteTree(folder);
      Files.createDirectories(folder);
      long writeStart = System.nanoTime();
      rows = writeDay(LakeCatalogs.open(catalogSettings()));
      writeSeconds = (System.nanoTime() - writeStart) / 1e9;
      Baselines.deleteTree(pristine);
      copyTree(folder, pristine);
    }
    Catalog catalog = LakeCatalogs.open(catalogSettings());
    Table table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
    long filesBefore = summaryTotal(table, "total-data-files");
    long rowsBefore = summaryTotal(table, "total-records");
    long bytesBefore = summaryTotal(table, "total-files-size");
    System.out.printf(
        Locale.ROOT,
        "%s %,d rows of %d symbols in %d minute commits (%.1f s): %,d files, %.1f MiB%n",
        rows < 0 ? "Restored" : "Wrote",
        rowsBefore,
        symbols,
        minutes,
        writeSeconds,
        filesBefore,
        bytesBefore / 1048576.0);

    TableManager manager = new TableManager(catalog, TableOptions.defaults());
    Compaction.Builder builder =
        Compaction.builder(manager).tables(List.of(LakeTables.ORDERBOOK_DELTA));
    if (threads > 0) {
      builder.threads(threads);
    }
    Compaction compaction = builder.build();
    HeapPeak heap = new HeapPeak();
    String loadBefore = loadAverage();
    long compactStart = System.nanoTime();
    CompactionResult result = compaction.run();
    double compactSeconds = (System.nanoTime() - compactStart) / 1e9;
    long peakHeap = heap.stop();
    String loadAfter = loadAverage();
    table.refresh();
    long filesAfter = summaryTotal(table, "total-data-files");
    long rowsAfter = summaryTotal(table, "total-records");
    long bytesAfter = summaryTotal(table, "total-files-size");
    if (rowsAfter != rowsBefore) {
      throw new IllegalStateException(
          "compaction changed the rows: " + rowsBefore + " -> " + rowsAfter);
    }
    long replaced = filesBefore - filesAfter + result.tables().get(0).groups();
    System.out.printf(
        Locale.ROOT,
        "%n%d symbols x %d minute commits, %,d rows (%,d a minute, Zipf 1.1), threads %s%n"
            + "compaction %.1f s: %,d groups (%d failed), %,d -> %,d files (about %,d replaced),"
            + " %.1f -> %.1f MiB%n"
            + "%.0f input files/s, %,.0f rows/s, peak heap used %d MiB (max %d MiB),"
            + " load average %s before, %s after%n",
        symbols,
        minutes,
        rowsBefore,
        venueRowsPerMinute,
        threads > 0 ? String.valueOf(threads) : "default",
        compactSeconds,
        result.tables().get(0).groups(),
        result.failedGroups(),
        filesBefore,
        filesAfter,
        replaced,
        bytesBefore / 1048576.0,
        bytesAfter / 1048576.0,
        replaced / compactSeconds,
        rowsBefore / compactSeconds,
        peakHeap >> 20,
        Runtime.getRuntime().maxMemory() >> 20,
        loadBefore,
        loadAfter);
  }

  private CatalogSettings catalogSettings() {
    return CatalogSettings.embedded(folder.resolve("warehouse").toString());
  }

  private static long summaryTotal(Table table, String key) {
    return Long.parseLong(table.currentSnapshot().summary().getOrDefault(key, "0"));
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException | RuntimeException e) {
      return "?";
    }
  }

  private static void copyTree(Path from, Path to) throws java.io.IOException {
    try (var paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  /** Samples the heap in use every 50 ms, on a daemon thread, until stopped. */
  private static final class HeapPeak {
    private final java.util.concurrent.atomic.AtomicLong peak =
        new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean running = true;
    private final Thread thread;

    HeapPeak() {
      java.lang.management.MemoryMXBean memory =
          java.lang.management.ManagementFactory.getMemoryMXBean();
      thread =
          new Thread(
              () -> {
                while (running) {
                  peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "heap-peak");
      thread.setDaemon(true);
      thread.start();
    }

    long stop() throws InterruptedException {
      running = false;
      thread.join();
      return peak.get();
    }
  }

  private static Scan scan(Table table) throws Exception {
    List<String> paths = new ArrayList<>();
    long bytes = 0;
    double planSeconds = Double.MAX_VALUE;
    // the best of three: planning reads manifests, which the first pass brings into the cache
    for (int attempt = 0; attempt < 3; attempt++) {
      paths.clear();
      bytes = 0;
      long planStart = System.nanoTime();
      try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
        for (FileScanTask task : tasks) {
          paths.add(task.file().location());
          bytes += task.file().fileSizeInBytes();
        }
      }
      planSeconds = Math.min(planSeconds, (System.nanoTime() - planStart) / 1e9);
    }
    long snapshots = 0;
    for (var ignored : table.snapshots()) {
      snapshots++;
    }

    long icebergStart = System.nanoTime();
    long rows = 0;
    double checksum = 0;
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table).select("price", "quantity").build()) {
      for (Record record : records) {
        rows++;
        checksum += (Double) record.getField("price") * (Double) record.getField("quantity");
      }
    }
    double icebergSeconds = (System.nanoTime() - icebergStart) / 1e9;

    long duckStart = System.nanoTime();
    StringBuilder list = new StringBuilder("[");
    for (String path : paths) {
      list.append(list.length() == 1 ? "'" : ",'").append(path.replace("'", "''")).append('\'');
    }
    list.append(']');
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT count(*), sum(price * quantity) FROM read_parquet("
                    + list
                    + ", hive_partitioning = false)")) {
      result.next();
      if (result.getLong(1) != rows) {
        throw new IllegalStateException(
            "DuckDB read " + result.getLong(1) + " rows, Iceberg " + rows);
      }
    }
    double duckSeconds = (System.nanoTime() - duckStart) / 1e9;
    return new Scan(
        paths.size(), bytes, snapshots, planSeconds, icebergSeconds, duckSeconds, rows, checksum);
  }
}
