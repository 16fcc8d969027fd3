package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HelpTest {
  @TempDir Path folder;

  @Test
  void everyCommandAtEveryDepthAnswersHelpAndH() {
    List<List<String>> commands = commandPaths();
    assertThat(commands)
        .as("the tree walked")
        .contains(List.of(), List.of("ingest"), List.of("tables", "list"), List.of("maintain"));
    for (List<String> path : commands) {
      String name = String.join(" ", prepend("lake", path));
      for (String flag : List.of("--help", "-h")) {
        CliRun run = CliRun.run(folder, args(path, flag));
        assertThat(run.exitCode()).as(name + " " + flag + ": " + run.err()).isZero();
        assertThat(run.out()).as(name + " " + flag).startsWith("Usage: " + name);
        assertThat(run.err()).as(name + " " + flag).isEmpty();
      }
    }
  }

  @Test
  void helpCommandPrintsTheSameUsageAtAnyDepth() {
    for (List<String> path : commandPaths()) {
      String expected = CliRun.run(folder, args(path, "--help")).out();
      CliRun run = CliRun.run(folder, prepend("help", path).toArray(String[]::new));
      assertThat(run.exitCode()).as("lake help " + path + ": " + run.err()).isZero();
      assertThat(run.out()).as("lake help " + path).isEqualTo(expected);
    }
  }

  @Test
  void helpForAnUnknownCommandNamesTheKnownOnesAndExitsWithUsage() {
    CliRun run = CliRun.run(folder, "help", "tables", "drop");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .contains("Unknown command: 'tables drop'")
        .contains("create, list, describe");
  }

  @Test
  void usageErrorsPointAtAHelpThatWorks() {
    CliRun wrong = CliRun.run(folder, "tables", "list", "--bogus");
    assertThat(wrong.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(wrong.err()).contains("Try 'lake tables list --help' for usage.");
    assertThat(CliRun.run(folder, "tables", "list", "--help").exitCode()).isZero();
  }

  @Test
  void versionNamesTheCommitItWasBuiltFrom() throws Exception {
    CliRun version = CliRun.run(folder, "--version");
    assertThat(version.exitCode()).isZero();
    Process git =
        new ProcessBuilder("git", "rev-parse", "--short=7", "HEAD")
            .redirectErrorStream(true)
            .start();
    String head = new String(git.getInputStream().readAllBytes()).trim();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        git.waitFor() == 0, "not built from a git checkout: " + head);
    assertThat(version.out()).startsWith("lake " + VersionProvider.version() + ", commit ");
    assertThat(version.out().lines().findFirst().orElseThrow())
        .matches("lake \\S+, commit [0-9a-f]{7,}(-dirty)? \\(\\d{4}-\\d\\d-\\d\\dT.*\\)");
  }

  /** Every command's path below {@code lake}, read from the command tree itself. */
  private List<List<String>> commandPaths() {
    CliContext context =
        new CliContext(
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()),
            Map.of(),
            folder);
    List<List<String>> paths = new ArrayList<>();
    walk(LakeCli.commandLine(context), List.of(), paths);
    return paths;
  }

  private static void walk(CommandLine command, List<String> path, List<List<String>> paths) {
    paths.add(path);
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandSpec().helpCommand()) {
                walk(sub, child(path, name), paths);
              }
            });
  }

  private static List<String> child(List<String> path, String last) {
    List<String> result = new ArrayList<>(path);
    result.add(last);
    return result;
  }

  private static String[] args(List<String> path, String... more) {
    List<String> result = new ArrayList<>(path);
    result.addAll(List.of(more));
    return result.toArray(String[]::new);
  }

  private static List<String> prepend(String first, List<String> path) {
    List<String> result = new ArrayList<>();
    result.add(first);
    result.addAll(path);
    return result;
  }
}
