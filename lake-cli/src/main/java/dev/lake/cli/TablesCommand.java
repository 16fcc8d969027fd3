package dev.lake.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lake tables}: create, list and describe lake's tables. */
@Command(
    name = "tables",
    description = "Create, list and describe lake's tables.",
    subcommands = {TablesCreateCommand.class, TablesListCommand.class, TablesDescribeCommand.class})
public final class TablesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing subcommand (expected create, list or describe)");
  }
}
