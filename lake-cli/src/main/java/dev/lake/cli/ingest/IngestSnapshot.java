package dev.lake.cli.ingest;

import static java.util.Objects.requireNonNull;

import dev.lake.core.write.WriterStats;
import dev.lake.exchanges.ConnectorStats;
import dev.lake.exchanges.ingest.MarketStats;
import java.time.Instant;
import java.util.List;

/**
 * Every counter of a running {@code lake ingest}, read at one moment: the one source of its status
 * line, its summary and its metrics, so that they agree.
 *
 * @param at when the counters were read
 * @param writer the writer's counters
 * @param markets each venue market's counters, in configuration order
 * @param queuedRows rows received and not yet handed to the writer
 */
public record IngestSnapshot(
    Instant at, WriterStats writer, List<MarketStats> markets, long queuedRows) {
  public IngestSnapshot {
    requireNonNull(at, "at is null");
    requireNonNull(writer, "writer is null");
    markets = List.copyOf(markets);
  }

  /** The markets' connector counters, summed. */
  public ConnectorStats connectors() {
    ConnectorStats total = ConnectorStats.EMPTY;
    for (MarketStats market : markets) {
      total = total.plus(market.connector());
    }
    return total;
  }
}
