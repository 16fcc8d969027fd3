package dev.lake.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Medians and spreads of the runs, lake's ratios to each baseline, and the targets. */
final class Report {
  private final EndToEnd.Options options;
  private final List<Recording> recordings;
  private final Map<String, List<Result>> results;
  private final long baselineRows;
  private final double inputBytesPerRow;

  Report(
      EndToEnd.Options options,
      List<Recording> recordings,
      Map<String, List<Result>> results,
      long baselineRows) {
    this.options = options;
    this.recordings = recordings;
    this.results = results;
    this.baselineRows = baselineRows;
    Result lake = results.get("lake").get(0);
    this.inputBytesPerRow = lake.get("input_bytes") / lake.get("rows");
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private record Stat(double median, double min, double max) {
    String format(String pattern) {
      if (Double.isNaN(median)) {
        return "-";
      }
      String text = String.format(Locale.ROOT, pattern, median);
      return min == max
          ? text
          : text
              + " ("
              + String.format(Locale.ROOT, pattern, min).trim()
              + "–"
              + String.format(Locale.ROOT, pattern, max).trim()
              + ")";
    }
  }

  private Stat stat(String name, ToDoubleFunction<Result> metric) {
    List<Double> values = new ArrayList<>();
    for (Result result : results.get(name)) {
      values.add(metric.applyAsDouble(result));
    }
    return new Stat(
        median(values),
        values.stream().mapToDouble(v -> v).min().orElse(Double.NaN),
        values.stream().mapToDouble(v -> v).max().orElse(Double.NaN));
  }

  private static double rowsPerSecond(Result result) {
    return result.get("rows") / result.get("seconds");
  }

  private double inputMegabytesPerSecond(Result result) {
    double bytes =
        Double.isNaN(result.get("input_bytes"))
            ? result.get("rows") * inputBytesPerRow
            : result.get("input_bytes");
    return bytes / 1e6 / result.get("seconds");
  }

  private static double bytesPerRow(Result result) {
    return result.get("file_bytes") / result.get("rows");
  }

  private static double heapMiB(Result result) {
    return result.get("peak_heap_after_gc") / 1048576.0;
  }

  List<String> lines() {
    List<String> lines = new ArrayList<>();
    Result lake = results.get("lake").get(0);
    lines.add(
        String.format(
            Locale.ROOT,
            "lake benchmark, %s, Java %s, %d cores",
            Instant.now(),
            System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors()));
    lines.add(
        String.format(
            Locale.ROOT,
            "Input: %s; %d books; %,.0f delta rows a run (%,.0f frames, %.1f MB of frames); %d runs, median (min–max)",
            recordings.get(0).name().startsWith("recorded")
                ? "real Binance recordings (4 files, spot and USD-M)"
                : "generated frames with the recordings' statistics",
            options.books(),
            lake.get("rows"),
            lake.get("frames"),
            lake.get("input_bytes") / 1e6,
            options.runs()));
    lines.add("");
    lines.add(
        "| contender | rows/s | input MB/s | bytes/row on disk | peak heap after GC (MiB) | CPU s | lake ÷ it (rows/s) |");
    lines.add("|---|---|---|---|---|---|---|");
    double lakeRate = stat("lake", Report::rowsPerSecond).median();
    for (String name : results.keySet()) {
      Stat rate = stat(name, Report::rowsPerSecond);
      boolean writes = !Double.isNaN(results.get(name).get(0).get("file_bytes"));
      lines.add(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %s | %s |",
              name,
              rate.format("%,.0f"),
              stat(name, this::inputMegabytesPerSecond).format("%.1f"),
              writes ? stat(name, Report::bytesPerRow).format("%.2f") : "-",
              name.startsWith("lake") ? stat(name, Report::heapMiB).format("%.0f") : "-",
              stat(name, r -> r.get("cpu_seconds")).format("%.1f"),
              name.equals("lake")
                  ? "1"
                  : name.equals(EndToEnd.PACED)
                      ? "-"
                      : String.format(Locale.ROOT, "%.2f", lakeRate / rate.median())));
    }
    Stat compacted = stat("lake", r -> r.get("compacted_bytes") / r.get("rows"));
    lines.add("");
    lines.add(
        String.format(
            Locale.ROOT,
            "lake after compaction: %s bytes/row (%s files before, %s after).",
            compacted.format("%.2f"),
            stat("lake", r -> r.get("files")).format("%.0f"),
            stat("lake", r -> r.get("compacted_files")).format("%.0f")));
    String second = EndToEnd.ONE_SECOND;
    if (results.containsKey(second)) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%s: %s bytes/row in %s files as committed; after compaction %s bytes/row in %s files.",
              second,
              stat(second, Report::bytesPerRow).format("%.2f"),
              stat(second, r -> r.get("files")).format("%.0f"),
              stat(second, r -> r.get("compacted_bytes") / r.get("rows")).format("%.2f"),
              stat(second, r -> r.get("compacted_files")).format("%.0f")));
      lines.add(
          String.format(
              Locale.ROOT,
              "Receive to commit (from each row's local_timestamp to its snapshot's commit): with 1 s commits mean %s s, longest %s s; with 60 s commits (the run is shorter than the interval, so the final flush commits all) mean %s s, longest %s s.",
              stat(second, r -> r.get("receive_to_commit_mean_seconds")).format("%.2f"),
              stat(second, r -> r.get("receive_to_commit_max_seconds")).format("%.2f"),
              stat("lake", r -> r.get("receive_to_commit_mean_seconds")).format("%.2f"),
              stat("lake", r -> r.get("receive_to_commit_max_seconds")).format("%.2f")));
    }
    String paced = EndToEnd.PACED;
    if (results.containsKey(paced)) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%s (%s rows, one run): receive to commit mean %s s, longest %s s; CPU %s us a row.",
              paced,
              stat(paced, r -> r.get("rows")).format("%,.0f"),
              stat(paced, r -> r.get("receive_to_commit_mean_seconds")).format("%.2f"),
              stat(paced, r -> r.get("receive_to_commit_max_seconds")).format("%.2f"),
              stat(paced, r -> 1e6 * r.get("cpu_seconds") / r.get("rows")).format("%.2f")));
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "lake's final commit (the writer's flush at the end, 60 s commit interval): %s s; every depth event validated: %s, gaps: %s.",
            stat("lake", r -> r.get("final_commit_seconds")).format("%.2f"),
            stat("lake", r -> r.get("validated")).format("%,.0f"),
            stat("lake", r -> r.get("gaps")).format("%.0f")));
    lines.add(
        String.format(
            Locale.ROOT,
            "Cost of the write-ahead log: %s rows/s with it, %s without (%.0f%% of the rate).",
            stat("lake", Report::rowsPerSecond).format("%,.0f"),
            stat("lake without log", Report::rowsPerSecond).format("%,.0f"),
            100 * lakeRate / stat("lake without log", Report::rowsPerSecond).median()));
    lines.add("");
    lines.add("Targets:");
    double floor = stat("Parquet floor", Report::rowsPerSecond).median();
    double lakeBytes = stat("lake", Report::bytesPerRow).median();
    double duckBytes = stat("DuckDB", Report::bytesPerRow).median();
    double csvBytes = stat("CSV.gz", Report::bytesPerRow).median();
    double heap = stat("lake", Report::heapMiB).max();
    lines.add(
        target(
            "lake at least 1,000,000 delta rows/s",
            lakeRate >= 1_000_000,
            String.format(
                Locale.ROOT,
                "%,.0f rows/s (%+.0f%%)",
                lakeRate,
                100 * (lakeRate / 1_000_000 - 1))));
    lines.add(
        target(
            "lake at least half the Parquet floor",
            lakeRate >= floor / 2,
            String.format(Locale.ROOT, "%.0f%% of %,.0f rows/s", 100 * lakeRate / floor, floor)));
    lines.add(
        target(
            "bytes/row no more than DuckDB's",
            lakeBytes <= duckBytes,
            String.format(
                Locale.ROOT,
                "%.2f vs %.2f (after compaction %.2f)",
                lakeBytes,
                duckBytes,
                compacted.median())));
    lines.add(
        target(
            "bytes/row less than CSV.gz",
            lakeBytes < csvBytes,
            String.format(Locale.ROOT, "%.2f vs %.2f", lakeBytes, csvBytes)));
    lines.add(
        target(
            "peak heap at most 512 MiB (lake runs with -Xmx" + options.lakeHeap() + ")",
            heap <= 512,
            String.format(Locale.ROOT, "%.0f MiB after GC at most", heap)));
    lines.add("");
    lines.add(
        String.format(
            Locale.ROOT,
            "Baselines write the same %,d rows lake wrote (produced by the same parse and sync). Parquet floor: parquet-java, snappy, one file, no Iceberg, no log. DuckDB: JDBC appender, then COPY to snappy Parquet partitioned by exchange, market, symbol. CSV.gz: gzip level 6, for size. Peak heap is lake's alone: lake runs in its own JVM, the baselines in the harness JVM that holds every row for them (and DuckDB's memory is native, off the Java heap).",
            baselineRows));
    return lines;
  }

  private static String target(String what, boolean met, String measured) {
    return "- " + what + ": " + (met ? "met" : "MISSED") + ", " + measured;
  }

  void print(PrintStream out) {
    lines().forEach(out::println);
  }

  void write(Path folder) throws IOException {
    Files.write(folder.resolve("results.md"), lines());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("books", options.books());
    json.put("rows", options.rows());
    json.put("runs", options.runs());
    json.put("input", recordings.stream().map(Recording::name).toList());
    Map<String, Object> contenders = new LinkedHashMap<>();
    results.forEach(
        (name, runs) -> contenders.put(name, runs.stream().map(r -> r.values).toList()));
    json.put("results", contenders);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(folder.resolve("results.json").toFile(), json);
  }
}
