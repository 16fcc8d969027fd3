package dev.lake.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Entry point of the {@code lake} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    for (String arg : args) {
      if (arg.equals("--verbose") || arg.equals("-v")) {
        System.setProperty("org.slf4j.simpleLogger.log.dev.lake", "debug");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
      }
    }
    CliContext context =
        new CliContext(
            new PrintWriter(System.out, true, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8),
            System.getenv(),
            Path.of(""));
    System.exit(LakeCli.run(context, args));
  }
}
