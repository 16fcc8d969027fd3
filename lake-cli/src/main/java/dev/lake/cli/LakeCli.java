package dev.lake.cli;

import dev.lake.catalog.CatalogException;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.catalog.Secrets;
import dev.lake.cli.config.ConfigException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.Charset;
import org.apache.iceberg.exceptions.NoSuchTableException;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParameterException;

/**
 * Builds the {@code lake} command line around a {@link CliContext}: subcommands get the context
 * through their constructors; errors become one line on standard error and an exit code (with the
 * stack trace under {@code --verbose}). Nothing it prints or logs shows a secret: see {@link #run}.
 */
public final class LakeCli {
  private static PrintStream maskedStandardError;

  private LakeCli() {}

  /**
   * Runs the command with arguments; returns the exit code. Everything the command writes to the
   * context's writers, and everything written to {@code System.err} (where the logs go) from then
   * on, has its secrets masked line by line ({@link Secrets#mask}): passwords and tokens in URIs,
   * secret properties, authorization headers, also inside the messages and stack traces of
   * Iceberg's, JDBC's and the AWS SDK's exceptions.
   */
  public static int run(CliContext context, String... args) {
    maskStandardError();
    CliContext masking = context.masking();
    CommandLine commandLine = commandLine(masking);
    int code = commandLine.execute(args);
    masking.out().flush();
    masking.err().flush();
    return code;
  }

  /** Puts a masking stream in front of {@code System.err}, once (again if it was replaced). */
  private static synchronized void maskStandardError() {
    if (System.err == maskedStandardError) {
      return;
    }
    Charset charset =
        Charset.forName(System.getProperty("sun.stderr.encoding", Charset.defaultCharset().name()));
    maskedStandardError =
        new PrintStream(Secrets.maskingStream(System.err, charset), true, charset);
    System.setErr(maskedStandardError);
  }

  static CommandLine commandLine(CliContext context) {
    CommandLine commandLine = new CommandLine(new LakeCommand(), new ContextFactory(context));
    commandLine.setOut(context.out());
    commandLine.setErr(context.err());
    commandLine.setExecutionExceptionHandler(
        (error, command, parseResult) -> {
          PrintWriter err = command.getErr();
          err.println("lake: " + message(error));
          if (hasVerbose(parseResult)) {
            error.printStackTrace(err);
          } else if (!(error instanceof ConfigException)) {
            err.println("(run with --verbose for the stack trace)");
          }
          err.flush();
          return exitCode(error);
        });
    commandLine.setParameterExceptionHandler(
        (ParameterException error, String[] args) -> {
          PrintWriter err = error.getCommandLine().getErr();
          err.println("lake: " + error.getMessage());
          err.println(
              "Try '"
                  + error.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help' for usage.");
          err.flush();
          return ExitCodes.USAGE;
        });
    return commandLine;
  }

  private static boolean hasVerbose(CommandLine.ParseResult parseResult) {
    CommandLine.ParseResult result = parseResult;
    while (result != null) {
      if (result.hasMatchedOption("--verbose")) {
        return true;
      }
      result = result.subcommand();
    }
    return false;
  }

  static int exitCode(Throwable error) {
    if (error instanceof ConfigException) {
      return ExitCodes.CONFIG;
    }
    if (error instanceof ParameterException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.FAILURE;
  }

  static String message(Throwable error) {
    if (error instanceof ConfigException
        || error instanceof CatalogException
        || error instanceof NoSuchTableException) {
      return error.getMessage();
    }
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      return error.getClass().getSimpleName() + ": " + LakeCatalogs.rootMessage(error);
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == error || message.contains(String.valueOf(root.getMessage()))
        ? message
        : message + ": " + LakeCatalogs.rootMessage(error);
  }

  /** Creates subcommands, handing them the context when they take one. */
  private record ContextFactory(CliContext context) implements IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      for (Constructor<?> constructor : type.getConstructors()) {
        if (constructor.getParameterCount() == 1
            && constructor.getParameterTypes()[0] == CliContext.class) {
          return type.cast(constructor.newInstance(context));
        }
      }
      return CommandLine.defaultFactory().create(type);
    }
  }
}
