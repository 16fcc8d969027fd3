package dev.lake.cli.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The {@code metrics} block: the Prometheus endpoint and dashboard of {@code lake ingest}.
 *
 * @param enabled whether {@code lake ingest} serves them (off by default)
 * @param host the address to listen on; {@code 127.0.0.1} by default, so that nothing is exposed
 *     beyond the machine unless asked for
 * @param port the TCP port; 0 takes any free port (printed at start)
 */
public record MetricsConfig(boolean enabled, String host, int port) {
  static final List<String> KEYS = List.of("enabled", "host", "port");

  /** The default port: 9464, the one OpenTelemetry's Prometheus exporters use. */
  public static final int DEFAULT_PORT = 9464;

  /** Metrics off, as when the config has no {@code metrics} block. */
  public static final MetricsConfig OFF = new MetricsConfig(false, "127.0.0.1", DEFAULT_PORT);

  public MetricsConfig {
    requireNonNull(host, "host is null");
  }

  /** The same settings, enabled on another port (as {@code --metrics-port} asks). */
  public MetricsConfig onPort(int value) {
    return new MetricsConfig(true, host, value);
  }

  static MetricsConfig parse(ConfigNode metrics) {
    metrics.allowOnly(KEYS);
    String host = metrics.nonEmptyString("host", "an address to listen on, e.g. 127.0.0.1");
    return new MetricsConfig(
        metrics.bool("enabled", false),
        host == null ? "127.0.0.1" : host,
        metrics.intValue("port", DEFAULT_PORT, 0, 65_535, "a TCP port"));
  }
}
