package dev.lake.benchmarks;

import dev.lake.core.model.LakeRow;
import dev.lake.exchanges.MicrosClock;
import dev.lake.exchanges.binance.BinanceReplayDriver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-to-end benchmark: the same real-format depth frames, fanned out to N books, through lake
 * (in its own JVM, heap capped), and through the baselines (Jackson parsing alone, parquet-java
 * directly, DuckDB, gzip CSV) on the same rows, several runs each; the median and spread of each
 * figure, lake's ratios, the targets; a table on standard output, Markdown and JSON in the output
 * folder.
 */
final class EndToEnd {
  /** lake with 1 s commits: how long rows wait for a commit, and what small files cost. */
  static final String ONE_SECOND = "lake, 1 s commits";

  /** A live-like rate: several whole venues' worth of the busiest books. */
  static final long PACE = 50_000;

  /** lake at a live rate with 1 s commits: receive-to-commit delay and CPU when not saturated. */
  static final String PACED = "lake paced at 50,000 rows/s, 1 s commits";

  private final Options options;
  private final List<Recording> recordings;

  record Options(
      int books, long rows, int runs, String lakeHeap, Path out, Path capture, Path work) {}

  EndToEnd(Options options) throws IOException {
    this.options = options;
    this.recordings = Recording.load(options.capture());
  }

  void run() throws Exception {
    Files.createDirectories(options.out());
    System.out.printf(
        Locale.ROOT,
        "Input: %s, %d books, %,d rows a run, %d runs%n",
        recordings.get(0).name().startsWith("recorded")
            ? "the Binance recordings in " + options.capture()
            : "generated frames (no recordings found)",
        options.books(),
        options.rows(),
        options.runs());
    Map<String, List<Result>> results = new LinkedHashMap<>();
    for (int run = 0; run < options.runs(); run++) {
      System.out.printf("run %d/%d: lake...%n", run + 1, options.runs());
      results.computeIfAbsent("lake", k -> new ArrayList<>()).add(lake(true, 60_000, run));
      System.out.printf("run %d/%d: lake without log...%n", run + 1, options.runs());
      results
          .computeIfAbsent("lake without log", k -> new ArrayList<>())
          .add(lake(false, 60_000, run));
      System.out.printf("run %d/%d: lake, 1 s commits...%n", run + 1, options.runs());
      results.computeIfAbsent(ONE_SECOND, k -> new ArrayList<>()).add(lake(true, 1000, run));
    }
    System.out.printf("lake paced at %,d rows/s, 1 s commits...%n", PACE);
    results
        .computeIfAbsent(PACED, k -> new ArrayList<>())
        .add(lake(true, 1000, 0, PACE, Math.min(options.rows(), PACE * 30)));
    RowColumns rows = materialise();
    for (int run = 0; run < options.runs(); run++) {
      System.out.printf("run %d/%d: baselines...%n", run + 1, options.runs());
      results.computeIfAbsent("parse only", k -> new ArrayList<>()).add(parseOnly());
      results
          .computeIfAbsent("Parquet floor", k -> new ArrayList<>())
          .add(Baselines.parquetFloor(rows, options.work()));
      results
          .computeIfAbsent("DuckDB", k -> new ArrayList<>())
          .add(Baselines.duckDb(rows, options.work()));
      results
          .computeIfAbsent("CSV.gz", k -> new ArrayList<>())
          .add(Baselines.csvGzip(rows, options.work()));
    }
    Report report = new Report(options, recordings, results, rows.size);
    report.print(System.out);
    report.write(options.out());
  }

  private Result lake(boolean wal, long commitMs, int run) throws Exception {
    return lake(wal, commitMs, run, 0, options.rows());
  }

