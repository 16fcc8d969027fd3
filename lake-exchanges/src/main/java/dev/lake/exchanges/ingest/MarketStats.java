package dev.lake.exchanges.ingest;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.ConnectorStats;
import java.util.Map;

/**
 * The counters of one venue market of a {@link Collector}, read at one moment.
 *
 * @param exchange the venue, as in the {@code exchange} column
 * @param market the market
 * @param connector the market connector's counters
 * @param rowsReceived rows the market handed to the writer's pipeline per table (tables it made no
 *     rows for are absent)
 */
public record MarketStats(
    String exchange, MarketType market, ConnectorStats connector, Map<String, Long> rowsReceived) {
  public MarketStats {
    requireNonNull(exchange, "exchange is null");
    requireNonNull(market, "market is null");
    requireNonNull(connector, "connector is null");
    rowsReceived = Map.copyOf(rowsReceived);
  }
}
