package dev.lake.cli.ingest;

import dev.lake.cli.config.LakeConfig;
import dev.lake.core.model.MarketType;
import dev.lake.core.write.BookKey;
import dev.lake.core.write.LakeWriter;
import dev.lake.core.write.WriterStats;
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
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running ingestion: the writer (tables created or upgraded, the write-ahead log recovered), the
 * pipeline, and one connector per configured venue market. {@link #close()} stops the connectors,
 * appends what they handed over, and commits it.
 */
public final class Ingestion implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Ingestion.class);
  private static final long PIPELINE_ROWS = 250_000;

  private final LakeWriter writer;
  private final Pipeline pipeline;
  private final Transport transport;
  private final List<Connector> connectors = new ArrayList<>();
  private boolean closed;

  private Ingestion(LakeWriter writer, Pipeline pipeline, Transport transport) {
    this.writer = writer;
    this.pipeline = pipeline;
    this.transport = transport;
  }

  /**
   * Opens the writer and starts every configured feed.
   *
   * @param onWriterFailure run once, on a writer thread, when the writer stops accepting rows (its
   *     write-ahead log was deleted, see {@link LakeWriter}); the caller should then close this
   */
  public static Ingestion start(LakeConfig config, Catalog catalog, Runnable onWriterFailure) {
    LakeWriter writer = config.writer(catalog).onFailure(reason -> onWriterFailure.run()).build();
    Transport transport = null;
    try {
      Map<BookKey, Long> persisted = writer.lastPersistedUpdateIds();
      transport =
          Transport.create(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
      Ingestion ingestion = new Ingestion(writer, new Pipeline(writer, PIPELINE_ROWS), transport);
      for (MarketSettings market : config.source().markets()) {
        Venue venue = Venues.byName(market.exchange());
        ConnectorContext context =
            ConnectorContext.of(
                transport,
                ingestion.pipeline,
                persistedFor(persisted, market.exchange(), market.market()));
        Connector connector = venue.connector(market, context);
        ingestion.connectors.add(connector);
        connector.start();
      }
      return ingestion;
    } catch (RuntimeException e) {
      if (transport != null) {
        transport.close();
      }
      writer.close();
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

  public WriterStats writerStats() {
    return writer.stats();
  }

  /** Why the writer stopped accepting rows, or null while it accepts them. */
  public String writerFailure() {
    return writer.failure();
  }

  public ConnectorStats connectorStats() {
    ConnectorStats total = ConnectorStats.EMPTY;
    for (Connector connector : connectors) {
      total = total.plus(connector.stats());
    }
    return total;
  }

  public long queuedRows() {
    return pipeline.queuedRows();
  }

  /**
   * Stops collecting and commits everything received: connectors first, then the queue, then the
   * writer (bounded by its shutdown timeout; what is not committed by then stays in the log).
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
    writer.close();
    transport.close();
    LOG.info("Stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
