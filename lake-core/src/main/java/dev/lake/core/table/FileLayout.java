package dev.lake.core.table;

import java.util.Locale;

/** Where data files go: lake's Hive-style layout, or Iceberg's own. */
public enum FileLayout {
  /**
   * {@code <data root>/exchange=../market_type=../data_type=<table>/symbol=../year=../month=../
   * day=../hour=../part-<unique>.snappy.parquet}, through {@link
   * dev.lake.core.layout.LakeLocationProvider}.
   */
  SEED,
  /** Iceberg's default: {@code <table location>/data/<partition path>/<file>}. */
  ICEBERG;

  /** The config text: {@code seed} or {@code iceberg}. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code seed} or {@code iceberg}.
   *
   * @throws IllegalArgumentException naming the value and what is accepted
   */
  public static FileLayout fromText(String text) {
    for (FileLayout value : values()) {
      if (value.text().equals(text)) {
        return value;
      }
    }
    throw new IllegalArgumentException("Invalid layout: " + text + " (expected seed or iceberg)");
  }
}
