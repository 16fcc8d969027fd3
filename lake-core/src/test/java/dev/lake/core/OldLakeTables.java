package dev.lake.core;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import dev.lake.core.model.StreamEvent;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.PartitionGranularity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/** Tables as an older lake made them, for upgrade tests. */
public final class OldLakeTables {
  /** {@code stream_events} before its column {@code data_type} (field 3) became {@code feed}. */
  public static final Schema STREAM_EVENTS_WITH_DATA_TYPE =
      new Schema(
          required(1, "exchange", Types.StringType.get()),
          required(2, "market_type", Types.StringType.get()),
          required(3, "data_type", Types.StringType.get()),
          optional(4, "symbol", Types.StringType.get()),
          required(5, "event", Types.StringType.get()),
          optional(6, "detail", Types.StringType.get()),
          optional(7, "from_update_id", Types.LongType.get()),
          optional(8, "to_update_id", Types.LongType.get()),
          required(9, "timestamp", Types.TimestampType.withZone()),
          required(10, "local_timestamp", Types.TimestampType.withZone()));

  private OldLakeTables() {}

  /**
   * Creates {@code crypto.stream_events} with the old schema and commits the events to it in one
   * data file; the events must share one partition (exchange, market type, day).
   */
  public static Table streamEventsWithDataType(Catalog catalog, List<StreamEvent> events) {
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(Namespace.of("crypto"))) {
      namespaces.createNamespace(Namespace.of("crypto"));
    }
    Schema schema = STREAM_EVENTS_WITH_DATA_TYPE;
    PartitionSpec spec = LakeTables.STREAM_EVENTS.partitionSpec(schema, PartitionGranularity.DAY);
    Table table =
        catalog
            .buildTable(TableIdentifier.of("crypto", StreamEvent.TABLE), schema)
            .withPartitionSpec(spec)
            .withSortOrder(LakeTables.STREAM_EVENTS.sortOrder(schema))
            .withProperty("format-version", "2")
            .create();
    if (events.isEmpty()) {
      return table;
    }
    List<Record> records = events.stream().map(OldLakeTables::record).toList();
    PartitionKey partition = new PartitionKey(spec, schema);
    partition.partition(new InternalRecordWrapper(schema.asStruct()).wrap(records.get(0)));
    String location =
        table.locationProvider().newDataLocation(spec, partition, "written-by-old-lake.parquet");
    DataWriter<Record> writer;
    try {
      writer =
          Parquet.writeData(table.io().newOutputFile(location))
              .forTable(table)
              .withSpec(spec)
              .withPartition(partition)
              .createWriterFunc(GenericParquetWriter::create)
              .overwrite()
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (writer) {
      records.forEach(writer::write);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    table.newAppend().appendFile(writer.toDataFile()).commit();
    return table;
  }

  private static Record record(StreamEvent event) {
    GenericRecord record = GenericRecord.create(STREAM_EVENTS_WITH_DATA_TYPE);
    record.setField("exchange", event.exchange());
    record.setField("market_type", event.marketType());
    record.setField("data_type", event.dataType());
    record.setField("symbol", event.symbol());
    record.setField("event", event.event().text());
    record.setField("detail", event.detail());
    record.setField("from_update_id", event.fromUpdateId());
    record.setField("to_update_id", event.toUpdateId());
    record.setField("timestamp", time(event.timestampMicros()));
    record.setField("local_timestamp", time(event.localTimestampMicros()));
    return record;
  }

  private static OffsetDateTime time(long micros) {
    return Instant.EPOCH.plusNanos(micros * 1000).atOffset(ZoneOffset.UTC);
  }
}
