package dev.lake.kafkatest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code lake ingest} in a JVM of its own (this module's class path, lake-cli's {@code Main}), so
 * that it can be killed with SIGKILL.
 */
final class LakeProcess {
  private final Process process;
  private final Path work;

  private LakeProcess(Process process, Path work) {
    this.process = process;
    this.work = work;
  }

  static LakeProcess ingest(Path work, int run) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        List.of(
            java.toString(),
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.lake.cli.Main",
            "ingest",
            "--config",
            "lake.yml",
            "--status-interval",
            "1s");
    Process process =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectOutput(work.resolve("stdout-" + run + ".txt").toFile())
            .redirectError(work.resolve("stderr-" + run + ".txt").toFile())
            .start();
    return new LakeProcess(process, work);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then waits for the exit; returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("lake ingest did not stop within 90 s after SIGTERM");
    }
    return process.exitValue();
  }

  String stderr(int run) throws IOException {
    return Files.readString(work.resolve("stderr-" + run + ".txt"));
  }
}
