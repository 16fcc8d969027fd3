package dev.lake.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

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
            Path.of(""),
            Main::onStopSignals,
            System.console() != null);
    System.exit(LakeCli.run(context, args));
  }

  /**
   * SIGINT and SIGTERM: the first runs the action (a clean stop that commits); a second ends the
   * process at once, leaving what is not committed in the write-ahead log.
   */
  @SuppressWarnings("removal")
  private static void onStopSignals(Runnable action) {
    AtomicInteger signals = new AtomicInteger();
    sun.misc.SignalHandler handler =
        signal -> {
          if (signals.incrementAndGet() == 1) {
            System.err.println(
                "lake: SIG"
                    + signal.getName()
                    + " received: stopping, committing what was received (again to exit at once)");
            action.run();
          } else {
            System.err.println(
                "lake: second signal: exiting now; rows not yet committed stay in the write-ahead log");
            Runtime.getRuntime().halt(130);
          }
        };
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
  }
}
