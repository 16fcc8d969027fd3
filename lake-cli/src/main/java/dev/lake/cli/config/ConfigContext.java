package dev.lake.cli.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a configuration comes from: its file (for messages), the folder relative paths are resolved
 * against, and the environment for {@code ${NAME}} interpolation.
 *
 * @param file the config file, or null when there is none (the embedded defaults)
 * @param baseDirectory the folder relative paths are resolved against
 * @param environment the variables {@code ${NAME}} is replaced with
 */
public record ConfigContext(Path file, Path baseDirectory, Map<String, String> environment) {
  public ConfigContext {
    requireNonNull(baseDirectory, "baseDirectory is null");
    environment = Map.copyOf(environment);
  }

  /** An error in this configuration; the message names the file. */
  public ConfigException error(String message) {
    return new ConfigException(file == null ? message : message + " in " + file);
  }

  /** A location resolved against the base folder when it is a relative local path. */
  public String resolve(String location) {
    if (location.contains("://") || location.startsWith("file:")) {
      return location;
    }
    return baseDirectory.resolve(location).toAbsolutePath().normalize().toString();
  }
}
