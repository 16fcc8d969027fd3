package dev.lake.examples;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.read.TableRows;
import dev.lake.core.write.LakeWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Embeds lake-core: opens the embedded catalog (a SQLite file in a warehouse folder), appends order
 * book deltas and a ledger event through {@link LakeWriter}, commits, and reads the rows back.
 *
 * <p>Run from the repository root (or from an IDE); the first argument is the folder to use
 * (default {@code ./example-lake}):
 *
 * <pre>
 * mvn -q -pl examples -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -DskipTests
 * java -cp "examples/target/classes:$(cat examples/target/classpath.txt)" dev.lake.examples.EmbedLakeCore
 * </pre>
 */
public final class EmbedLakeCore {
  private EmbedLakeCore() {}

  public static void main(String[] args) {
    Path folder = Path.of(args.length > 0 ? args[0] : "example-lake").toAbsolutePath();
    Catalog catalog =
        LakeCatalogs.open(CatalogSettings.embedded(folder.resolve("warehouse").toString()));

    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .writeAheadLog(folder.resolve("wal")) // rows are logged here before they count
            .commitInterval(Duration.ofSeconds(10))
            .build()) {
      long now = Instant.now().toEpochMilli() * 1000;
      List<LakeRow> rows = new ArrayList<>();
      // one book update message with two changed levels: a bid and an ask
      rows.add(delta(now, 1001, BookSide.BID, 60000.10, 1.5, 0));
      rows.add(delta(now, 1001, BookSide.ASK, 60000.20, 0.0, 0)); // quantity 0 removes the level
      rows.add(
          new StreamEvent(
              "binance",
              "spot",
              "orderbook_delta",
              "BTCUSDT",
              StreamEventType.CONNECT,
              "example",
              null,
              null,
              now,
              now));
      writer.append(rows); // all or none; safe from many threads
      writer.flush(); // returns when everything appended so far is committed
      System.out.println("Committed as writer " + writer.writerId());
    }

    for (String table : List.of("orderbook_delta", "stream_events")) {
      List<LakeRow> read =
          TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", table)));
      System.out.println(table + ": " + read.size() + " rows");
    }
  }

  private static OrderBookDelta delta(
      long micros, long updateId, BookSide side, double price, double quantity, int level) {
    return new OrderBookDelta(
        "binance",
        MarketType.SPOT,
        "BTCUSDT",
        micros,
        updateId,
        side,
        price,
        quantity,
        level,
        micros + 850,
        updateId,
        null,
        false);
  }
}
