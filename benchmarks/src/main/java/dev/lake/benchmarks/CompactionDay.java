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
 */
final class CompactionDay {
  private static final long DAY_START_MICROS = 1_754_352_000_000_000L; // 2025-08-05T00:00:00Z

  private final int symbols;
  private final int rowsPerMinute;
  private final int minutes;
  private final Path folder;

  CompactionDay(int symbols, int rowsPerMinute, int minutes, Path folder) {
    this.symbols = symbols;
    this.rowsPerMinute = rowsPerMinute;
    this.minutes = minutes;
    this.folder = folder;
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
    Files.writeString(
        results.resolve("compaction-day.md"), "# A day of minute commits, compacted\n" + out);
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
          List<LakeRow> batch = new ArrayList<>(rowsPerMinute);
          for (int i = 0; i < rowsPerMinute; i++) {
            long micros = minuteStart + (long) i * 60_000_000L / rowsPerMinute;
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
