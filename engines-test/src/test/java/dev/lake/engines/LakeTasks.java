package dev.lake.engines;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.CatalogType;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.read.TableRows;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.write.LakeWriter;
import dev.lake.testing.RestCatalogServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * What the Spark test has lake do, run in a JVM of its own: Iceberg's Spark runtime bundles Iceberg
 * with its Parquet relocated, so lake's writer (which uses Parquet directly) and Spark cannot share
 * one class path, as they do not on a user's machines either.
 */
final class LakeTasks {
  static final Instant HISTORY_START = Instant.parse("2025-08-05T10:00:00Z");
  static final int HISTORY_ROWS_PER_HOUR = 100;
  static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT");

  private LakeTasks() {}

  /**
   * {@code history <warehouse> <wal> <first hour> <hours>}: appends order-book deltas of both
   * symbols, one file per symbol and hour, and prints the writer's id; {@code rest <warehouse>
   * <state folder>}: starts Iceberg's REST catalog server, copies every table into it, prints
   * {@code ready <uri>} and serves until killed.
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
    Catalog catalog = LakeCatalogs.open(CatalogSettings.embedded(args[1]));
    switch (args[0]) {
      case "history" ->
          System.out.println(
              writeHistory(
                  catalog, Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4])));
      case "rest" -> serveRest(catalog, Path.of(args[2]));
      default -> throw new IllegalArgumentException("Invalid task: " + args[0]);
    }
  }

  private static String writeHistory(Catalog catalog, Path wal, int firstHour, int hours) {
    try (LakeWriter writer = LakeWriter.builder(catalog).writeAheadLog(wal).build()) {
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
      writer.append(rows);
      writer.flush();
      return writer.writerId();
    }
  }

  private static void serveRest(Catalog catalog, Path state) throws InterruptedException {
    RestCatalogServer server =
        RestCatalogServer.start(state, state.resolve("warehouse").toString(), Map.of());
    copyEveryTable(
        catalog,
        LakeCatalogs.open(
            new CatalogSettings(CatalogType.REST, server.uri(), null, "rest", Map.of())));
    System.out.println("ready " + server.uri());
    Thread.currentThread().join();
  }

  private static void copyEveryTable(Catalog from, Catalog to) {
    try (LakeWriter writer = LakeWriter.builder(to).withoutWriteAheadLog().build()) {
      for (TableDefinition<?> definition : LakeTables.all()) {
        writer.append(
            TableRows.readAll(from.loadTable(TableIdentifier.of("crypto", definition.name()))));
      }
      writer.flush();
    }
  }
}
