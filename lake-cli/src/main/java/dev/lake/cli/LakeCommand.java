package dev.lake.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code lake} command. */
@Command(
    name = "lake",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    description = {
      "Collects crypto market data from exchanges into Apache Iceberg tables.",
      "",
      "Exit codes: 0 success, 1 runtime failure, 2 usage, 3 configuration."
    },
    subcommands = {
      IngestCommand.class,
      TablesCommand.class,
      BookCommand.class,
      StatusCommand.class,
      CompactCommand.class,
      MaintainCommand.class,
      ConfigCommand.class,
      HelpTopicCommand.class
    })
public final class LakeCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing command (expected ingest, tables, book, status, compact, maintain, config or help)");
  }
}
