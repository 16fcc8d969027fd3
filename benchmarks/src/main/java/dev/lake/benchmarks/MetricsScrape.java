package dev.lake.benchmarks;

import dev.lake.cli.config.MetricsConfig;
import dev.lake.cli.ingest.IngestSnapshot;
import dev.lake.cli.metrics.IngestMetrics;
import dev.lake.core.write.LakeWriter;
import dev.lake.exchanges.ingest.Pipeline;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The metrics endpoint of a benchmark run, scraped every second on loopback. */
final class MetricsScrape {
  private MetricsScrape() {}

  static AutoCloseable start(IngestMetrics metrics, LakeWriter writer, Pipeline pipeline)
      throws Exception {
    metrics.bind(
        () -> new IngestSnapshot(Instant.now(), writer.stats(), List.of(), pipeline.queuedRows()));
    MetricsConfig config = new MetricsConfig(true, "127.0.0.1", 0);
    HTTPServer server =
        HTTPServer.builder()
            .hostname(config.host())
            .port(config.port())
            .registry(metrics.registry())
            .buildAndStart();
    URI uri = URI.create("http://127.0.0.1:" + server.getPort() + "/metrics");
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    timer.scheduleAtFixedRate(
        () -> {
          try (InputStream in = uri.toURL().openStream()) {
            in.readAllBytes();
          } catch (Exception e) {
            System.err.println("scrape failed: " + e);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
    return () -> {
      timer.shutdownNow();
      server.close();
    };
  }
}
