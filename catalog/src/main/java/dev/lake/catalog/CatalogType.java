package dev.lake.catalog;

import java.util.Locale;

/** The kinds of Iceberg catalog lake commits through. */
public enum CatalogType {
  /** Iceberg's JDBC catalog; by default on a SQLite file in the warehouse folder (no set-up). */
  JDBC,
  /** Any Iceberg REST catalog. */
  REST,
  /** AWS Glue, through iceberg-aws's GlueCatalog. */
  GLUE;

  /** The config text: {@code jdbc}, {@code rest} or {@code glue}. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the config text.
   *
   * @throws IllegalArgumentException naming the value and what is accepted
   */
  public static CatalogType fromText(String text) {
    for (CatalogType type : values()) {
      if (type.text().equals(text)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "Invalid catalog type: " + text + " (expected jdbc, rest or glue)");
  }
}
