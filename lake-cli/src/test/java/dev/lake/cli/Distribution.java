package dev.lake.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged distribution ({@code lake-<version>.tar.gz}), unpacked for tests that run {@code
 * bin/lake}.
 */
public final class Distribution {
  /**
   * How long a test waits for a started lake to connect and subscribe: a loaded CI machine has
   * taken over a minute to start the JVM and connect. Waiting only costs time when it fails.
   */
  public static final Duration STARTUP = Duration.ofMinutes(3);

  private final Path home;

  private Distribution(Path home) {
    this.home = home;
  }

  /** Unpacks the tarball Maven built into a folder. */
  public static Distribution unpack(Path folder) throws IOException, InterruptedException {
    Path tarball = Path.of(System.getProperty("lake.distribution"));
    if (!Files.isRegularFile(tarball)) {
      throw new IllegalStateException("No distribution at " + tarball + ": run mvn package first");
    }
    Process tar =
        new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", folder.toString())
            .inheritIO()
            .start();
    if (tar.waitFor() != 0) {
      throw new IllegalStateException("Cannot unpack " + tarball);
    }
    String name = tarball.getFileName().toString().replace(".tar.gz", "");
    return new Distribution(folder.resolve(name));
  }

  public Path home() {
    return home;
  }

  /** Starts {@code bin/lake} with arguments in a working folder; output goes to files there. */
  public Process start(Path workingDirectory, String... args) throws IOException {
    return start(workingDirectory, java.util.Map.of(), args);
  }

  /** Starts {@code bin/lake} with extra environment variables (e.g. a venue's credentials). */
  public Process start(
      Path workingDirectory, java.util.Map<String, String> environment, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/lake").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workingDirectory.toFile())
            .redirectOutput(workingDirectory.resolve("stdout.txt").toFile())
            .redirectError(workingDirectory.resolve("stderr.txt").toFile());
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** Runs {@code bin/lake} to completion (at most two minutes). */
  public Result run(Path workingDirectory, String... args)
      throws IOException, InterruptedException {
    Process process = start(workingDirectory, args);
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("bin/lake did not finish: " + List.of(args));
    }
    return new Result(
        process.exitValue(),
        Files.readString(workingDirectory.resolve("stdout.txt")),
        Files.readString(workingDirectory.resolve("stderr.txt")));
  }

  /** What a finished run printed. */
  public record Result(int exitCode, String out, String err) {}
}
