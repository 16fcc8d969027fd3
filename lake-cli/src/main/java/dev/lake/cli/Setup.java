package dev.lake.cli;

import dev.lake.cli.config.LakeConfig;
import dev.lake.core.table.TableManager;
import java.io.PrintWriter;
import org.apache.iceberg.catalog.Catalog;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What one run of a {@link LakeSubcommand} works with. The configuration is loaded on the first
 * call that needs it, so that a command checks its own options first: a bad option value is a usage
 * error (exit 2) even when the configuration file is bad too.
 */
final class Setup {
  private final CliContext context;
  private final CommonOptions common;
  private final CommandSpec spec;
  private LakeConfig config;

  Setup(CliContext context, CommonOptions common, CommandSpec spec) {
    this.context = context;
    this.common = common;
    this.spec = spec;
  }

  /** The configuration: the {@code --config} file, or the embedded defaults. */
  LakeConfig config() {
    if (config == null) {
      config = context.config(common);
    }
    return config;
  }

  /** The configured catalog, created when it is the embedded one and missing. */
  Catalog catalog() {
    return context.catalog(config());
  }

  /** lake's tables in the configured catalog, which is created when missing. */
  TableManager tables() {
    return new TableManager(catalog(), config().tableOptions());
  }

  /**
   * lake's tables in the configured catalog, for a command that only reads or rewrites them: a
   * missing embedded catalog is an error, not a new empty one ({@link CliContext#existingCatalog}).
   */
  TableManager existingTables() {
    return new TableManager(context.existingCatalog(config()), config().tableOptions());
  }

  PrintWriter out() {
    return context.out();
  }

  PrintWriter err() {
    return context.err();
  }

  /** A usage error of this command (exit 2) with the message. */
  ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
