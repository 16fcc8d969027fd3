package dev.lake.core.table;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.catalog.Namespace;

/**
 * How lake's tables are created: namespace, file layout, compression, target file size and time
 * granularity per table. These settings apply when a table is created; an existing table keeps its
 * own (its properties and partition spec say what they are), except the per-exchange data roots,
 * which {@link TableManager#ensureTables} brings in line with {@link #dataRoots()} when they are
 * given.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder()}; {@link #defaults()} gives namespace
 * {@code crypto}, the seed layout, snappy and 128 MiB files.
 */
public final class TableOptions {
  /** Default namespace. */
  public static final String DEFAULT_NAMESPACE = "crypto";

  /** Default target data file size: 128 MiB. */
  public static final long DEFAULT_TARGET_FILE_SIZE_BYTES = 128L * 1024 * 1024;

  /** Default number of old metadata files kept. */
  public static final int DEFAULT_METADATA_VERSIONS_KEPT = 50;

  private final Namespace namespace;
  private final FileLayout layout;
  private final String dataRoot;
  private final Map<String, String> dataRoots;
  private final String compression;
  private final long targetFileSizeBytes;
  private final int metadataVersionsKept;
  private final Map<String, PartitionGranularity> granularity;

  private TableOptions(Builder builder) {
    this.namespace = builder.namespace;
    this.layout = builder.layout;
    this.dataRoot = builder.dataRoot;
    this.dataRoots = builder.dataRoots == null ? null : Map.copyOf(builder.dataRoots);
    this.compression = builder.compression;
    this.targetFileSizeBytes = builder.targetFileSizeBytes;
    this.metadataVersionsKept = builder.metadataVersionsKept;
    this.granularity = Map.copyOf(builder.granularity);
  }

  public static TableOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Namespace namespace() {
    return namespace;
  }

  public FileLayout layout() {
    return layout;
  }

  /** The data root for the seed layout, or null for the namespace's location. */
  public String dataRoot() {
    return dataRoot;
  }

  /**
   * The data roots of the seed layout per exchange ({@code binance}) or exchange and market ({@code
   * binance.future}), overriding {@link #dataRoot()} for those partitions; null when not managed:
   * existing tables keep the roots they have. An empty map removes every root a table has.
   */
  public Map<String, String> dataRoots() {
    return dataRoots;
  }

  /** Parquet compression codec, e.g. {@code snappy}. */
  public String compression() {
    return compression;
  }

  public long targetFileSizeBytes() {
    return targetFileSizeBytes;
  }

  public int metadataVersionsKept() {
    return metadataVersionsKept;
  }

  /** The time granularity a table is created with. */
  public PartitionGranularity granularity(TableDefinition<?> table) {
    return granularity.getOrDefault(table.name(), table.defaultGranularity());
  }

  /** A builder; every setter rejects invalid values with a message naming them. */
  public static final class Builder {
    private Namespace namespace = Namespace.of(DEFAULT_NAMESPACE);
    private FileLayout layout = FileLayout.SEED;
    private String dataRoot;
    private Map<String, String> dataRoots;
    private String compression = "snappy";
    private long targetFileSizeBytes = DEFAULT_TARGET_FILE_SIZE_BYTES;
    private int metadataVersionsKept = DEFAULT_METADATA_VERSIONS_KEPT;
    private final Map<String, PartitionGranularity> granularity = new HashMap<>();

    private Builder() {}

    public Builder namespace(String value) {
      requireNonNull(value, "namespace is null");
      if (value.isBlank()) {
        throw new IllegalArgumentException("Invalid namespace: empty");
      }
      this.namespace = Namespace.of(value.split("\\."));
      return this;
    }

    public Builder layout(FileLayout value) {
      this.layout = requireNonNull(value, "layout is null");
      return this;
    }

    /** Root of the seed layout; null means the namespace's location. */
    public Builder dataRoot(String value) {
      this.dataRoot = value == null || value.isBlank() ? null : value;
      return this;
    }

    /**
     * Data roots per exchange or {@code exchange.market} (lower case, e.g. {@code binance}, {@code
     * binance.future}); null leaves existing tables' roots as they are.
     *
     * @throws IllegalArgumentException for a key that is not a name or a name and a market, or an
     *     empty root
     */
    public Builder dataRoots(Map<String, String> value) {
      if (value != null) {
        value.forEach(
            (key, root) -> {
              if (!key.matches("[a-z0-9_]+(\\.(spot|future))?")) {
                throw new IllegalArgumentException(
                    "Invalid data root key: "
                        + key
                        + " (expected an exchange, or an exchange and a market, e.g. binance or"
                        + " binance.future)");
              }
              if (root == null || root.isBlank()) {
                throw new IllegalArgumentException(
                    "Invalid data root of " + key + ": empty (expected a folder or a URI)");
              }
            });
      }
      this.dataRoots = value == null ? null : new TreeMap<>(value);
      return this;
    }

    public Builder compression(String value) {
      requireNonNull(value, "compression is null");
      switch (value) {
        case "snappy", "zstd", "gzip", "lz4", "uncompressed" -> this.compression = value;
        default ->
            throw new IllegalArgumentException(
                "Invalid compression: "
                    + value
                    + " (expected snappy, zstd, gzip, lz4 or uncompressed)");
      }
      return this;
    }

    public Builder targetFileSizeBytes(long value) {
      if (value < 1024 * 1024) {
        throw new IllegalArgumentException(
            "Invalid target file size: " + value + " bytes (expected at least 1 MiB)");
      }
      this.targetFileSizeBytes = value;
      return this;
    }

    public Builder metadataVersionsKept(int value) {
      if (value < 1) {
        throw new IllegalArgumentException(
            "Invalid metadata versions kept: " + value + " (expected at least 1)");
      }
      this.metadataVersionsKept = value;
      return this;
    }

    /** Sets a table's time granularity; the table name must be one of lake's. */
    public Builder granularity(String table, PartitionGranularity value) {
      LakeTables.byName(table);
      granularity.put(table, requireNonNull(value, "granularity is null"));
      return this;
    }

    public TableOptions build() {
      return new TableOptions(this);
    }
  }
}
