package dev.lake.cli;

import dev.lake.catalog.LakeCatalogs;
import dev.lake.cli.config.ConfigLoader;
import dev.lake.cli.config.LakeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;

/**
 * What a command runs with: its output streams, the environment and working folder (so tests run
 * commands in-process with their own), and the configuration it loads.
 */
public final class CliContext {
  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, String> environment;
  private final Path workingDirectory;

  public CliContext(
      PrintWriter out, PrintWriter err, Map<String, String> environment, Path workingDirectory) {
    this.out = out;
    this.err = err;
    this.environment = Map.copyOf(environment);
    this.workingDirectory = workingDirectory.toAbsolutePath();
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  public Map<String, String> environment() {
    return environment;
  }

  public Path workingDirectory() {
    return workingDirectory;
  }

  /** The configuration of a command: its file, or the embedded defaults. */
  public LakeConfig config(CommonOptions options) {
    if (options.config == null) {
      return ConfigLoader.defaults(workingDirectory, environment);
    }
    return ConfigLoader.load(workingDirectory.resolve(options.config), environment);
  }

  /** Opens the configured catalog. */
  public Catalog catalog(LakeConfig config) {
    return LakeCatalogs.open(config.sink().catalog());
  }
}
