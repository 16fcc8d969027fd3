package dev.lake.cli.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mapping of a YAML configuration, with its key path for messages. Reading a value checks its
 * type and range; strings are interpolated ({@code ${NAME}} or {@code ${NAME:-default}} from the
 * environment); {@link #allowOnly} rejects unknown keys and suggests the nearest valid one.
 */
public final class ConfigNode {
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
  private static final Pattern ITEM = Pattern.compile("(.+)\\[(\\d+)]");
  private static final Pattern SIZE =
      Pattern.compile(
          "(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?", Pattern.CASE_INSENSITIVE);

  private final String path;
  private final Map<String, Object> values;
  private final ConfigContext context;

  private ConfigNode(String path, Map<String, Object> values, ConfigContext context) {
    this.path = path;
    this.values = values;
    this.context = context;
  }

  /** The top of a configuration. */
  public static ConfigNode root(Map<?, ?> values, ConfigContext context) {
    return new ConfigNode("", textKeys(values), context);
  }

  /**
   * YAML keys as text: {@code 1:}, {@code true:} and {@code null:} are keys too, and must reach the
   * unknown-key check as the words the user wrote rather than crash it.
   */
  private static Map<String, Object> textKeys(Map<?, ?> values) {
    Map<String, Object> map = new LinkedHashMap<>();
    if (values != null) {
      values.forEach((key, value) -> map.put(String.valueOf(key), value));
    }
    return map;
  }

  /** The key path of this node, e.g. {@code sink.catalog}; empty at the top. */
  public String path() {
    return path;
  }

  public ConfigContext context() {
    return context;
  }

  public boolean has(String key) {
    return values.containsKey(key) && values.get(key) != null;
  }

  public Set<String> keys() {
    return values.keySet();
  }

  /** The path of a key under this node. */
  public String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Rejects keys other than the given ones, suggesting the nearest valid key. */
  public void allowOnly(Collection<String> valid) {
    for (String key : values.keySet()) {
      if (!valid.contains(key)) {
        String nearest = nearest(key, valid);
        throw context.error(
            "Unknown config key "
                + pathOf(key)
                + (nearest != null
                    ? " (did you mean " + nearest + "?)"
                    : " (expected one of " + String.join(", ", new TreeSet<>(valid)) + ")"));
      }
    }
  }

  public void allowOnly(String... valid) {
    allowOnly(List.of(valid));
  }

  /** A nested mapping; an absent key gives an empty node. */
  @SuppressWarnings("unchecked")
  public ConfigNode child(String key) {
    Object value = values.get(key);
    if (value == null) {
      return new ConfigNode(pathOf(key), Map.of(), context);
    }
    if (!(value instanceof Map)) {
      throw invalid(key, value, "a mapping of keys to values");
    }
    return new ConfigNode(pathOf(key), textKeys((Map<Object, Object>) value), context);
  }

  public String string(String key, String defaultValue) {
    Object value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Map || value instanceof List) {
      throw invalid(key, value, "a single value");
    }
    return interpolate(key, String.valueOf(value));
  }

  public String requiredString(String key, String expected) {
    String value = string(key, null);
    if (value == null || value.isBlank()) {
      throw context.error(
          "Missing config value at " + pathOf(key) + " (expected " + expected + ")");
    }
    return value;
  }

  public long longValue(String key, long defaultValue, long min, long max, String expected) {
    String text = string(key, null);
    if (text == null) {
      return defaultValue;
    }
    long value;
    try {
      value = Long.parseLong(text.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw invalid(key, text, expected);
    }
    if (value < min || value > max) {
      throw invalid(key, text, expected + " from " + min + " to " + max);
    }
    return value;
  }

  public int intValue(String key, int defaultValue, int min, int max, String expected) {
    return (int) longValue(key, defaultValue, min, max, expected);
  }

  /** A size in bytes: a number, or a number with a unit (KiB, MiB, GiB, TiB; KB, MB, GB, TB). */
  public long bytes(String key, long defaultValue, long min) {
    String text = string(key, null);
    if (text == null) {
      return defaultValue;
    }
    Matcher matcher = SIZE.matcher(text.trim());
    String expected = "a size in bytes, e.g. 134217728 or 128MiB, of at least " + min;
    if (!matcher.matches()) {
      throw invalid(key, text, expected);
    }
    long number;
    try {
      number = Long.parseLong(matcher.group(1));
    } catch (NumberFormatException e) {
      throw invalid(key, text, expected);
    }
    String unit = matcher.group(2) == null ? "b" : matcher.group(2).toLowerCase(Locale.ROOT);
    long factor =
        switch (unit) {
          case "b" -> 1L;
          case "k", "kib" -> 1L << 10;
          case "m", "mib" -> 1L << 20;
          case "g", "gib" -> 1L << 30;
          case "t", "tib" -> 1L << 40;
          case "kb" -> 1_000L;
          case "mb" -> 1_000_000L;
          case "gb" -> 1_000_000_000L;
          default -> 1_000_000_000_000L;
        };
    if (number > Long.MAX_VALUE / factor || number * factor < min) {
      throw invalid(key, text, expected);
    }
    return number * factor;
  }

  public boolean bool(String key, boolean defaultValue) {
    String text = string(key, null);
    if (text == null) {
      return defaultValue;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw invalid(key, text, "true or false");
    };
  }

  /** One of a fixed set of words, parsed by a function that throws IllegalArgumentException. */
  public <T> T choice(String key, T defaultValue, Function<String, T> parse, String expected) {
    String text = string(key, null);
    if (text == null) {
      return defaultValue;
    }
    try {
      return parse.apply(text.trim());
    } catch (IllegalArgumentException e) {
      throw invalid(key, text, expected);
    }
  }

  /** A list of strings; a single value counts as a list of one. */
  public List<String> stringList(String key) {
    Object value = values.get(key);
    if (value == null) {
      return List.of();
    }
    List<String> items = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        Object item = list.get(i);
        if (item == null || item instanceof Map || item instanceof List) {
          throw invalid(key + "[" + i + "]", item, "a single value");
        }
        items.add(interpolate(key + "[" + i + "]", String.valueOf(item)));
      }
    } else if (value instanceof Map) {
      throw invalid(key, value, "a list of values");
    } else {
      items.add(interpolate(key, String.valueOf(value)));
    }
    return items;
  }

  /** A mapping of names to text values, passed on unchecked (e.g. Iceberg properties). */
  public Map<String, String> stringMap(String key) {
    ConfigNode child = child(key);
    Map<String, String> map = new LinkedHashMap<>();
    for (String name : child.keys()) {
      String value = child.string(name, null);
      if (value != null) {
        map.put(name, value);
      }
    }
    return map;
  }

  /** A text that may be absent (null) but never empty, e.g. a URI. */
  public String nonEmptyString(String key, String expected) {
    return nonEmpty(key, string(key, null), expected);
  }

  /** A path, resolved against the config file's folder when relative; URIs are kept. */
  public String location(String key, String defaultValue) {
    String text = nonEmpty(key, string(key, defaultValue), "a folder or a URI");
    return text == null ? null : context.resolve(text);
  }

  /** A local path, resolved against the config file's folder when relative. */
  public Path path(String key, String defaultValue) {
    String text = nonEmpty(key, string(key, defaultValue), "a local folder");
    if (text == null) {
      return null;
    }
    if (text.contains("://")) {
      throw invalid(key, text, "a local folder");
    }
    return context.baseDirectory().resolve(text).toAbsolutePath().normalize();
  }

  /**
   * An empty location would silently resolve to the config's own folder (typically from {@code
   * ${X:-}} with X unset): it is an error, never a default.
   */
  private String nonEmpty(String key, String text, String expected) {
    if (text != null && text.isBlank()) {
      String written = String.valueOf(values.get(key));
      throw context.error(
          "Invalid config value at "
              + pathOf(key)
              + ": empty"
              + (written.contains("${") ? " (" + written + " gave an empty text)" : "")
              + " (expected "
              + expected
              + "; leave the key out for the default)");
    }
    return text;
  }

  /**
   * An error for a bad value: path, value, expectation. A value that came from {@code ${NAME}} is
   * shown as written in the file, never as interpolated: the variable may hold a secret.
   */
  public ConfigException invalid(String key, Object value, String expected) {
    Object written = written(key);
    return context.error(
        "Invalid config value at "
            + pathOf(key)
            + ": "
            + describe(written instanceof String text && text.contains("${") ? written : value)
            + " (expected "
            + expected
            + ")");
  }

  /** The value of a key, or of an item {@code key[i]} of a list, as the file has it. */
  private Object written(String key) {
    Matcher item = ITEM.matcher(key);
    if (item.matches() && values.get(item.group(1)) instanceof List<?> list) {
      int index = Integer.parseInt(item.group(2));
      return index < list.size() ? list.get(index) : null;
    }
    return values.get(key);
  }

  private static String describe(Object value) {
    if (value instanceof Map) {
      return "a mapping";
    }
    if (value instanceof List) {
      return "a list";
    }
    return "\"" + value + "\"";
  }

  private String interpolate(String key, String text) {
    if (text.indexOf("${") < 0) {
      return text;
    }
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String value = context.environment().get(name);
      if (value == null) {
        value = matcher.group(3);
      }
      if (value == null) {
        throw context.error(
            "Invalid config value at "
                + pathOf(key)
                + ": environment variable "
                + name
                + " is not set (expected it set, or a default as ${"
                + name
                + ":-value})");
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  /** The valid key nearest to a mistyped one, when near enough to be a likely typo. */
  static String nearest(String key, Collection<String> valid) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : valid) {
      int distance = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        bestDistance = distance;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
