package dev.lake.cli.metrics;

import dev.lake.cli.ingest.IngestSnapshot;
import dev.lake.core.write.CommitListener;
import dev.lake.core.write.WriterStats;
import dev.lake.exchanges.ConnectorStats;
import dev.lake.exchanges.ingest.MarketStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The Prometheus metrics of a running {@code lake ingest}, in a registry of their own.
 *
 * <p>Counters and gauges are callbacks read at scrape time from one {@link IngestSnapshot} per
 * scrape (the status line reads the same snapshots) of counters the receiving threads keep anyway
 * (atomic increments per message and per run of rows, no allocation, no lock); reading them is safe
 * from the scrape's thread. Only the commit thread records into the two histograms, once per table
 * commit.
 *
 * <p>Labels are {@code exchange} and {@code market} (and {@code table} for table metrics, {@code
 * feed} for messages, both a bounded set of table names), never a symbol: a venue can have hundreds
 * of symbols. The per-symbol view is the {@code stream_events} table.
 */
public final class IngestMetrics {
  private static final double[] COMMIT_SECONDS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
  private static final double[] DELAY_SECONDS = {
    0.5, 1, 2.5, 5, 10, 15, 30, 60, 120, 300, 600, 1800
  };

  private static final String ALL_FEEDS = "all";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Histogram commitDuration =
      Histogram.builder()
          .name("lake_commit_duration_seconds")
          .help("Time a commit to a table took (the catalog round trip)")
          .labelNames("table")
          .classicOnly()
          .classicUpperBounds(COMMIT_SECONDS)
          .register(registry);
  private final Histogram commitDelay =
      Histogram.builder()
          .name("lake_receive_to_commit_delay_seconds")
          .help(
              "Longest wait of the rows of a commit: from the append of the oldest of them"
                  + " (moments after it was received) to the commit")
          .labelNames("table")
          .classicOnly()
          .classicUpperBounds(DELAY_SECONDS)
          .register(registry);
  private boolean bound;

  public IngestMetrics() {
    JvmMetrics.builder().register(registry);
  }

  /** The registry the endpoint serves. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** What the writer tells of its commits: feeds the commit histograms. */
  public CommitListener commits() {
    return new CommitListener() {
      @Override
      public void committed(String table, long rows, long commitNanos, long delayNanos) {
        commitDuration.labelValues(table).observe(commitNanos / 1e9);
        commitDelay.labelValues(table).observe(delayNanos / 1e9);
      }

      @Override
      public void commitFailed(String table) {
        // counted by the writer (WriterStats.commitFailures), exposed from the snapshot
      }
    };
  }

  /**
   * Registers every counter and gauge, read from {@code snapshots} at scrape time (at most once per
   * half second, so that one scrape sees one snapshot).
   *
   * @throws IllegalStateException when called twice
   */
  public synchronized void bind(Supplier<IngestSnapshot> snapshots) {
    if (bound) {
      throw new IllegalStateException("Cannot bind metrics: they are bound already");
    }
    bound = true;
    Supplier<IngestSnapshot> current = new RecentSnapshot(snapshots, 500_000_000L);
    messagesReceived(current);
    rowsReceived(current);
    market(
        current,
        "lake_gaps_total",
        "Sequence gaps found (gap and restart_gap)",
        ConnectorStats::gaps,
        true);
    market(
        current,
        "lake_resyncs_total",
        "Books (re)loaded from a full snapshot",
        ConnectorStats::resyncs,
        true);
    market(
        current,
        "lake_checksum_mismatches_total",
        "Books found different from the venue's checksum",
        ConnectorStats::checksumMismatches,
        true);
    market(
        current,
        "lake_rejected_messages_total",
        "Messages rejected (malformed, unknown or duplicate)",
        ConnectorStats::rejected,
        true);
    market(
        current,
        "lake_rate_limited_total",
        "Rate-limit answers from the venue",
        ConnectorStats::rateLimited,
        true);
    market(
        current,
        "lake_reconnects_total",
        "Connections lost after opening and reopened",
        ConnectorStats::reconnects,
        true);
    market(
        current,
        "lake_connection_failures_total",
        "Attempts to connect that failed before a connection opened",
        ConnectorStats::failedConnections,
        true);
    market(
        current,
        "lake_connections_open",
        "WebSocket connections open",
        ConnectorStats::openConnections,
        false);
    books(current);
    table(
        current,
        "lake_rows_committed_total",
        "Rows committed to a table",
        WriterStats::rowsCommitted);
    table(
        current,
        "lake_commit_failures_total",
        "Failed commit attempts to a table",
        WriterStats::commitFailures);
    lastCommit(current);
    writer(current, "lake_wal_bytes", "Bytes the write-ahead log retains", WriterStats::walBytes);
    writer(
        current,
        "lake_wal_segments",
        "Segment files the write-ahead log retains",
        WriterStats::walSegments);
    writer(
        current,
        "lake_buffered_bytes",
        "Estimated heap the open data files hold",
        WriterStats::bufferedBytes);
    GaugeWithCallback.builder()
        .name("lake_pipeline_queued_rows")
        .help("Rows received and not yet handed to the writer")
        .callback(callback -> callback.call(current.get().queuedRows()))
        .register(registry);
  }

