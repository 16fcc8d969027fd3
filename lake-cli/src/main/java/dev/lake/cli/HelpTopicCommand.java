package dev.lake.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lake help [COMMAND...]}: the usage of any command at any depth ({@code lake help tables
 * list}), the same text as {@code lake tables list --help}.
 */
@Command(
    name = "help",
    helpCommand = true,
    description = "Show the usage of lake or of a command, e.g. lake help tables list.")
public final class HelpTopicCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, at any depth.")
  List<String> path = List.of();

  @Override
  public void run() {
    CommandLine command = spec.commandLine().getParent();
    for (String name : path) {
      CommandLine sub = command.getSubcommands().get(name);
      if (sub == null) {
        throw new ParameterException(
            spec.commandLine(),
            "Unknown command: '"
                + String.join(" ", path)
                + "' (expected one of "
                + String.join(", ", command.getSubcommands().keySet())
                + " after '"
                + command.getCommandSpec().qualifiedName()
                + "')");
      }
      command = sub;
    }
    command.usage(spec.commandLine().getOut());
  }
}
