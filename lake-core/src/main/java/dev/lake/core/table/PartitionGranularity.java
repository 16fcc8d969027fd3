package dev.lake.core.table;

import java.util.Locale;

/** How finely a table is partitioned by time: one partition per hour or per day. */
public enum PartitionGranularity {
  HOUR,
  DAY;

  /** The config text: {@code hour} or {@code day}. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code hour} or {@code day}.
   *
   * @throws IllegalArgumentException naming the value and what is accepted
   */
  public static PartitionGranularity fromText(String text) {
    for (PartitionGranularity value : values()) {
      if (value.text().equals(text)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        "Invalid partition granularity: " + text + " (expected hour or day)");
  }
}
