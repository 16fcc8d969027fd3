package dev.lake.benchmarks;

import dev.lake.cli.config.MetricsConfig;
import dev.lake.cli.ingest.IngestSnapshot;
import dev.lake.cli.metrics.IngestMetrics;
import dev.lake.core.write.LakeWriter;
import dev.lake.exchanges.ingest.MarketStats;
import dev.lake.exchanges.ingest.Pipeline;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The metrics endpoint of a benchmark run, scraped every second on loopback. */
final class MetricsScrape {
  private MetricsScrape() {}

  /** Serves and scrapes {@code metrics}, whose markets' counters {@code markets} reads. */
  static AutoCloseable start(
      IngestMetrics metrics,
      LakeWriter writer,
      Pipeline pipeline,
      Supplier<List<MarketStats>> markets)
      throws Exception {
    metrics.bind(
        () ->
            new IngestSnapshot(
                Instant.now(), writer.stats(), markets.get(), pipeline.queuedRows()));
    MetricsConfig config = new MetricsConfig(true, "127.0.0.1", 0);
    HTTPServer server =
        HTTPServer.builder()
            .hostname(config.host())
            .port(config.port())
            .registry(metrics.registry())
            .buildAndStart();
    URI uri = URI.create("http://127.0.0.1:" + server.getPort() + "/metrics");
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    long[] scrapes = {0};
    String[] last = {""};
    timer.scheduleAtFixedRate(
        () -> {
          try (InputStream in = uri.toURL().openStream()) {
            last[0] = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            scrapes[0]++;
          } catch (Exception e) {
            System.err.println("scrape failed: " + e);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
    return () -> {
      timer.shutdownNow();
      timer.awaitTermination(10, TimeUnit.SECONDS);
      server.close();
      // that the run measured what it says: scrapes that read the markets' counters
      System.err.printf(
          "metrics: %d scrapes; the last: %s%n",
          scrapes[0],
          last[0].lines().filter(line -> line.startsWith("lake_rows_received_total")).toList());
    };
  }
}
