package dev.lake.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/** The figures of one measured run of one contender, as JSON-friendly numbers. */
final class Result {
  final String name;
  final Map<String, Double> values = new LinkedHashMap<>();

  Result(String name) {
    this.name = name;
  }

  Result put(String key, double value) {
    values.put(key, value);
    return this;
  }

  double get(String key) {
    Double value = values.get(key);
    return value == null ? Double.NaN : value;
  }

  /** One line: {@code RESULT name key=value ...}, how a forked run reports back. */
  String line() {
    StringBuilder line = new StringBuilder("RESULT ").append(name.replace(' ', '_'));
    values.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
    return line.toString();
  }

  static Result parse(String line) {
    String[] parts = line.substring("RESULT ".length()).split(" ");
    Result result = new Result(parts[0].replace('_', ' '));
    for (int i = 1; i < parts.length; i++) {
      int equals = parts[i].indexOf('=');
      result.put(parts[i].substring(0, equals), Double.parseDouble(parts[i].substring(equals + 1)));
    }
    return result;
  }
}
