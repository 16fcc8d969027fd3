package dev.lake.engines;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.CatalogType;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.table.TableOptions;
import dev.lake.core.write.LakeWriter;
import dev.lake.testing.RestCatalogServer;
import dev.lake.testing.S3ProxyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;

/**
 * What the Spark test has lake do, run in a JVM of its own: Iceberg's Spark runtime bundles Iceberg
 * with its Parquet relocated, so lake's writer (which uses Parquet directly) and Spark cannot share
 * one class path, as they do not on a user's machines either.
 */
final class LakeTasks {
  static final Instant HISTORY_START = Instant.parse("2025-08-05T10:00:00Z");
  static final int HISTORY_ROWS_PER_HOUR = 100;
  static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT");
  static final String BUCKET = "lake";
  static final String S3_WAREHOUSE = "s3://" + BUCKET + "/warehouse";

  /** The namespace of the crash test's tables in the REST catalog. */
  static final String CRASH_NAMESPACE = "crash";

  /** Hours of history the crashing writer commits before it logs one more hour and is killed. */
  static final int CRASH_COMMITTED_HOURS = 2;

  private LakeTasks() {}

  /**
   * {@code history <warehouse> <wal> <first hour> <hours>}: appends order-book deltas of both
   * symbols to the embedded catalog, one file per symbol and hour, and prints the writer's id;
   * {@code rest-s3 <state folder>}: starts S3Proxy with a bucket and Iceberg's REST catalog server
   * storing its tables in it, prints {@code ready <catalog uri> <s3 endpoint>} and serves until
   * killed; {@code crash <catalog uri> <s3 endpoint> <wal>}: commits {@link #CRASH_COMMITTED_HOURS}
   * hours of deltas to the REST catalog, logs one more hour without committing it, prints {@code
   * logged <writer id>} and waits to be killed; {@code recover <catalog uri> <s3 endpoint> <wal>}:
   * opens a writer on that log, commits what it holds and prints the writer's id.
   */
  public static void main(String[] args) throws InterruptedException {
    try {
      run(args);
    } catch (RuntimeException | Error e) {
      e.printStackTrace();
      System.exit(1); // the REST server's threads would keep the JVM alive
    }
  }

  private static void run(String[] args) throws InterruptedException {
    switch (args[0]) {
      case "history" ->
          System.out.println(
              writeHistory(
                  LakeCatalogs.open(CatalogSettings.embedded(args[1])),
                  Path.of(args[2]),
                  Integer.parseInt(args[3]),
                  Integer.parseInt(args[4])));
      case "rest-s3" -> serveRestOnS3(Path.of(args[1]));
      case "crash" -> crashAfterLogging(restOnS3(args[1], args[2]), Path.of(args[3]));
      case "recover" -> System.out.println(recover(restOnS3(args[1], args[2]), Path.of(args[3])));
      default -> throw new IllegalArgumentException("Invalid task: " + args[0]);
    }
  }

  /** The properties that point Iceberg's S3FileIO at S3Proxy, as a user configures them. */
  static Map<String, String> s3Properties(String endpoint) {
    return Map.of(
        "io-impl",
        "org.apache.iceberg.aws.s3.S3FileIO",
        "s3.endpoint",
        endpoint,
        "s3.path-style-access",
        "true",
        "s3.access-key-id",
        S3ProxyServer.ACCESS_KEY,
        "s3.secret-access-key",
        S3ProxyServer.SECRET_KEY,
        "client.region",
        "us-east-1");
  }

  private static Catalog restOnS3(String uri, String endpoint) {
    return LakeCatalogs.open(
        new CatalogSettings(CatalogType.REST, uri, S3_WAREHOUSE, "rest", s3Properties(endpoint)));
  }

  private static String writeHistory(Catalog catalog, Path wal, int firstHour, int hours) {
    try (LakeWriter writer = LakeWriter.builder(catalog).writeAheadLog(wal).build()) {
      writer.append(history(firstHour, hours));
      writer.flush();
      return writer.writerId();
    }
  }

  /**
   * Deltas of both symbols for some hours from {@link #HISTORY_START}, {@link
   * #HISTORY_ROWS_PER_HOUR} per symbol and hour, every row distinct.
   */
  static List<OrderBookDelta> history(int firstHour, int hours) {
    List<OrderBookDelta> rows = new ArrayList<>();
    for (int hour = firstHour; hour < firstHour + hours; hour++) {
      for (String symbol : SYMBOLS) {
        long start = HISTORY_START.plusSeconds(3600L * hour).toEpochMilli() * 1000;
        for (int i = 0; i < HISTORY_ROWS_PER_HOUR; i++) {
          long time = start + i * 30_000_000L;
          long id = 1_000_000L * (hour + 1) + i;
          rows.add(
              new OrderBookDelta(
                  "binance",
                  MarketType.SPOT,
                  symbol,
                  time,
                  id,
                  i % 2 == 0 ? BookSide.BID : BookSide.ASK,
                  60_000 + i * 0.5,
                  0.001 * (i + 1),
                  i % 20,
                  time + 1_000,
                  id,
                  null,
                  false));
        }
      }
    }
    return rows;
  }

  private static void serveRestOnS3(Path state) throws InterruptedException {
    S3ProxyServer s3 = S3ProxyServer.start(state.resolve("blobs"));
    s3.createBucket(BUCKET);
    RestCatalogServer server =
        RestCatalogServer.start(state, S3_WAREHOUSE, s3Properties(s3.endpoint()));
    System.out.println("ready " + server.uri() + " " + s3.endpoint());
    Thread.currentThread().join();
  }

  private static LakeWriter.Builder crashWriter(Catalog catalog, Path wal) {
    // commits come from flush() only, so that the logged hour stays uncommitted until the kill
    return LakeWriter.builder(catalog)
        .tableOptions(TableOptions.builder().namespace(CRASH_NAMESPACE).build())
        .writeAheadLog(wal)
        .commitInterval(Duration.ofHours(1));
  }

  private static void crashAfterLogging(Catalog catalog, Path wal) throws InterruptedException {
    // never closed: the test kills this JVM with SIGKILL, as a crash would
    LakeWriter writer = crashWriter(catalog, wal).build();
    writer.append(history(0, CRASH_COMMITTED_HOURS));
    writer.flush();
    writer.append(history(CRASH_COMMITTED_HOURS, 1));
    System.out.println("logged " + writer.writerId());
    Thread.currentThread().join();
  }

  private static String recover(Catalog catalog, Path wal) {
    try (LakeWriter writer = crashWriter(catalog, wal).build()) {
      writer.flush();
      return writer.writerId();
    }
  }
}
