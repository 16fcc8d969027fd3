package dev.lake.cli.config;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.CatalogType;
import dev.lake.core.table.FileLayout;
import dev.lake.core.write.WalFullPolicy;
import dev.lake.core.write.WriterOptions;
import dev.lake.exchanges.Venues;
import dev.lake.kafka.KafkaOutput;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code sink} block: where and how rows are committed.
 *
 * @param catalog the catalog (type, uri, warehouse, properties)
 * @param dataRoot root of the seed layout, or null for the namespace's location
 * @param dataRoots roots of the seed layout per exchange or {@code exchange.market}, overriding
 *     {@code dataRoot} for their partitions; null when the config has no {@code data_roots} (the
 *     tables keep the roots they have)
 * @param layout seed or iceberg
 * @param namespace the tables' namespace
 * @param commitIntervalMs time between commits
 * @param bufferMaxBytes bytes open data files may hold before an early commit
 * @param walDirectory the write-ahead log folder
 * @param walFsyncMs time between forcing the log to disk (0: every append)
 * @param walMaxBytes the log's disk budget
 * @param walFull what happens past the budget
 * @param shutdownTimeoutMs how long a stop waits for the last commit before leaving rows to the log
 * @param commitJitterMs the most a commit waits, a random time, to spread the commits of processes
 *     sharing the tables; null for the default ({@link LakeConfig#commitJitterMs()})
 * @param kafka where rows also go in Kafka ({@code sink.kafka}), or null for no Kafka output
 */
public record SinkConfig(
    CatalogSettings catalog,
    String dataRoot,
    Map<String, String> dataRoots,
    FileLayout layout,
    String namespace,
    long commitIntervalMs,
    long bufferMaxBytes,
    Path walDirectory,
    long walFsyncMs,
    long walMaxBytes,
    WalFullPolicy walFull,
    long shutdownTimeoutMs,
    Long commitJitterMs,
    KafkaOutput kafka) {

  static final List<String> KEYS =
      List.of(
          "warehouse",
          "data_root",
          "data_roots",
          "layout",
          "namespace",
          "catalog",
          "commit_interval_ms",
          "buffer_max_bytes",
          "wal_dir",
          "wal_fsync_ms",
          "wal_max_bytes",
          "wal_full",
          "shutdown_timeout_ms",
          "commit_jitter_ms",
          "kafka");

  static final List<String> KAFKA_KEYS = List.of("bootstrap_servers", "topic_prefix", "properties");

  /** The writer's defaults, declared once in lake-core. */
  private static final WriterOptions DEFAULTS = WriterOptions.defaults();

  static final List<String> CATALOG_KEYS = List.of("type", "uri", "name", "properties");

  static SinkConfig parse(ConfigNode sink) {
    sink.allowOnly(KEYS);
    ConfigNode catalogNode = sink.child("catalog");
    catalogNode.allowOnly(CATALOG_KEYS);
    CatalogType type =
        catalogNode.choice("type", CatalogType.JDBC, CatalogType::fromText, "jdbc, rest or glue");
    String warehouse = sink.location("warehouse", type == CatalogType.JDBC ? "./warehouse" : null);
    String uri = catalogNode.nonEmptyString("uri", "a JDBC URL or the REST catalog's URL");
    if (type == CatalogType.REST && uri == null) {
      throw sink.context()
          .error("Missing config value at sink.catalog.uri (expected the REST catalog's URL)");
    }
    if (type == CatalogType.GLUE && warehouse == null) {
      throw sink.context()
          .error("Missing config value at sink.warehouse (expected s3://bucket/prefix for glue)");
    }
    Map<String, String> properties = catalogNode.stringMap("properties");
    long commitIntervalMs =
        sink.longValue(
            "commit_interval_ms",
            DEFAULTS.commitInterval().toMillis(),
            100,
            86_400_000,
            "milliseconds");
    CatalogSettings catalog =
        new CatalogSettings(type, uri, warehouse, catalogNode.string("name", null), properties);
    String dataRoot = sink.location("data_root", null);
    FileLayout layout =
        sink.choice("layout", FileLayout.SEED, FileLayout::fromText, "seed or iceberg");
    return new SinkConfig(
        catalog,
        dataRoot,
        dataRoots(sink, layout, warehouse != null ? warehouse : dataRoot),
        layout,
        sink.string("namespace", "crypto"),
        commitIntervalMs,
        sink.bytes("buffer_max_bytes", DEFAULTS.bufferMaxBytes(), WriterOptions.MIN_BUFFER_BYTES),
        sink.path("wal_dir", "./wal"),
        sink.longValue(
            "wal_fsync_ms", DEFAULTS.walFsyncInterval().toMillis(), 0, 60_000, "milliseconds"),
        sink.bytes("wal_max_bytes", DEFAULTS.walMaxBytes(), WriterOptions.MIN_BUFFER_BYTES),
        sink.choice(
            "wal_full",
            DEFAULTS.walFullPolicy(),
            text ->
                switch (text) {
                  case "backpressure" -> WalFullPolicy.BACKPRESSURE;
                  case "drop" -> WalFullPolicy.DROP;
                  default -> throw new IllegalArgumentException(text);
                },
            "backpressure or drop"),
        sink.longValue(
            "shutdown_timeout_ms",
            DEFAULTS.shutdownTimeout().toMillis(),
            0,
            86_400_000,
            "milliseconds"),
        sink.has("commit_jitter_ms")
            ? sink.longValue(
                "commit_jitter_ms",
                0,
                0,
                commitIntervalMs,
                "milliseconds, at most commit_interval_ms")
            : null,
        parseKafka(sink));
  }

  /**
   * {@code sink.data_roots}: keys are venues or {@code venue.market}; every root must be read and
   * written by the FileIO of the warehouse, which serves every table's files.
   */
  private static Map<String, String> dataRoots(
      ConfigNode sink, FileLayout layout, String reference) {
    if (!sink.has("data_roots")) {
      return null;
    }
    ConfigNode roots = sink.child("data_roots");
    if (layout != FileLayout.SEED && !roots.keys().isEmpty()) {
      throw sink.invalid(
          "layout", layout.text(), "seed: sink.data_roots places files in lake's layout");
    }
    Map<String, String> result = new TreeMap<>();
    for (String key : roots.keys()) {
      if (!isRootKey(key)) {
        throw sink.context()
            .error(
                "Unknown config key "
                    + roots.pathOf(key)
                    + " (expected an exchange: "
                    + String.join(", ", Venues.names())
                    + "; or an exchange and its market, e.g. binance.future)");
      }
      String root = roots.location(key, null);
      if (reference != null && !storage(root).equals(storage(reference))) {
        throw roots.invalid(
            key,
            root,
            storageName(reference)
                + " like "
                + reference
                + ": every data file goes through the warehouse's FileIO");
      }
      result.put(key, root);
    }
    return result;
  }

  private static boolean isRootKey(String key) {
    int dot = key.indexOf('.');
    String venue = dot < 0 ? key : key.substring(0, dot);
    String market = dot < 0 ? null : key.substring(dot + 1);
    return Venues.names().contains(venue)
        && (market == null || market.equals("spot") || market.equals("future"));
  }

  /** The kind of storage a location is on: its scheme, {@code s3} for s3a/s3n, local paths file. */
  private static String storage(String location) {
    int colon = location.indexOf("://");
    if (colon < 0) {
      return "file";
    }
    String scheme = location.substring(0, colon).toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "s3a", "s3n" -> "s3";
      default -> scheme;
    };
  }

  private static String storageName(String location) {
    String storage = storage(location);
    return storage.equals("file") ? "a local folder" : "a location on " + storage + "://";
  }

  /** The {@code sink.kafka} block, or null without one. */
  private static KafkaOutput parseKafka(ConfigNode sink) {
    if (!sink.has("kafka")) {
      return null;
    }
    ConfigNode kafka = sink.child("kafka");
    kafka.allowOnly(KAFKA_KEYS);
    String servers = kafka.requiredString("bootstrap_servers", "host:port[,host:port...]");
    String prefix = kafka.string("topic_prefix", KafkaOutput.DEFAULT_TOPIC_PREFIX);
    Map<String, String> properties = kafka.stringMap("properties");
    for (String key : properties.keySet()) {
      if (KafkaOutput.RESERVED_PROPERTIES.contains(key)) {
        throw sink.context()
            .error(
                "Invalid config at "
                    + kafka.pathOf("properties")
                    + "."
                    + key
                    + ": lake sets it for exactly-once delivery (expected none of "
                    + String.join(", ", KafkaOutput.RESERVED_PROPERTIES)
                    + ")");
      }
    }
    return new KafkaOutput(servers, prefix, properties);
  }
}
