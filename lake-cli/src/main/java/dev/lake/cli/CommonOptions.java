package dev.lake.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every subcommand takes. */
public final class CommonOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Configuration file (YAML). Without it: the embedded defaults (./warehouse).")
  Path config;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print stack traces with errors, and debug logs.")
  boolean verbose;
}