  private void market(
      Supplier<IngestSnapshot> current,
      String name,
      String help,
      ToDoubleFunction<ConnectorStats> value,
      boolean counter) {
    Consumer<Reading> read =
        reading -> {
          for (MarketStats market : current.get().markets()) {
            reading.call(
                value.applyAsDouble(market.connector()), market.exchange(), market.market().text());
          }
        };
    if (counter) {
      CounterWithCallback.builder()
          .name(name)
          .help(help)
          .labelNames("exchange", "market")
          .callback(callback -> read.accept(callback::call))
          .register(registry);
    } else {
      GaugeWithCallback.builder()
          .name(name)
          .help(help)
          .labelNames("exchange", "market")
          .callback(callback -> read.accept(callback::call))
          .register(registry);
    }
  }

  private void messagesReceived(Supplier<IngestSnapshot> current) {
    CounterWithCallback.builder()
        .name("lake_messages_received_total")
        .help(
            "Messages and REST answers received, per feed (the table it fills; rest: answers for"
                + " no one table)")
        .labelNames("exchange", "market", "feed")
        .callback(
            callback -> {
              for (MarketStats market : current.get().markets()) {
                ConnectorStats stats = market.connector();
                String exchange = market.exchange();
                String type = market.market().text();
                if (stats.messagesByFeed().isEmpty()) {
                  // a connector that keeps no count per feed: its total, once
                  callback.call(stats.messages(), exchange, type, ALL_FEEDS);
                }
                stats
                    .messagesByFeed()
                    .forEach((feed, count) -> callback.call(count, exchange, type, feed));
              }
            })
        .register(registry);
  }

  private void rowsReceived(Supplier<IngestSnapshot> current) {
    CounterWithCallback.builder()
        .name("lake_rows_received_total")
        .help("Rows made from what a market received, per table (the feed)")
        .labelNames("exchange", "market", "table")
        .callback(
            callback -> {
              for (MarketStats market : current.get().markets()) {
                market
                    .rowsReceived()
                    .forEach(
                        (table, rows) ->
                            callback.call(rows, market.exchange(), market.market().text(), table));
              }
            })
        .register(registry);
  }

  private void books(Supplier<IngestSnapshot> current) {
    GaugeWithCallback.builder()
        .name("lake_books")
        .help(
            "Order books kept, by state: in_sync (every message applied and checked) or"
                + " out_of_sync (waiting for a snapshot after a start, a gap or a mismatch)")
        .labelNames("exchange", "market", "state")
        .callback(
            callback -> {
              for (MarketStats market : current.get().markets()) {
                ConnectorStats stats = market.connector();
                String exchange = market.exchange();
                String type = market.market().text();
                callback.call(stats.booksInSync(), exchange, type, "in_sync");
                callback.call(stats.books() - stats.booksInSync(), exchange, type, "out_of_sync");
              }
            })
        .register(registry);
  }

  private void table(
      Supplier<IngestSnapshot> current,
      String name,
      String help,
      Function<WriterStats, Map<String, Long>> values) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("table")
        .callback(
            callback ->
                values
                    .apply(current.get().writer())
                    .forEach((table, value) -> callback.call(value, table)))
        .register(registry);
  }

  private void lastCommit(Supplier<IngestSnapshot> current) {
    GaugeWithCallback.builder()
        .name("lake_last_commit_timestamp_seconds")
        .help("Time of the last successful commit to a table, in seconds since the epoch")
        .labelNames("table")
        .callback(
            callback -> {
              for (Map.Entry<String, Instant> entry :
                  current.get().writer().lastCommitByTable().entrySet()) {
                Instant at = entry.getValue();
                callback.call(at.getEpochSecond() + at.getNano() / 1e9, entry.getKey());
              }
            })
        .register(registry);
  }

  private void writer(
      Supplier<IngestSnapshot> current,
      String name,
      String help,
      ToDoubleFunction<WriterStats> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(callback -> callback.call(value.applyAsDouble(current.get().writer())))
        .register(registry);
  }

  @FunctionalInterface
  private interface Reading {
    void call(double value, String... labels);
  }

  /** The last snapshot while it is recent, so that the callbacks of one scrape share one. */
  private static final class RecentSnapshot implements Supplier<IngestSnapshot> {
    private final Supplier<IngestSnapshot> source;
    private final long maxAgeNanos;
    private IngestSnapshot last;
    private long takenNanos;

    RecentSnapshot(Supplier<IngestSnapshot> source, long maxAgeNanos) {
      this.source = source;
      this.maxAgeNanos = maxAgeNanos;
    }

    @Override
    public synchronized IngestSnapshot get() {
      long now = System.nanoTime();
      if (last == null || now - takenNanos > maxAgeNanos) {
        last = source.get();
        takenNanos = now;
      }
      return last;
    }
  }
}
