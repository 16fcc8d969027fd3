package dev.lake.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lake.core.model.MarketType;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.write.LakeWriter;
import dev.lake.testing.binance.FakeBinance;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.metrics.ScanReport;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark (local mode, Iceberg's Spark runtime) reads the tables {@code lake ingest} wrote, through
 * the embedded SQLite catalog and a REST catalog, and gets the rows Iceberg's own reader gets;
 * prunes files on the partition columns; and runs its own maintenance on them with lake-core on its
 * class path. One Spark session for the class: starting Spark is most of the time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkReadsLakeTablesTest {
  private static final String DELTA = "orderbook_delta";
  private static final int HISTORY_HOURS = 4;
  private static final int HISTORY_ROWS_PER_HOUR = LakeTasks.HISTORY_ROWS_PER_HOUR;
  private static final List<String> SYMBOLS = LakeTasks.SYMBOLS;

  @TempDir static Path folder;
  private Catalog catalog;
  private Catalog restCatalog;
  private Process rest;
  private String restUri;
  private SparkSession spark;
  private String historyWriterId;

  @BeforeAll
  void setUp() throws Exception {
    Path work = Files.createDirectories(folder.resolve("work"));
    Path warehouse = work.resolve("warehouse");
    ingestFromFakeBinance(work);
    historyWriterId = writeHistory(warehouse, 0, HISTORY_HOURS);
    restUri = startRestCatalog(warehouse);
    catalog = sqliteCatalog(warehouse);
    restCatalog =
        CatalogUtil.buildIcebergCatalog(
            "rest", Map.of("type", "rest", "uri", restUri), new Configuration());
    spark = startSpark(warehouse);
  }

  /**
   * Starts Iceberg's REST catalog server in a JVM of its own, holding a copy of every table lake
   * wrote (copied by lake's writer), and returns its URI.
   */
  private String startRestCatalog(Path warehouse) throws Exception {
    Path outputs = Files.createDirectories(folder.resolve("rest"));
    rest =
        startLake(
            outputs, LakeTasks.class.getName(), "rest", warehouse.toString(), outputs.toString());
    Path stdout = outputs.resolve("stdout.txt");
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> !rest.isAlive() || Files.readString(stdout).contains("ready "));
    } catch (ConditionTimeoutException e) {
      String err = Files.readString(outputs.resolve("stderr.txt"));
      throw new AssertionError(
          "The REST catalog did not start in 2 minutes: "
              + err.substring(Math.max(0, err.length() - 6000)),
          e);
    }
    assertThat(rest.isAlive()).as(Files.readString(outputs.resolve("stderr.txt"))).isTrue();
    return Files.readString(stdout).replaceAll("(?s).*ready (\\S+).*", "$1");
  }

  private String writeHistory(Path warehouse, int firstHour, int hours) throws Exception {
    return runLake(
        folder.resolve("history-" + firstHour),
        "history",
        warehouse.toString(),
        folder.resolve("wal-history").toString(),
        Integer.toString(firstHour),
        Integer.toString(hours));
  }

  private static Catalog sqliteCatalog(Path warehouse) {
    return CatalogUtil.buildIcebergCatalog(
        "lake",
        Map.of(
            "type",
            "jdbc",
            "uri",
            "jdbc:sqlite:" + warehouse.resolve("catalog.db"),
            "jdbc.schema-version",
            "V1",
            "warehouse",
            warehouse.toString()),
        new Configuration());
  }

  @AfterAll
  void tearDown() {
    if (spark != null) {
      spark.stop();
    }
    if (rest != null) {
      rest.destroy();
    }
  }

  @Test
  void sparkReadsEveryTableOfTheEmbeddedCatalogWithTheRowsIcebergsReaderReads() {
    for (TableDefinition<?> definition : LakeTables.all()) {
      Table table = catalog.loadTable(TableIdentifier.of("crypto", definition.name()));
      List<String> iceberg = CanonicalRows.ofIceberg(table);
      List<String> fromSpark =
          CanonicalRows.ofSpark(spark.table("lake.crypto." + definition.name()).collectAsList());
      System.out.printf("jdbc %s: %d rows compared%n", definition.name(), iceberg.size());
      assertThat(iceberg).as(definition.name() + " has rows").isNotEmpty();
      assertThat(fromSpark).as(definition.name()).isEqualTo(iceberg);
    }
  }

  @Test
  void sparkReadsEveryTableOfARestCatalogWithTheRowsIcebergsReaderReads() {
    for (TableDefinition<?> definition : LakeTables.all()) {
      Table table = restCatalog.loadTable(TableIdentifier.of("crypto", definition.name()));
      List<String> iceberg = CanonicalRows.ofIceberg(table);
      List<String> fromSpark =
          CanonicalRows.ofSpark(
              spark.table("lake_rest.crypto." + definition.name()).collectAsList());
      System.out.printf("rest %s: %d rows compared%n", definition.name(), iceberg.size());
      assertThat(iceberg).as(definition.name() + " has rows").isNotEmpty();
      assertThat(fromSpark).as(definition.name()).isEqualTo(iceberg);
    }
  }

  @Test
  void theReadmesSpreadsPerMinuteQueryGivesAPositiveSpreadForEveryMinuteOfEverySnapshottedBook() {
    List<Row> rows =
        spark
            .sql(
                "SELECT symbol, date_trunc('minute', `timestamp`) AS minute,"
                    + " avg(element_at(asks, 1).price - element_at(bids, 1).price) AS spread"
                    + " FROM lake.crypto.orderbook_snapshot GROUP BY 1, 2 ORDER BY 1, 2")
            .collectAsList();

    assertThat(rows).isNotEmpty();
    assertThat(rows).allSatisfy(row -> assertThat(row.getDouble(2)).isPositive());
  }

  @Test
  void theReadmesLiquidationsPerHourQueryCountsEachLiquidationOnce() {
    List<Row> rows =
        spark
            .sql(
                "SELECT symbol, side, date_trunc('hour', `timestamp`) AS hour, count(*),"
                    + " sum(quantity) FROM lake.crypto.liquidation GROUP BY 1, 2, 3")
            .collectAsList();

    assertThat(rows)
        .extracting(row -> row.getString(0) + " " + row.getString(1) + " " + row.getLong(3))
        .containsExactlyInAnyOrder("BTCUSDT sell 1", "ETHUSDT buy 1");
  }

  @Test
  void theReadmesGapsPerDayQueryCountsTheGapTheVenueMade() {
    List<Row> rows =
        spark
            .sql(
                "SELECT exchange, feed, date_trunc('day', `timestamp`) AS day, count(*)"
                    + " FROM lake.crypto.stream_events WHERE event IN ('gap', 'restart_gap')"
                    + " GROUP BY 1, 2, 3")
            .collectAsList();

    assertThat(rows)
        .extracting(row -> row.getString(0) + " " + row.getString(1) + " " + row.getLong(3))
        .containsExactly("binance orderbook_delta 1");
  }

  @Test
  void aQueryBySymbolAndHourPlansOnlyTheFileOfThatPartition() {
    Table table = catalog.loadTable(TableIdentifier.of("crypto", DELTA));
    ScanReports.clear();

    List<Row> rows =
        spark
            .sql(
                "SELECT * FROM lake.crypto.orderbook_delta WHERE symbol = 'ETHUSDT' AND"
                    + " `timestamp` BETWEEN TIMESTAMP '2025-08-05 12:00:00' AND TIMESTAMP"
                    + " '2025-08-05 12:59:59.999999'")
            .collectAsList();

    assertThat(rows).hasSize(HISTORY_ROWS_PER_HOUR);
    List<ScanReport> reports = ScanReports.of("lake.crypto." + DELTA);
    assertThat(reports).isNotEmpty();
    ScanReport scan = reports.get(reports.size() - 1);
    System.out.printf(
        "pruning: %d of %d data files planned, %d skipped, filter %s%n",
        scan.scanMetrics().resultDataFiles().value(),
        dataFiles(table).size(),
        scan.scanMetrics().skippedDataFiles().value(),
        scan.filter());
    assertThat(dataFiles(table)).hasSizeGreaterThan(SYMBOLS.size() * HISTORY_HOURS);
    assertThat(scan.scanMetrics().resultDataFiles().value()).isEqualTo(1);
  }

  @Test
  void sparksCompactionAndSnapshotExpiryKeepLakesWritePositionsAndLakesLayout() throws Exception {
    String position = LakeWriter.positionProperty(historyWriterId);
    String positionBefore =
        catalog.loadTable(TableIdentifier.of("crypto", DELTA)).properties().get(position);
    List<String> rowsBefore =
        CanonicalRows.ofSpark(spark.table("lake.crypto." + DELTA).collectAsList());

    Row rewrite =
        spark
            .sql(
                "CALL lake.system.rewrite_data_files(table => 'crypto.orderbook_delta',"
                    + " options => map('rewrite-all', 'true'))")
            .first();
    Row expire =
        spark
            .sql(
                "CALL lake.system.expire_snapshots(table => 'crypto.orderbook_delta', older_than =>"
                    + " TIMESTAMP '"
                    + Instant.now().plusSeconds(1).toString().replace('T', ' ').replace("Z", "")
                    + "', retain_last => 1)")
            .first();

    Table table = catalog.loadTable(TableIdentifier.of("crypto", DELTA));
    System.out.printf("spark maintenance: rewrite %s, expire %s%n", rewrite, expire);
    assertThat(rewrite.getInt(0)).as("files rewritten").isPositive();
    assertThat(table.snapshots()).hasSize(1);
    assertThat(positionBefore).isNotNull();
    assertThat(table.properties().get(position)).isEqualTo(positionBefore);
    assertThat(LakeWriter.committedPosition(table, historyWriterId))
        .isEqualTo(Long.parseLong(positionBefore));
    assertThat(dataFiles(table))
        .allSatisfy(
            file ->
                assertThat(file.location())
                    .contains("/data_type=orderbook_delta/symbol=")
                    .contains("/year="));
    assertThat(CanonicalRows.ofSpark(spark.table("lake.crypto." + DELTA).collectAsList()))
        .isEqualTo(rowsBefore);

    // the writer whose position that is, reopened on its log, appends new rows once
    assertThat(writeHistory(folder.resolve("work/warehouse"), HISTORY_HOURS, 1))
        .isEqualTo(historyWriterId);
    List<String> rowsAfter =
        CanonicalRows.ofSpark(spark.table("lake.crypto." + DELTA).collectAsList());
    assertThat(rowsAfter)
        .hasSize(rowsBefore.size() + SYMBOLS.size() * HISTORY_ROWS_PER_HOUR)
        .containsAll(rowsBefore)
        .isEqualTo(CanonicalRows.ofIceberg(catalog.loadTable(TableIdentifier.of("crypto", DELTA))));
  }

  @Test
  void withoutLakesLocationProviderSparkStillReadsATableButCannotWriteIt() {
    Table table = catalog.loadTable(TableIdentifier.of("crypto", "funding_rate"));
    List<String> rows = CanonicalRows.ofIceberg(table);
    // a class Spark cannot load, as lake's is for a Spark without the lake-core jar
    table
        .updateProperties()
        .set("write.location-provider.impl", "dev.lake.core.layout.NotOnTheClassPath")
        .commit();

    assertThat(CanonicalRows.ofSpark(spark.table("lake.crypto.funding_rate").collectAsList()))
        .isEqualTo(rows);
    assertThatThrownBy(
            () ->
                spark
                    .sql(
                        "CALL lake.system.rewrite_data_files(table => 'crypto.funding_rate',"
                            + " options => map('rewrite-all', 'true'))")
                    .collect())
        .hasStackTraceContaining(
            "Unable to find a constructor for implementation dev.lake.core.layout.NotOnTheClassPath"
                + " of interface org.apache.iceberg.io.LocationProvider. Make sure the"
                + " implementation is in classpath");
  }

  /** Runs {@code lake ingest} against a fake Binance and stops it with SIGTERM. */
  private void ingestFromFakeBinance(Path work) throws Exception {
    try (FakeBinance binance = FakeBinance.start(Duration.ofSeconds(2))) {
      for (MarketType market : MarketType.values()) {
        for (String symbol : SYMBOLS) {
          binance.addSymbol(market, symbol, symbol.replace("USDT", ""), "USDT", 40);
        }
      }
      long now = System.currentTimeMillis();
      binance.setOpenInterest("BTCUSDT", "83782.317");
      binance.setOpenInterest("ETHUSDT", "1200000.5");
      binance.setPremiumIndex("BTCUSDT", "0.00010000", now + 3_600_000);
      binance.setPremiumIndex("ETHUSDT", "0.00005000", now + 3_600_000);
      Files.writeString(work.resolve("lake.yml"), config(binance));
      Process ingest = startLake(work, "dev.lake.cli.Main", "ingest", "--config", "lake.yml");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  !ingest.isAlive()
                      || binance.subscriptions(MarketType.FUTURE).contains("btcusdt@forceOrder"));
      assertThat(ingest.isAlive())
          .as("lake ingest runs: " + Files.readString(work.resolve("stderr.txt")))
          .isTrue();
      for (MarketType market : MarketType.values()) {
        binance.awaitSubscribed(market, "btcusdt@depth@100ms", Duration.ofSeconds(60));
        binance.awaitSubscribed(market, "ethusdt@depth@100ms", Duration.ofSeconds(60));
      }
      binance.awaitSubscribed(MarketType.SPOT, "btcusdt@trade", Duration.ofSeconds(60));
      for (int round = 0; round < 30; round++) {
        for (MarketType market : MarketType.values()) {
          binance.publishDepth(market, "BTCUSDT", 3);
          binance.publishDepth(market, "ETHUSDT", 2);
        }
        binance.publishTrade(
            MarketType.SPOT, "BTCUSDT", "60000.5", "0.01", now + round, round % 2 == 0);
        if (round == 10) {
          binance.dropNextDepth(MarketType.SPOT, "BTCUSDT", 2); // a gap row
          binance.publishForceOrder("BTCUSDT", "SELL", "60000.5", "0.25", now);
          binance.publishForceOrder("ETHUSDT", "BUY", "3000.1", "4.5", now + 1);
        }
        Thread.sleep(50); // pacing the fake, as a venue spreads its events
      }
      // polls (snapshots, open interest, funding, contracts) come every 500 ms
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> binance.restRequests("/fapi/v1/premiumIndex") >= 2);
      ingest.destroy(); // SIGTERM: lake commits everything received and exits 0
      assertThat(ingest.waitFor(90, TimeUnit.SECONDS)).isTrue();
      assertThat(ingest.exitValue()).as(Files.readString(work.resolve("stderr.txt"))).isZero();
    }
  }

  private static String config(FakeBinance binance) {
    return """
        source:
          binance:
            spot:
              orderbook:
                snapshots: {url: %1$s/api/v3/depth, interval_ms: 500, limit: 20, symbols: [BTCUSDT, ETHUSDT]}
                delta: {url: %2$s/ws, interval_ms: 100, snapshot_limit: 1000, snapshot_url: %1$s/api/v3/depth, symbols: [BTCUSDT, ETHUSDT]}
              contracts: {url: %1$s/api/v3/exchangeInfo, interval_ms: 3600000}
              trades: {url: %2$s/ws, symbols: [BTCUSDT, ETHUSDT]}
            future:
              orderbook:
                snapshots: {source: book, interval_ms: 500, limit: 20, symbols: [BTCUSDT, ETHUSDT]}
                delta: {url: %2$s/public/stream, interval_ms: 100, snapshot_limit: 1000, snapshot_url: %1$s/fapi/v1/depth, symbols: [BTCUSDT, ETHUSDT]}
              contracts: {url: %1$s/fapi/v1/exchangeInfo, interval_ms: 3600000}
              liquidation: {url: %2$s/market/ws, symbols: [BTCUSDT, ETHUSDT]}
              open_interest: {url: %1$s/fapi/v1/openInterest, interval_ms: 500, symbols: [BTCUSDT, ETHUSDT]}
              funding_rate: {url: %1$s/fapi/v1/premiumIndex, interval_ms: 500, symbols: [BTCUSDT, ETHUSDT]}
        sink:
          warehouse: ./warehouse
          commit_interval_ms: 1000
          wal_dir: ./wal
        """
        .formatted(binance.httpBase(), binance.wsBase());
  }

  /** Runs a main class in a JVM of its own, on this class path without Iceberg's Spark runtime. */
  private static Process startLake(Path outputs, String mainClass, String... args)
      throws IOException {
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("iceberg-spark-runtime"))
                .filter(entry -> !entry.contains("jakarta.servlet-api"))
                .collect(Collectors.joining(File.pathSeparator))
            + File.pathSeparator
            + Path.of(System.getProperty("lake.child.jars"), "jakarta.servlet-api-6.1.0.jar");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass);
    command.addAll(List.of(args));
    Files.createDirectories(outputs);
    return new ProcessBuilder(command)
        .directory(outputs.toFile())
        .redirectOutput(outputs.resolve("stdout.txt").toFile())
        .redirectError(outputs.resolve("stderr.txt").toFile())
        .start();
  }

  /** Runs one of {@link LakeTasks} to its end and returns the last line it printed. */
  private static String runLake(Path outputs, String... args) throws Exception {
    Process process = startLake(outputs, LakeTasks.class.getName(), args);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(outputs.resolve("stdout.txt"));
    assertThat(process.exitValue())
        .as(out + Files.readString(outputs.resolve("stderr.txt")))
        .isZero();
    return out.strip().lines().reduce("", (first, second) -> second);
  }

  private SparkSession startSpark(Path warehouse) {
    try {
      return SparkSession.builder()
          .master("local[2]")
          .appName("lake-engines-test")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.local.dir", folder.resolve("spark-local").toString())
          .config("spark.sql.warehouse.dir", folder.resolve("spark-warehouse").toString())
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.sql.datetime.java8API.enabled", "true")
          .config(
              "spark.sql.extensions",
              "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
          // the README's configuration for the embedded catalog
          .config("spark.sql.catalog.lake", "org.apache.iceberg.spark.SparkCatalog")
          .config("spark.sql.catalog.lake.type", "jdbc")
          .config("spark.sql.catalog.lake.uri", "jdbc:sqlite:" + warehouse.resolve("catalog.db"))
          .config("spark.sql.catalog.lake.jdbc.schema-version", "V1")
          .config("spark.sql.catalog.lake.warehouse", warehouse.toString())
          .config("spark.sql.catalog.lake.cache-enabled", "false")
          .config("spark.sql.catalog.lake.metrics-reporter-impl", ScanReports.class.getName())
          // and for a REST catalog
          .config("spark.sql.catalog.lake_rest", "org.apache.iceberg.spark.SparkCatalog")
          .config("spark.sql.catalog.lake_rest.type", "rest")
          .config("spark.sql.catalog.lake_rest.uri", restUri)
          .config("spark.sql.catalog.lake_rest.cache-enabled", "false")
          .getOrCreate();
    } catch (RuntimeException | LinkageError e) {
      System.err.println("Spark cannot start on this machine, the Spark tests are skipped: " + e);
      Assumptions.abort("Spark cannot start on this machine: " + e);
      throw e;
    }
  }

  private static List<DataFile> dataFiles(Table table) {
    List<DataFile> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(task -> files.add(task.file()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
