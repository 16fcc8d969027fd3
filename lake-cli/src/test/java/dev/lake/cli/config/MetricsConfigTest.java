package dev.lake.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code metrics} block of the config. */
class MetricsConfigTest {
  @TempDir Path folder;

  private LakeConfig load(String yaml) throws IOException {
    Path file = folder.resolve("lake.yml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file, Map.of());
  }

  private void assertFails(String yaml, String message) {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message + " in " + folder.resolve("lake.yml"));
  }

  @Test
  void metricsAreOffByDefaultAndWouldListenOnLoopbackOnly() {
    assertThat(ConfigLoader.defaults(folder, Map.of()).metrics())
        .isEqualTo(new MetricsConfig(false, "127.0.0.1", 9464));
  }

  @Test
  void everyMetricsKeyIsMapped() throws IOException {
    assertThat(load("metrics: {enabled: true, host: 0.0.0.0, port: 9100}\n").metrics())
        .isEqualTo(new MetricsConfig(true, "0.0.0.0", 9100));
  }

  @Test
  void aPortOutsideTheTcpRangeIsRefusedNamingThePathAndTheRange() {
    assertFails(
        "metrics: {enabled: true, port: 70000}\n",
        "Invalid config value at metrics.port: \"70000\" (expected a TCP port from 0 to 65535)");
  }

  @Test
  void anEnabledFlagThatIsNotABooleanIsRefused() {
    assertFails(
        "metrics: {enabled: sometimes}\n",
        "Invalid config value at metrics.enabled: \"sometimes\" (expected true or false)");
  }

  @Test
  void anUnknownMetricsKeyIsRefusedWithTheNearestValidKey() {
    assertFails("metrics: {prot: 9100}\n", "Unknown config key metrics.prot (did you mean port?)");
  }

  @Test
  void theCommandLinePortEnablesMetricsAndKeepsTheConfiguredHost() throws IOException {
    assertThat(load("metrics: {host: 10.0.0.5}\n").metrics().onPort(0))
        .isEqualTo(new MetricsConfig(true, "10.0.0.5", 0));
  }
}
