package dev.lake.core.write;

import dev.lake.core.model.LakeRow;
import dev.lake.core.table.TableDefinition;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.util.PropertyUtil;

/** What writing files for one table needs: the table, its definition, naming of new files. */
final class TableContext<R extends LakeRow> {
  /**
   * Row groups of streaming files are written out at this size, so that hundreds of open files hold
   * bounded memory; compaction writes the table's full-size row groups.
   */
  static final long STREAMING_ROW_GROUP_BYTES = 8L << 20;

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final TableDefinition<R> definition;
  private final Table table;
  private final String writerTag;
  private final AtomicLong fileCounter;
  private final long targetFileBytes;
  private final String extension;
  private final ParquetLayout<R> layout;

  TableContext(TableDefinition<R> definition, Table table, String writerTag, AtomicLong counter) {
    this.definition = definition;
    this.table = table;
    this.writerTag = writerTag;
    this.fileCounter = counter;
    this.targetFileBytes =
        PropertyUtil.propertyAsLong(
            table.properties(),
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    String codec =
        table
            .properties()
            .getOrDefault(
                TableProperties.PARQUET_COMPRESSION, TableProperties.PARQUET_COMPRESSION_DEFAULT)
            .toLowerCase(Locale.ROOT);
    this.extension = "uncompressed".equals(codec) ? ".parquet" : "." + codec + ".parquet";
    // fails early, with the table named, when the table cannot take lake's rows
    new RowStruct<>(definition, table.schema(), table.name());
    this.layout =
        ParquetLayout.supports(definition, table.schema())
            ? new ParquetLayout<>(definition, table, STREAMING_ROW_GROUP_BYTES, false)
            : null;
  }

  /** How flat tables' files are written; null for tables with nested columns. */
  ParquetLayout<R> layout() {
    return layout;
  }

  TableDefinition<R> definition() {
    return definition;
  }

  Table table() {
    return table;
  }

  Schema schema() {
    return table.schema();
  }

  PartitionSpec spec() {
    return table.spec();
  }

  long targetFileBytes() {
    return targetFileBytes;
  }

  RowStruct<R> newStruct() {
    return new RowStruct<>(definition, table.schema(), table.name());
  }

  /**
   * A unique file name: time, writer, the writer's opening (random), sequence, e.g. {@code
   * part-20250805T130000-1a2b3c4d-9f8e7d6c-00042.snappy.parquet}.
   */
  String newFileName() {
    return String.format(
        "part-%s-%s-%05d%s",
        FILE_TIME.format(java.time.Instant.now()),
        writerTag,
        fileCounter.incrementAndGet(),
        extension);
  }
}
