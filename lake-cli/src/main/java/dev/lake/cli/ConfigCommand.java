package dev.lake.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lake config}: work with configuration files. */
@Command(
    name = "config",
    description = "Check configuration files.",
    subcommands = {ConfigValidateCommand.class})
public final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand (expected validate)");
  }
}
