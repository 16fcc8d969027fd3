package dev.lake.cli;

import dev.lake.catalog.CatalogException;
import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.CatalogType;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.catalog.Secrets;
import dev.lake.cli.config.ConfigLoader;
import dev.lake.cli.config.LakeConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
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
  private final Consumer<Runnable> stopSignals;
  private final boolean terminal;

  /** A context whose commands are stopped by their own means only (tests: --duration). */
  public CliContext(
      PrintWriter out, PrintWriter err, Map<String, String> environment, Path workingDirectory) {
    this(out, err, environment, workingDirectory, action -> {}, false);
  }

  /**
   * @param stopSignals installs a handler for the process's stop signals (SIGINT, SIGTERM)
   * @param terminal whether standard output is a terminal
   */
  public CliContext(
      PrintWriter out,
      PrintWriter err,
      Map<String, String> environment,
      Path workingDirectory,
      Consumer<Runnable> stopSignals,
      boolean terminal) {
    this.out = out;
    this.err = err;
    this.environment = Map.copyOf(environment);
    this.workingDirectory = workingDirectory.toAbsolutePath();
    this.stopSignals = stopSignals;
    this.terminal = terminal;
  }

  /**
   * This context with its output and error writers {@linkplain Secrets#maskingWriter masking}
   * secrets line by line, so that nothing a command prints shows one.
   */
  CliContext masking() {
    return new CliContext(
        new PrintWriter(Secrets.maskingWriter(out), true),
        new PrintWriter(Secrets.maskingWriter(err), true),
        environment,
        workingDirectory,
        stopSignals,
        terminal);
  }

  /** True when standard output is a terminal (progress bars); false in logs, pipes and tests. */
  public boolean isTerminal() {
    return terminal;
  }

  /** Runs an action on the first stop signal (a second one ends the process at once). */
  public void onStopSignal(Runnable action) {
    stopSignals.accept(action);
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  /** The configuration of a command: its file, or the embedded defaults. */
  public LakeConfig config(CommonOptions options) {
    if (options.config == null) {
      return ConfigLoader.defaults(workingDirectory, environment);
    }
    return ConfigLoader.load(workingDirectory.resolve(options.config), environment);
  }

  /** Opens the configured catalog; the embedded one is created when missing. */
  public Catalog catalog(LakeConfig config) {
    return LakeCatalogs.open(config.sink().catalog());
  }

  /**
   * Opens the configured catalog for a command that only reads or rewrites existing tables: an
   * embedded catalog that does not exist yet is an error rather than a new empty {@code catalog.db}
   * wherever the command happens to run.
   */
  public Catalog existingCatalog(LakeConfig config) {
    CatalogSettings settings = config.sink().catalog();
    if (settings.type() == CatalogType.JDBC
        && settings.uri() == null
        && settings.warehouse() != null) {
      Path folder = LakeCatalogs.localFolder(settings.warehouse());
      Path database = folder == null ? null : folder.resolve(CatalogSettings.EMBEDDED_DATABASE);
      if (database != null && !Files.exists(database)) {
        throw new CatalogException(
            "Cannot open the embedded catalog: no "
                + database
                + " (lake tables create or lake ingest makes it"
                + (config.file() == null ? "; pass --config FILE for another warehouse)" : ")"));
      }
    }
    return LakeCatalogs.open(settings);
  }
}
