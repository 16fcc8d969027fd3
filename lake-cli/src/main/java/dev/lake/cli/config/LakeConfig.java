package dev.lake.cli.config;

import static java.util.Objects.requireNonNull;

import dev.lake.core.table.TableOptions;
import dev.lake.core.write.LakeWriter;
import dev.lake.exchanges.Shard;
import dev.lake.kafka.KafkaSink;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A whole lake configuration: where the tables live ({@code sink}), how they are made ({@code
 * tables}), what is collected ({@code source}) and how {@code lake ingest} is watched ({@code
 * metrics}).
 *
 * @param file the config file, or null for the embedded defaults
 * @param sink the sink block
 * @param tables the tables block
 * @param source the source block, already narrowed to this process's shard
 * @param shard this process's share of the books ({@code shard: {index, of}}), or null when it
 *     collects everything its source block lists
 * @param metrics the metrics block
 */
public record LakeConfig(
    Path file,
    SinkConfig sink,
    TablesConfig tables,
    SourceConfig source,
    Shard shard,
    MetricsConfig metrics) {
  public LakeConfig {
    requireNonNull(sink, "sink is null");
    requireNonNull(tables, "tables is null");
    requireNonNull(source, "source is null");
    requireNonNull(metrics, "metrics is null");
  }

  /** A configuration without a shard block and with metrics off. */
  public LakeConfig(Path file, SinkConfig sink, TablesConfig tables, SourceConfig source) {
    this(file, sink, tables, source, null, MetricsConfig.OFF);
  }

  /**
   * Checks that the configuration collects something, as {@code lake ingest} needs; {@code lake
   * config validate} applies the same check so that a file it accepts is one ingest accepts.
   *
   * @throws ConfigException when no feed is enabled
   */
  public void requireFeeds() {
    if (source.enabledFeeds() == 0) {
      throw new ConfigException(
          "Invalid config"
              + (file == null ? "" : " " + file)
              + ": nothing to collect"
              + (shard == null
                  ? ""
                  : " in " + shard + " (none of the listed symbols falls to this shard)")
              + " (expected source.<exchange>.<market> feeds, see"
              + " examples/config.yml; lake tables, compact and maintain need no source)");
    }
  }

  /** The table options the tables are created with. */
  public TableOptions tableOptions() {
    TableOptions.Builder options =
        TableOptions.builder()
            .namespace(sink.namespace())
            .layout(sink.layout())
            .dataRoot(sink.dataRoot())
            .dataRoots(sink.dataRoots())
            .compression(tables.compression())
            .targetFileSizeBytes(tables.targetFileSizeBytes());
    tables.granularity().forEach(options::granularity);
    return options.build();
  }

  /** A writer builder with the sink's commit and log settings, and its Kafka output if any. */
  public LakeWriter.Builder writer(org.apache.iceberg.catalog.Catalog catalog) {
    LakeWriter.Builder builder = LakeWriter.builder(catalog);
    if (sink.kafka() != null) {
      builder.logFollower(new KafkaSink(sink.kafka()));
    }
    return builder
        .tableOptions(tableOptions())
        .writeAheadLog(sink.walDirectory())
        .commitInterval(Duration.ofMillis(sink.commitIntervalMs()))
        .bufferMaxBytes(sink.bufferMaxBytes())
        .walFsyncInterval(Duration.ofMillis(sink.walFsyncMs()))
        .walMaxBytes(sink.walMaxBytes())
        .walFullPolicy(sink.walFull())
        .shutdownTimeout(Duration.ofMillis(sink.shutdownTimeoutMs()))
        .commitJitter(Duration.ofMillis(commitJitterMs()));
  }

  /**
   * The most a commit waits, a random time, before it starts: {@code sink.commit_jitter_ms}; by
   * default a tenth of the commit interval (at most 10 s) with a shard block, where several
   * processes commit to the same tables, and zero without.
   */
  public long commitJitterMs() {
    if (sink.commitJitterMs() != null) {
      return sink.commitJitterMs();
    }
    return shard == null ? 0 : Math.min(sink.commitIntervalMs() / 10, 10_000);
  }
}
