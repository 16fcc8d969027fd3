package dev.lake.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs the lake command in-process with its own output, environment and working folder. */
public record CliRun(int exitCode, String out, String err) {
  public static CliRun run(Path workingDirectory, Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext context =
        new CliContext(new PrintWriter(out), new PrintWriter(err), environment, workingDirectory);
    int code = LakeCli.run(context, args);
    return new CliRun(code, out.toString(), err.toString());
  }

  public static CliRun run(Path workingDirectory, String... args) {
    return run(workingDirectory, Map.of(), args);
  }
}
