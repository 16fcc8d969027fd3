package dev.lake.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point: {@code e2e} (the end-to-end benchmark against baselines, default) or {@code jmh}
 * (the micro benchmarks, JMH's own options after it).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length == 0 ? "e2e" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (mode) {
      case "e2e" -> new EndToEnd(options(rest)).run();
      case "jmh" -> org.openjdk.jmh.Main.main(rest);
      case "compact-day" -> compactionDay(rest);
      case "venue" -> new Venue(venueOptions(rest)).run();
      default -> {
        System.err.println(
            "Usage: benchmarks/run [e2e [--books N] [--rows N] [--runs N] [--out DIR]]"
                + " | jmh [JMH options] | compact-day [--symbols N] [--rows-per-minute N] [--minutes N]"
                + " [--venue [--venue-rows-per-minute N]] [--threads N] [--reuse]"
                + " | venue [--books N] [--rows N] [--rate N] [--seconds N] [--commit-seconds N]"
                + " [--heap SIZE] [--skew X] [--only full|paced] [-Dproperty=value for lake's JVM]");
        System.exit(2);
      }
    }
  }

  private static void compactionDay(String[] args) throws Exception {
    int symbols = 10;
    int rowsPerMinute = 600;
    int minutes = 1440;
    boolean venue = false;
    long venueRows = 200_000;
    boolean reuse = false;
    int threads = 0;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--symbols" -> symbols = Integer.parseInt(value);
        case "--rows-per-minute" -> rowsPerMinute = Integer.parseInt(value);
        case "--minutes" -> minutes = Integer.parseInt(value);
        case "--venue-rows-per-minute" -> venueRows = Long.parseLong(value.replace("_", ""));
        case "--threads" -> threads = Integer.parseInt(value);
        case "--venue" -> {
          venue = true;
          i--;
        }
        case "--reuse" -> {
          reuse = true;
          i--;
        }
        default ->
            throw new IllegalArgumentException(
                "Invalid option: "
                    + args[i]
                    + " (expected --symbols, --rows-per-minute, --minutes, --venue,"
                    + " --venue-rows-per-minute, --threads or --reuse)");
      }
    }
    Path work = Path.of(System.getProperty("java.io.tmpdir"), "lake-compaction-day");
    if (venue) {
      boolean symbolsGiven = List.of(args).contains("--symbols");
      boolean minutesGiven = List.of(args).contains("--minutes");
      new CompactionDay(
              symbolsGiven ? symbols : 2500,
              rowsPerMinute,
              minutesGiven ? minutes : 60,
              work,
              venueRows,
              reuse,
              threads)
          .run();
    } else {
      new CompactionDay(symbols, rowsPerMinute, minutes, work, 0, reuse, threads).run();
    }
  }

  private static Venue.Options venueOptions(String[] args) {
    int books = 2500;
    long rows = 10_000_000;
    long rate = 100_000;
    double seconds = 120;
    long commitMs = 60_000;
    String heap = "1g";
    double skew = 1.1;
    String only = "both";
    List<String> properties = new ArrayList<>();
    Path out = Path.of("benchmarks/results");
    Path capture =
        Path.of(System.getProperty("lake.shared.dir", "../shared"), "data", "binance-capture");
    Path work = Path.of(System.getProperty("java.io.tmpdir"), "lake-benchmark");
    for (int i = 0; i < args.length; i += 2) {
      if (args[i].startsWith("-D")) {
        properties.add(args[i]);
        i--;
        continue;
      }
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--books" -> books = Integer.parseInt(value);
        case "--rows" -> rows = Long.parseLong(value.replace("_", ""));
        case "--rate" -> rate = Long.parseLong(value.replace("_", ""));
        case "--seconds" -> seconds = Double.parseDouble(value);
        case "--commit-seconds" -> commitMs = (long) (Double.parseDouble(value) * 1000);
        case "--heap" -> heap = value;
        case "--skew" -> skew = Double.parseDouble(value);
        case "--only" -> only = value;
        case "--out" -> out = Path.of(value);
        case "--capture" -> capture = Path.of(value);
        case "--work" -> work = Path.of(value);
        default ->
            throw new IllegalArgumentException(
                "Invalid option: "
                    + args[i]
                    + " (expected --books, --rows, --rate, --seconds, --commit-seconds, --heap,"
                    + " --skew, --only full|paced, --out, --capture, --work or -Dproperty=value)");
      }
    }
    return new Venue.Options(
        books, rows, rate, seconds, commitMs, heap, skew, only, properties, out, capture, work);
  }

  private static EndToEnd.Options options(String[] args) {
    int books = 200;
    long rows = 10_000_000;
    int runs = 3;
    String heap = "512m";
    Path out = Path.of("benchmarks/results");
    Path capture =
        Path.of(System.getProperty("lake.shared.dir", "../shared"), "data", "binance-capture");
    Path work = Path.of(System.getProperty("java.io.tmpdir"), "lake-benchmark");
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--books" -> books = Integer.parseInt(value);
        case "--rows" -> rows = Long.parseLong(value.replace("_", ""));
        case "--runs" -> runs = Integer.parseInt(value);
        case "--heap" -> heap = value;
        case "--out" -> out = Path.of(value);
        case "--capture" -> capture = Path.of(value);
        case "--work" -> work = Path.of(value);
        default ->
            throw new IllegalArgumentException(
                "Invalid option: "
                    + args[i]
                    + " (expected --books, --rows, --runs, --heap, --out, --capture or --work)");
      }
    }
    return new EndToEnd.Options(books, rows, runs, heap, out, capture, work);
  }
}
