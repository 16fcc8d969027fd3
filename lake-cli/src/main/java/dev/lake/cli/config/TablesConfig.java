package dev.lake.cli.config;

import dev.lake.core.table.LakeTables;
import dev.lake.core.table.PartitionGranularity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code tables} block: how tables are created.
 *
 * @param compression Parquet codec
 * @param targetFileSizeBytes target data file size
 * @param granularity per table, the time partitioning chosen (tables not listed keep lake's
 *     default)
 */
public record TablesConfig(
    String compression, long targetFileSizeBytes, Map<String, PartitionGranularity> granularity) {

  public TablesConfig {
    granularity = Map.copyOf(granularity);
  }

  static TablesConfig parse(ConfigNode tables) {
    List<String> keys = new ArrayList<>(List.of("compression", "target_file_size_bytes"));
    keys.addAll(LakeTables.names());
    tables.allowOnly(keys);
    Map<String, PartitionGranularity> granularity = new TreeMap<>();
    for (String table : LakeTables.names()) {
      ConfigNode node = tables.child(table);
      node.allowOnly("partition");
      if (node.has("partition")) {
        granularity.put(
            table, node.choice("partition", null, PartitionGranularity::fromText, "hour or day"));
      }
    }
    String compression = tables.string("compression", "snappy");
    if (!List.of("snappy", "zstd", "gzip", "lz4", "uncompressed").contains(compression)) {
      throw tables.invalid("compression", compression, "snappy, zstd, gzip, lz4 or uncompressed");
    }
    return new TablesConfig(
        compression, tables.bytes("target_file_size_bytes", 128L << 20, 1L << 20), granularity);
  }
}
