package dev.lake.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A {@code lake} subcommand that does work (not a group of subcommands): it takes the {@link
 * CommonOptions}, gets its {@link CliContext} through its constructor, and runs with a {@link
 * Setup} that loads the configuration and opens the catalog when the command first asks for them.
 *
 * <p>Errors are not handled here: an exception thrown by {@link #run} becomes one line on standard
 * error and an exit code in {@link LakeCli}, the same way for every command.
 */
abstract class LakeSubcommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  final CliContext context;

  LakeSubcommand(CliContext context) {
    this.context = context;
  }

  @Override
  public final Integer call() throws Exception {
    return run(new Setup(context, common, spec));
  }

  /**
   * Does the command's work.
   *
   * @return the exit code ({@link ExitCodes})
   */
  abstract int run(Setup setup) throws Exception;
}
