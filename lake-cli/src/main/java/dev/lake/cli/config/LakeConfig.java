package dev.lake.cli.config;

import static java.util.Objects.requireNonNull;

import dev.lake.core.table.TableOptions;
import dev.lake.core.write.LakeWriter;
import dev.lake.kafka.KafkaSink;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A whole lake configuration: where the tables live ({@code sink}), how they are made ({@code
 * tables}) and what is collected ({@code source}).
 *
 * @param file the config file, or null for the embedded defaults
 * @param sink the sink block
 * @param tables the tables block
 * @param source the source block
 */
public record LakeConfig(Path file, SinkConfig sink, TablesConfig tables, SourceConfig source) {
  public LakeConfig {
    requireNonNull(sink, "sink is null");
    requireNonNull(tables, "tables is null");
    requireNonNull(source, "source is null");
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
              + ": nothing to collect (expected source.<exchange>.<market> feeds, see"
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
        .shutdownTimeout(Duration.ofMillis(sink.shutdownTimeoutMs()));
  }
}
