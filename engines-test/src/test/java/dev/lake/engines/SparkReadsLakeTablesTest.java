package dev.lake.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lake.core.model.MarketType;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.write.LakeWriter;
import dev.lake.testing.S3ProxyServer;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * Spark (local mode, Iceberg's Spark runtime) reads the tables {@code lake ingest} wrote, into the
 * embedded SQLite catalog and into a REST catalog storing its files in S3 (S3Proxy), and gets the
 * rows Iceberg's own reader gets; prunes files on the partition columns; and runs its own
 * maintenance on them with lake-core on its class path, also between a lake writer's crash and its
 * restart. One Spark session and one pair of ingest runs for the class: starting Spark and lake is
 * most of the time.
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
  private String s3Endpoint;
  private SparkSession spark;
  private String historyWriterId;

  @BeforeAll
  void setUp() throws Exception {
    Path work = Files.createDirectories(folder.resolve("work"));
    Path warehouse = work.resolve("warehouse");
    startRestCatalogOnS3();
    // two lake ingest runs at once, each against a fake Binance of its own playing the same events
    ingestFromFakeBinance(
        Map.of(
            work,
            """
              warehouse: ./warehouse
              commit_interval_ms: 1000
              wal_dir: ./wal
            """,
            Files.createDirectories(folder.resolve("work-rest")),
            // the README's configuration of a REST catalog on S3-compatible storage
            """
              warehouse: %s
              catalog:
                type: rest
                uri: %s
                properties:
                  s3.endpoint: %s
                  s3.path-style-access: "true"
                  s3.access-key-id: %s
                  s3.secret-access-key: %s
                  client.region: us-east-1
                  # lake's default is 60 s; the machines running this test may be very loaded
                  rest.client.socket-timeout-ms: "300000"
              commit_interval_ms: 1000
              # the last commits through REST and S3 may take minutes on a loaded machine
              shutdown_timeout_ms: 600000
              wal_dir: ./wal
            """
                .formatted(
                    LakeTasks.S3_WAREHOUSE,
                    restUri,
                    s3Endpoint,
                    S3ProxyServer.ACCESS_KEY,
                    S3ProxyServer.SECRET_KEY)));
    historyWriterId = writeHistory(warehouse, 0, HISTORY_HOURS);
    catalog = sqliteCatalog(warehouse);
    Map<String, String> restProperties = new HashMap<>(LakeTasks.s3Properties(s3Endpoint));
    restProperties.put("type", "rest");
    restProperties.put("uri", restUri);
    restCatalog = CatalogUtil.buildIcebergCatalog("rest", restProperties, new Configuration());
    spark = startSpark(warehouse);
  }

  /**
   * Starts S3Proxy and Iceberg's REST catalog server storing its tables in S3Proxy's bucket, in a
   * JVM of their own (the server's Jetty needs servlet 6.1, Spark servlet 5).
   */
  private void startRestCatalogOnS3() throws Exception {
    Path outputs = Files.createDirectories(folder.resolve("rest"));
    rest = startLake(outputs, LakeTasks.class.getName(), "rest-s3", outputs.toString());
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
    String ready = Files.readString(stdout).replaceAll("(?s).*ready (\\S+ \\S+).*", "$1");
    restUri = ready.split(" ")[0];
    s3Endpoint = ready.split(" ")[1];
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
      rest.destroyForcibly();
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
  void sparkReadsEveryTableLakeIngestWroteIntoARestCatalogOnS3WithTheRowsIcebergsReaderReads() {
    for (TableDefinition<?> definition : LakeTables.all()) {
      Table table = restCatalog.loadTable(TableIdentifier.of("crypto", definition.name()));
      List<String> iceberg = CanonicalRows.ofIceberg(table);
      List<String> fromSpark =
          CanonicalRows.ofSpark(
              spark.table("lake_rest.crypto." + definition.name()).collectAsList());
      System.out.printf("rest+s3 %s: %d rows compared%n", definition.name(), iceberg.size());
      assertThat(iceberg).as(definition.name() + " has rows").isNotEmpty();
      assertThat(dataFiles(table))
          .as(definition.name() + "'s files are in the bucket")
          .allSatisfy(
              file -> assertThat(file.location()).startsWith(LakeTasks.S3_WAREHOUSE + "/crypto/"));
      assertThat(fromSpark).as(definition.name()).isEqualTo(iceberg);
    }
  }

  @Test
  void aWriterKilledAfterLoggingRowsCommitsEachRowOnceAfterSparkCompactedItsTable()
      throws Exception {
    Path wal = folder.resolve("wal-crash");
    Path outputs = folder.resolve("crash");
    Process crash =
        startLake(outputs, LakeTasks.class.getName(), "crash", restUri, s3Endpoint, wal.toString());
    Path stdout = outputs.resolve("stdout.txt");
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> !crash.isAlive() || Files.readString(stdout).contains("logged "));
    assertThat(crash.isAlive()).as(Files.readString(outputs.resolve("stderr.txt"))).isTrue();
    String writerId = Files.readString(stdout).replaceAll("(?s).*logged (\\S+).*", "$1");
    crash.destroyForcibly(); // SIGKILL: the last hour is in the log, not committed
    assertThat(crash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(crash.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    String table = "lake_rest." + LakeTasks.CRASH_NAMESPACE + "." + DELTA;
    int rowsPerHour = SYMBOLS.size() * HISTORY_ROWS_PER_HOUR;
    List<String> committed = CanonicalRows.ofSpark(spark.table(table).collectAsList());
    assertThat(committed).hasSize(LakeTasks.CRASH_COMMITTED_HOURS * rowsPerHour);

    Row rewrite =
        spark
            .sql(
                "CALL lake_rest.system.rewrite_data_files(table => '"
                    + LakeTasks.CRASH_NAMESPACE
                    + "."
                    + DELTA
                    + "', options => map('rewrite-all', 'true'))")
            .first();
    assertThat(rewrite.getInt(0)).as("files rewritten").isPositive();
    assertThat(runLake(folder.resolve("recover"), "recover", restUri, s3Endpoint, wal.toString()))
        .isEqualTo(writerId);

    List<String> rows = CanonicalRows.ofSpark(spark.table(table).collectAsList());
    System.out.printf(
        "crash: %d rows committed before SIGKILL, rewrite %s, %d rows after the restart%n",
        committed.size(), rewrite, rows.size());
    assertThat(rows)
        .hasSize((LakeTasks.CRASH_COMMITTED_HOURS + 1) * rowsPerHour)
        .doesNotHaveDuplicates()
        .containsAll(committed)
        .isEqualTo(
            CanonicalRows.ofIceberg(
                restCatalog.loadTable(TableIdentifier.of(LakeTasks.CRASH_NAMESPACE, DELTA))));
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

  /**
   * Runs one {@code lake ingest} per work folder, with that sink block, each against a fake Binance
   * of its own; plays the same events on every fake and stops them all with SIGTERM.
   */
  private void ingestFromFakeBinance(Map<Path, String> sinks) throws Exception {
    List<FakeBinance> fakes = new ArrayList<>();
    Map<FakeBinance, Process> runs = new LinkedHashMap<>();
    try {
      long now = System.currentTimeMillis();
      Map<Process, Path> works = new HashMap<>();
      for (Map.Entry<Path, String> sink : sinks.entrySet()) {
        FakeBinance binance = FakeBinance.start(Duration.ofSeconds(2));
        fakes.add(binance);
        for (MarketType market : MarketType.values()) {
          for (String symbol : SYMBOLS) {
            binance.addSymbol(market, symbol, symbol.replace("USDT", ""), "USDT", 40);
          }
        }
        binance.setOpenInterest("BTCUSDT", "83782.317");
        binance.setOpenInterest("ETHUSDT", "1200000.5");
        binance.setPremiumIndex("BTCUSDT", "0.00010000", now + 3_600_000);
        binance.setPremiumIndex("ETHUSDT", "0.00005000", now + 3_600_000);
        Path work = sink.getKey();
        Files.writeString(work.resolve("lake.yml"), config(binance) + sink.getValue());
        Process ingest = startLake(work, "dev.lake.cli.Main", "ingest", "--config", "lake.yml");
        runs.put(binance, ingest);
        works.put(ingest, work);
      }
      for (Map.Entry<FakeBinance, Process> run : runs.entrySet()) {
        FakeBinance binance = run.getKey();
        Process ingest = run.getValue();
        Path work = works.get(ingest);
        try {
          // a cold JVM opening its tables through REST and S3 takes minutes on a loaded machine
          await()
              .atMost(Duration.ofMinutes(5))
              .until(
                  () ->
                      !ingest.isAlive()
                          || binance
                              .subscriptions(MarketType.FUTURE)
                              .contains("btcusdt@forceOrder"));
        } catch (ConditionTimeoutException e) {
          throw new AssertionError(
              "lake ingest in %s did not subscribe in 5 minutes: %s%n%s%nREST catalog: %s"
                  .formatted(
                      work,
                      Files.readString(work.resolve("stdout.txt")),
                      Files.readString(work.resolve("stderr.txt")),
                      restCatalogLog()),
              e);
        }
        assertThat(ingest.isAlive())
            .as(
                "lake ingest runs: %s%nREST catalog: %s",
                Files.readString(works.get(ingest).resolve("stderr.txt")), restCatalogLog())
            .isTrue();
        for (MarketType market : MarketType.values()) {
          binance.awaitSubscribed(market, "btcusdt@depth@100ms", Duration.ofSeconds(120));
          binance.awaitSubscribed(market, "ethusdt@depth@100ms", Duration.ofSeconds(120));
        }
        binance.awaitSubscribed(MarketType.SPOT, "btcusdt@trade", Duration.ofSeconds(120));
      }
      for (int round = 0; round < 30; round++) {
        for (FakeBinance binance : fakes) {
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
        }
        Thread.sleep(50); // pacing the fakes, as a venue spreads its events
      }
      // polls (snapshots, open interest, funding, contracts) come every 500 ms
      for (FakeBinance binance : fakes) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> binance.restRequests("/fapi/v1/premiumIndex") >= 2);
      }
      runs.values().forEach(Process::destroy); // SIGTERM: lake commits what it received, exits 0
      for (Process ingest : runs.values()) {
        String stderr = works.get(ingest).resolve("stderr.txt").toString();
        assertThat(ingest.waitFor(10, TimeUnit.MINUTES)).as(stderr).isTrue();
        assertThat(ingest.exitValue()).as(Files.readString(Path.of(stderr))).isZero();
      }
    } finally {
      runs.values().forEach(Process::destroyForcibly); // those a failed assertion left running
      fakes.forEach(FakeBinance::close);
    }
  }

  /** The REST catalog child's log without stack frames, for failure messages. */
  private static String restCatalogLog() throws IOException {
    return Files.readString(folder.resolve("rest/stderr.txt"))
        .lines()
        .filter(line -> !line.startsWith("\tat ") && !line.startsWith("\t..."))
        .collect(Collectors.joining("\n"));
  }

  /** The source block against a fake Binance, followed by a sink block the caller appends. */
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
          // and for a REST catalog whose files are in S3
          .config("spark.sql.catalog.lake_rest", "org.apache.iceberg.spark.SparkCatalog")
          .config("spark.sql.catalog.lake_rest.type", "rest")
          .config("spark.sql.catalog.lake_rest.uri", restUri)
          .config("spark.sql.catalog.lake_rest.cache-enabled", "false")
          .config(
              sparkProperties("spark.sql.catalog.lake_rest.", LakeTasks.s3Properties(s3Endpoint)))
          .getOrCreate();
    } catch (RuntimeException | LinkageError e) {
      System.err.println("Spark cannot start on this machine, the Spark tests are skipped: " + e);
      Assumptions.abort("Spark cannot start on this machine: " + e);
      throw e;
    }
  }

  private static Map<String, Object> sparkProperties(
      String prefix, Map<String, String> properties) {
    Map<String, Object> prefixed = new HashMap<>();
    properties.forEach((name, value) -> prefixed.put(prefix + name, value));
    return prefixed;
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
