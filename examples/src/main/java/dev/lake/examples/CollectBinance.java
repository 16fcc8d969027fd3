package dev.lake.examples;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.MarketType;
import dev.lake.core.write.LakeWriter;
import dev.lake.core.write.WriterStats;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.SymbolSelection;
import dev.lake.exchanges.Venue;
import dev.lake.exchanges.Venues;
import dev.lake.exchanges.ingest.Collector;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Collects Binance spot BTCUSDT order-book deltas and snapshots into tables, as {@code lake ingest}
 * does, from code: a {@link LakeWriter} and a {@link Collector}, with no CLI and no YAML.
 *
 * <p>Arguments: the folder (default {@code ./example-lake}), the seconds to run (default 10), and
 * optionally a REST base and a WebSocket base to use instead of Binance's (a mirror or a test
 * server: {@code http://127.0.0.1:8080 ws://127.0.0.1:8080}).
 */
public final class CollectBinance {
  private CollectBinance() {}

  public static void main(String[] args) throws InterruptedException {
    Path folder = Path.of(args.length > 0 ? args[0] : "example-lake").toAbsolutePath();
    long seconds = args.length > 1 ? Long.parseLong(args[1]) : 10;
    Venue binance = Venues.byName("binance");
    SymbolSelection btc = SymbolSelection.of(List.of("BTCUSDT"));
    FeedSettings delta =
        binance.defaults(MarketType.SPOT, DataType.ORDERBOOK_DELTA).withSymbols(btc);
    FeedSettings snapshots =
        binance.defaults(MarketType.SPOT, DataType.ORDERBOOK_SNAPSHOT).withSymbols(btc);
    if (args.length > 3) {
      URI depth = URI.create(args[2] + "/api/v3/depth");
      delta = delta.withUrl(URI.create(args[3] + "/ws")).withSnapshotUrl(depth);
      snapshots = snapshots.withUrl(depth);
    }
    MarketSettings spot =
        new MarketSettings(
            "binance",
            MarketType.SPOT,
            Map.of(DataType.ORDERBOOK_DELTA, delta, DataType.ORDERBOOK_SNAPSHOT, snapshots));

    try (LakeWriter writer =
        LakeWriter.builder(
                LakeCatalogs.open(CatalogSettings.embedded(folder.resolve("warehouse").toString())))
            .writeAheadLog(folder.resolve("wal"))
            .commitInterval(Duration.ofSeconds(5))
            .build()) {
      try (Collector collector = Collector.start(writer, List.of(spot))) {
        Thread.sleep(seconds * 1000);
        System.out.println("Received: " + collector.stats());
      } // stops the connections; every row received is handed to the writer
      writer.flush(); // and committed
      WriterStats stats = writer.stats();
      System.out.println("Committed: " + stats.rowsCommitted());
    }
  }
}