  private Result lake(boolean wal, long commitMs, int run, long pace, long rows) throws Exception {
    Path folder =
        options
            .work()
            .resolve("lake-" + (wal ? "wal" : "nowal") + "-" + commitMs + "-" + pace + "-" + run);
    Baselines.deleteTree(folder);
    Files.createDirectories(folder);
    Result result =
        fork(
            options.lakeHeap(),
            // -Dlake.kafka=true on the harness runs every lake row with the Kafka output on
            Boolean.getBoolean("lake.kafka") ? List.of("-Dlake.kafka=true") : List.of(),
            folder.toString(),
            Integer.toString(options.books()),
            Long.toString(rows),
            Boolean.toString(wal),
            Long.toString(commitMs),
            options.capture().toString(),
            Long.toString(pace));
    Baselines.deleteTree(folder);
    return result;
  }

  /**
   * Runs {@link LakeRun} in its own JVM with the given heap, JVM properties and arguments, and
   * returns its RESULT line; fails when it fails.
   */
  static Result fork(String heap, List<String> properties, String... arguments) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx" + heap);
    command.add("-XX:MaxDirectMemorySize=1g");
    command.add("-XX:+UseG1GC");
    // an OutOfMemoryError in one of lake's threads would leave the child alive and this harness
    // waiting for its output for ever: end it, and the run fails saying so
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.addAll(properties);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LakeRun.class.getName());
    command.addAll(List.of(arguments));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Result result = null;
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          result = Result.parse(line);
        }
      }
    }
    if (process.waitFor() != 0 || result == null) {
      throw new IllegalStateException(
          "lake run failed (exit "
              + process.exitValue()
              + "; with -Xmx"
              + heap
              + ": an OutOfMemoryError ends it, see its output above; try --heap)");
    }
    return result;
  }

  private Result parseOnly() {
    FanOut fanOut = new FanOut(recordings, options.books());
    BinanceReplayDriver driver =
        new BinanceReplayDriver(fanOut.names(), fanOut.markets(), fanOut.copies());
    long[] rows = {0};
    long[] bytes = {0};
    Measure measure = new Measure();
    fanOut.run(
        new FanOut.Visitor() {
          @Override
          public void frame(int book, byte[] frame) {
            rows[0] += driver.parseOnly(frame);
            bytes[0] += frame.length;
          }

          @Override
          public void snapshot(int book, byte[] body) {}
        },
        () -> rows[0] >= options.rows());
    double seconds = measure.seconds();
    double cpu = measure.cpuSeconds();
    measure.stop();
    return new Result("parse only")
        .put("rows", rows[0])
        .put("input_bytes", bytes[0])
        .put("seconds", seconds)
        .put("cpu_seconds", cpu);
  }

  /** lake's delta rows of a run, through the same parse and sync, for the baselines. */
  private RowColumns materialise() {
    FanOut fanOut = new FanOut(recordings, options.books());
    BinanceReplayDriver driver =
        new BinanceReplayDriver(fanOut.names(), fanOut.markets(), fanOut.copies());
    String[] markets = Arrays.stream(fanOut.markets()).map(m -> m.text()).toArray(String[]::new);
    RowColumns columns =
        new RowColumns(
            fanOut.names(),
            markets,
            (int) Math.min(options.rows() + 100_000, Integer.MAX_VALUE - 8));
    List<LakeRow> out = new ArrayList<>(128);
    long[] rows = {0};
    MicrosClock clock = MicrosClock.SYSTEM;
    fanOut.run(
        new FanOut.Visitor() {
          @Override
          public void frame(int book, byte[] frame) {
            out.clear();
            driver.frame(book, frame, clock.nowMicros(), out);
            for (LakeRow row : out) {
              columns.add(book, row);
            }
            rows[0] += out.size();
          }

          @Override
          public void snapshot(int book, byte[] body) {
            out.clear();
            driver.snapshot(book, body, clock.nowMicros(), out);
            for (LakeRow row : out) {
              columns.add(book, row);
            }
            rows[0] += out.size();
          }
        },
        () -> rows[0] >= options.rows());
    return columns;
  }
}
