package dev.lake.cli.ingest;

import dev.lake.cli.config.LakeConfig;
import dev.lake.core.write.CommitListener;
import dev.lake.core.write.FatalWriteError;
import dev.lake.core.write.LakeWriter;
import dev.lake.core.write.WriterStats;
import dev.lake.exchanges.ingest.Collector;
import java.time.Instant;
import java.util.Optional;
import org.apache.iceberg.catalog.Catalog;

/**
 * A running {@code lake ingest}: the writer (tables created or upgraded, the write-ahead log
 * recovered) and a {@link Collector} for every configured venue market. {@link #close()} stops the
 * collector, appends what it handed over, and commits it.
 */
public final class Ingestion implements AutoCloseable {
  private final LakeWriter writer;
  private final Collector collector;
  private boolean closed;

  private Ingestion(LakeWriter writer, Collector collector) {
    this.writer = writer;
    this.collector = collector;
  }

  /**
   * Opens the writer and starts every configured feed.
   *
   * @param onWriterFailure run once, on a writer thread, when the writer stops accepting rows (its
   *     write-ahead log was deleted, or a fatal error stopped its commits, see {@link LakeWriter});
   *     the caller should then close this
   */
  public static Ingestion start(LakeConfig config, Catalog catalog, Runnable onWriterFailure) {
    return start(config, catalog, onWriterFailure, CommitListener.NONE);
  }

  /**
   * Opens the writer, telling {@code commits} of its commits, and starts every configured feed.
   *
   * @see #start(LakeConfig, Catalog, Runnable)
   */
  public static Ingestion start(
      LakeConfig config, Catalog catalog, Runnable onWriterFailure, CommitListener commits) {
    LakeWriter writer =
        config
            .writer(catalog)
            .onFailure(reason -> onWriterFailure.run())
            .commitListener(commits)
            .build();
    try {
      return new Ingestion(writer, Collector.start(writer, config.source().markets()));
    } catch (RuntimeException e) {
      writer.close();
      throw e;
    }
  }

  /** Every counter, read now: what the status line, the summary and the metrics show. */
  public IngestSnapshot snapshot() {
    return new IngestSnapshot(
        Instant.now(), writer.stats(), collector.marketStats(), collector.queuedRows());
  }

  public WriterStats writerStats() {
    return writer.stats();
  }

  /** The error that stopped the writer's commits (a dropped table, say), if one did. */
  public Optional<FatalWriteError> writerFatalError() {
    return writer.fatalError();
  }

  /** Why the writer stopped accepting rows, or null while it accepts them. */
  public String writerFailure() {
    return writer.failure();
  }

  /** Rows the writer could not take because it was closed or failed; 0 in a healthy run. */
  public long lostRows() {
    return collector.lostRows();
  }

  /**
   * Stops collecting and commits everything received: the collector first, then the writer (bounded
   * by its shutdown timeout; what is not committed by then stays in the log).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    collector.close();
    writer.close();
  }
}
