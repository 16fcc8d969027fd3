package dev.lake.exchanges.ingest;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.MarketType;
import dev.lake.core.write.BookKey;
import dev.lake.core.write.LakeWriter;
import dev.lake.exchanges.Connector;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.ConnectorStats;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.Venue;
import dev.lake.exchanges.Venues;
import dev.lake.exchanges.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects venue markets into a {@link LakeWriter}: one connector per market, all handing their
 * rows through one bounded {@link Pipeline} to the writer. This is what {@code lake ingest} runs,
 * usable by an embedder with lake-core, lake-exchanges and lake-catalog alone:
 *
 * <pre>{@code
 * try (LakeWriter writer = LakeWriter.builder(catalog).writeAheadLog(wal).build();
 *     Collector collector = Collector.start(writer, List.of(market))) {
 *   ... // until the application stops
 * }
 * }</pre>
 *
 * <p>Restarts continue the books' ids: each connector gets the last update id the writer persisted
 * per book, so what was missed while down becomes a {@code restart_gap} row. {@link #close()} stops
 * the connectors and hands every row they received to the writer; it does not close the writer.
 * Thread-safe.
 */
public final class Collector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
  private static final long PIPELINE_ROWS = 250_000;

  private final Pipeline pipeline;
  private final Transport transport;
  private final List<Connector> connectors = new ArrayList<>();
  private final List<Market> markets = new ArrayList<>();
  private boolean closed;

  private Collector(Pipeline pipeline, Transport transport) {
    this.pipeline = pipeline;
    this.transport = transport;
  }

  /**
   * Starts collecting every market; returns at once.
   *
   * @throws IllegalArgumentException when a market names a venue lake does not have
   */
  public static Collector start(LakeWriter writer, List<MarketSettings> markets) {
    requireNonNull(writer, "writer is null");
    for (MarketSettings market : markets) {
      if (Venues.byName(market.exchange()) == null) {
        throw new IllegalArgumentException(
            "Invalid exchange: "
                + market.exchange()
                + " (expected one of "
                + String.join(", ", Venues.names())
                + ")");
      }
    }
    Map<BookKey, Long> persisted = writer.lastPersistedUpdateIds();
    Transport transport =
        Transport.create(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
    Collector collector = new Collector(new Pipeline(writer, PIPELINE_ROWS), transport);
    try {
      for (MarketSettings market : markets) {
        Venue venue = Venues.byName(market.exchange());
        CountingSink sink = new CountingSink(collector.pipeline);
        ConnectorContext context =
            ConnectorContext.of(
                transport, sink, persistedFor(persisted, market.exchange(), market.market()));
        Connector connector = venue.connector(market, context);
        collector.connectors.add(connector);
        collector.markets.add(new Market(market, connector, sink));
        connector.start();
      }
      return collector;
    } catch (RuntimeException e) {
      collector.close();
      throw e;
    }
  }

  private static Map<String, Long> persistedFor(
      Map<BookKey, Long> persisted, String exchange, MarketType market) {
    Map<String, Long> ids = new HashMap<>();
    persisted.forEach(
        (book, id) -> {
          if (book.exchange().equals(exchange) && book.market() == market) {
            ids.put(book.symbol(), id);
          }
        });
    return ids;
  }

  /** The connectors' counters, summed. */
  public ConnectorStats stats() {
    ConnectorStats total = ConnectorStats.EMPTY;
    for (Connector connector : connectors) {
      total = total.plus(connector.stats());
    }
    return total;
  }

  /** Each market's counters, in the order the markets were given. */
  public List<MarketStats> marketStats() {
    List<MarketStats> stats = new ArrayList<>(markets.size());
    for (Market market : markets) {
      stats.add(
          new MarketStats(
              market.settings.exchange(),
              market.settings.market(),
              market.connector.stats(),
              market.sink.rows()));
    }
    return stats;
  }

  private record Market(MarketSettings settings, Connector connector, CountingSink sink) {}

  /** Rows received and not yet handed to the writer. */
  public long queuedRows() {
    return pipeline.queuedRows();
  }

  /** Rows the writer could not take because it was closed or failed; 0 in a healthy run. */
  public long lostRows() {
    return pipeline.lostRows();
  }

  /**
   * Stops collecting: connectors first, then every row they handed over is appended to the writer
   * (which the caller then flushes or closes).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long started = System.nanoTime();
    for (Connector connector : connectors) {
      try {
        connector.close();
      } catch (RuntimeException e) {
        LOG.warn("Cannot close a connector cleanly: {}", e.toString());
      }
    }
    // frames already read still reach the pipeline for a moment after the sockets close
    sleep(Duration.ofMillis(200));
    pipeline.close();
    transport.close();
    LOG.info(
        "Collectors stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
