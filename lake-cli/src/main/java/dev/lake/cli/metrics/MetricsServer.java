package dev.lake.cli.metrics;

import dev.lake.cli.config.MetricsConfig;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The HTTP endpoint of {@code lake ingest}: Prometheus metrics at {@code /metrics}, the dashboard
 * at {@code /} (static files from the jar, uPlot from its webjar: nothing is fetched from the
 * internet), and {@code /-/healthy}.
 */
public final class MetricsServer implements AutoCloseable {
  private final HTTPServer server;
  private final String url;

  private MetricsServer(HTTPServer server, String url) {
    this.server = server;
    this.url = url;
  }

  /**
   * Starts serving a registry of metrics; those {@link IngestMetrics#bind bound} later are served
   * from then on. Started before the ingestion, so that a taken port stops {@code lake ingest}
   * before it connects anywhere.
   *
   * @throws UncheckedIOException when the address cannot be bound (the port is taken, say); the
   *     message names the address and says what to do
   */
  public static MetricsServer start(MetricsConfig config, IngestMetrics metrics) {
    try {
      HTTPServer server =
          HTTPServer.builder()
              .hostname(config.host())
              .port(config.port())
              .registry(metrics.registry())
              .defaultHandler(new DashboardHandler())
              .buildAndStart();
      String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
      return new MetricsServer(server, "http://" + host + ":" + server.getPort() + "/");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot serve metrics on "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + e.getMessage()
              + " (choose another metrics.port or --metrics-port)",
          e);
    }
  }

  /** The endpoint's base URL, ending with {@code /}. */
  public String url() {
    return url;
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
