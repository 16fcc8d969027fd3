package dev.lake.cli.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format, version 0.0.4: every line must be a
 * HELP, a TYPE, another comment or a sample; a family's TYPE comes once and before its samples, its
 * lines form one group, sample names belong to their family's type, label names and escapes are
 * valid, no series appears twice, and histogram buckets are cumulative up to {@code le="+Inf"},
 * which equals {@code _count}. Anything else throws with the line number.
 */
final class PrometheusText {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /** One sample: its name, labels and value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private final Map<String, String> types;
  private final List<Sample> samples;

  private PrometheusText(Map<String, String> types, List<Sample> samples) {
    this.types = types;
    this.samples = samples;
  }

  static PrometheusText parse(String text) {
    Map<String, String> types = new LinkedHashMap<>();
    Set<String> helped = new HashSet<>();
    Set<String> finished = new HashSet<>();
    Set<String> series = new HashSet<>();
    List<Sample> samples = new ArrayList<>();
    String current = null;
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("Invalid exposition: the last line has no line feed");
    }
    String[] lines = text.split("\n", -1);
    for (int number = 1; number < lines.length; number++) {
      String line = lines[number - 1];
      String where = "line " + number + " (" + line + ")";
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        String[] parts = line.split(" ", 4);
        if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
          String family = parts[2];
          require(METRIC_NAME.matcher(family).matches(), "metric name", where);
          if (!family.equals(current)) {
            require(!finished.contains(family), "family grouped in one block", where);
            if (current != null) {
              finished.add(current);
            }
            current = family;
          }
          if (parts[1].equals("TYPE")) {
            require(parts.length == 4 && TYPES.contains(parts[3]), "a metric type", where);
            require(!types.containsKey(family), "one TYPE per family", where);
            types.put(family, parts[3]);
          } else {
            require(helped.add(family), "one HELP per family", where);
            require(parts.length == 4 ? validHelp(parts[3]) : true, "HELP escapes", where);
          }
        }
        continue;
      }
      Sample sample = sample(line, where);
      String family = familyOf(sample.name(), types);
      require(family != null, "a sample of a family with a TYPE before it", where);
      if (!family.equals(current)) {
        require(!finished.contains(family), "family grouped in one block", where);
        if (current != null) {
          finished.add(current);
        }
        current = family;
      }
      require(series.add(sample.name() + new TreeMap<>(sample.labels())), "a new series", where);
      samples.add(sample);
    }
    PrometheusText parsed = new PrometheusText(types, samples);
    parsed.checkHistograms();
    return parsed;
  }

  private static boolean validHelp(String help) {
    for (int i = 0; i < help.length(); i++) {
      if (help.charAt(i) == '\\') {
        if (i + 1 >= help.length() || "\\n".indexOf(help.charAt(i + 1)) < 0) {
          return false;
        }
        i++;
      }
    }
    return true;
  }

  private static String familyOf(String name, Map<String, String> types) {
    if ("counter".equals(types.get(name))
        || "gauge".equals(types.get(name))
        || "untyped".equals(types.get(name))
        || "summary".equals(types.get(name))) {
      return name;
    }
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (name.endsWith(suffix)) {
        String family = name.substring(0, name.length() - suffix.length());
        String type = types.get(family);
        if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
          return family;
        }
      }
    }
    return null;
  }

  private static Sample sample(String line, String where) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    require(METRIC_NAME.matcher(name).matches(), "metric name", where);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int start = i;
        while (i < line.length() && line.charAt(i) != '=') {
          i++;
        }
        String label = line.substring(start, i);
        require(LABEL_NAME.matcher(label).matches(), "label name", where);
        require(i + 1 < line.length() && line.charAt(i + 1) == '"', "a quoted label value", where);
        i += 2;
        StringBuilder value = new StringBuilder();
        while (i < line.length() && line.charAt(i) != '"') {
          char c = line.charAt(i);
          if (c == '\\') {
            require(i + 1 < line.length(), "an escape", where);
            char escaped = line.charAt(i + 1);
            require(escaped == '\\' || escaped == '"' || escaped == 'n', "an escape", where);
            value.append(escaped == 'n' ? '\n' : escaped);
            i += 2;
          } else {
            value.append(c);
            i++;
          }
        }
        require(i < line.length(), "a closing quote", where);
        i++;
        require(labels.put(label, value.toString()) == null, "labels named once", where);
        require(i < line.length(), "a closing brace", where);
        if (line.charAt(i) == ',') {
          i++;
        } else {
          require(line.charAt(i) == '}', "a comma or a closing brace", where);
        }
      }
      i++;
    }
    require(i < line.length() && line.charAt(i) == ' ', "a space before the value", where);
    String[] rest = line.substring(i + 1).split(" ", -1);
    require(rest.length == 1 || rest.length == 2, "a value and an optional timestamp", where);
    double value = value(rest[0], where);
    if (rest.length == 2) {
      try {
        Long.parseLong(rest[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Invalid exposition at " + where + ": expected a timestamp");
      }
    }
    return new Sample(name, labels, value);
  }

  private static double value(String text, String where) {
    switch (text) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        require(text.matches("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?"), "a number", where);
        return Double.parseDouble(text);
    }
  }

  private void checkHistograms() {
    types.forEach(
        (family, type) -> {
          if (!type.equals("histogram")) {
            return;
          }
          Map<Map<String, String>, List<Sample>> buckets = new HashMap<>();
          Map<Map<String, String>, Double> counts = new HashMap<>();
          for (Sample sample : samples) {
            Map<String, String> labels = new TreeMap<>(sample.labels());
            if (sample.name().equals(family + "_bucket")) {
              require(labels.containsKey("le"), "an le label", family);
              labels.remove("le");
              buckets.computeIfAbsent(labels, l -> new ArrayList<>()).add(sample);
            } else if (sample.name().equals(family + "_count")) {
              counts.put(labels, sample.value());
            }
          }
          buckets.forEach(
              (labels, series) -> {
                double previous = 0;
                for (Sample bucket : series) {
                  require(bucket.value() >= previous, "cumulative buckets", family + labels);
                  previous = bucket.value();
                }
                Sample last = series.get(series.size() - 1);
                require(last.labels().get("le").equals("+Inf"), "a last +Inf bucket", family);
                require(last.value() == counts.getOrDefault(labels, -1.0), "+Inf = _count", family);
              });
        });
  }

  private static void require(boolean condition, String expected, String where) {
    if (!condition) {
      throw new IllegalArgumentException(
          "Invalid exposition at " + where + ": expected " + expected);
    }
  }

  /** The type each family was declared with. */
  Map<String, String> types() {
    return types;
  }

  List<Sample> samples() {
    return samples;
  }

  /** The sum of a sample's values over the series whose labels match; 0 when none does. */
  double sum(String name, Predicate<Map<String, String>> labels) {
    return samples.stream()
        .filter(sample -> sample.name().equals(name) && labels.test(sample.labels()))
        .mapToDouble(Sample::value)
        .sum();
  }

  double sum(String name) {
    return sum(name, labels -> true);
  }

  /** The value of the one series of a name with exactly these labels (name, value pairs). */
  double value(String name, String... labels) {
    Map<String, String> wanted = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    List<Sample> matching =
        samples.stream()
            .filter(sample -> sample.name().equals(name) && sample.labels().equals(wanted))
            .toList();
    if (matching.size() != 1) {
      throw new IllegalArgumentException(
          "Expected one series " + name + wanted + ", found " + matching.size());
    }
    return matching.get(0).value();
  }
}
