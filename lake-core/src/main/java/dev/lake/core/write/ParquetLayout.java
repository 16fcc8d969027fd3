package dev.lake.core.write;

import dev.lake.core.model.LakeRow;
import dev.lake.core.table.ColumnDefinition;
import dev.lake.core.table.ColumnEncoding;
import dev.lake.core.table.TableDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.delta.DeltaBinaryPackingValuesWriterForInteger;
import org.apache.parquet.column.values.delta.DeltaBinaryPackingValuesWriterForLong;
import org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;

/**
 * How lake writes one flat table's Parquet files, streamed or compacted: the Parquet schema with
 * Iceberg's field ids, the encodings the table definition chooses per column, page and dictionary
 * sizes, codec and metrics settings. Immutable and shared by every file of the table.
 *
 * <p>Iceberg's own writer applies one dictionary setting to every column. Market data wants more
 * than that: sequence ids and timestamps rise steadily and repeat within a message, which delta
 * encoding stores in a few bits and dictionaries store badly; quantities repeat little within a
 * streamed file, so there a dictionary only costs time and memory in each of thousands of open
 * files, but over a book's hour they do, and compacted files give them one; symbols, sides and
 * prices repeat and stay dictionary-encoded. Every encoding used is in the Parquet format since 2.0
 * and read by Athena, Trino, Spark and DuckDB.
 */
final class ParquetLayout<R extends LakeRow> {
  /** Pages are small because hundreds of files stream at once, each holding one page per column. */
  static final int PAGE_BYTES = 64 * 1024;

  static final int DICTIONARY_BYTES = 64 * 1024;

  /**
   * Dictionary-encoded columns keep 4 bytes per row until their page is written; the row limit
   * bounds that for columns whose pages would otherwise take 16,384 rows to fill.
   */
  static final int PAGE_ROWS = 8192;

  /**
   * Compacted files are written one at a time, so their pages and dictionaries can be as large as
   * Iceberg's own writer makes them: a busy book's hour of prices fits one dictionary, and fewer,
   * larger pages compress better (measured on a 2,500-book run's hour: 8.14 bytes a row compacted
   * with streaming's sizes, 7.85 with these, 7.07 with quantities' dictionary as well).
   */
  static final int COMPACTED_PAGE_BYTES = 1024 * 1024;

  static final int COMPACTED_DICTIONARY_BYTES = 1024 * 1024;

  static final int COMPACTED_PAGE_ROWS = 20_000;

  private final Schema schema;
  private final MessageType type;
  private final ParquetProperties properties;
  private final CompressionCodecName codec;
  private final MetricsConfig metricsConfig;
  private final Map<String, String> metadata;
  private final long rowGroupBytes;
  private final List<ColumnDefinition<R>> columns;

  /** True when every column of the table is a primitive lake reads with a typed accessor. */
  static boolean supports(TableDefinition<?> definition, Schema tableSchema) {
    for (Types.NestedField field : tableSchema.columns()) {
      ColumnDefinition<?> column = find(definition, field.name());
      if (!field.type().isPrimitiveType()
          || column == null
          || column.accessor() instanceof ColumnDefinition.AnyValue) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param maxRowGroupBytes the most bytes a row group buffers
   * @param compacted true for files written whole, one at a time (compaction), false for files
   *     streamed by the thousand. Compacted files get {@link #COMPACTED_PAGE_BYTES large pages and
   *     dictionaries}, dictionaries for {@link ColumnEncoding#DICTIONARY_WHEN_COMPACTED} columns,
   *     and the table schema as JSON in their key-value metadata ({@code iceberg.schema}), as
   *     Iceberg's own writer does. Streamed files leave that out: Iceberg and the engines never
   *     read it (field ids are in the Parquet schema), and at about 1.5 KB it was a third of a
   *     small streamed file's footer (a whole venue commits 2,500 files a minute, most of a few
   *     hundred rows, where it cost half a byte a row)
   */
  ParquetLayout(
      TableDefinition<R> definition, Table table, long maxRowGroupBytes, boolean compacted) {
    this.schema = table.schema();
    this.type = ParquetSchemaUtil.convert(schema, "table");
    Map<String, ColumnEncoding> encodings = new HashMap<>();
    this.columns =
        schema.columns().stream()
            .map(field -> ParquetLayout.<R>find(definition, field.name()))
            .toList();
    ParquetProperties.Builder builder =
        ParquetProperties.builder()
            .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
            .withPageSize(compacted ? COMPACTED_PAGE_BYTES : PAGE_BYTES)
            .withDictionaryPageSize(compacted ? COMPACTED_DICTIONARY_BYTES : DICTIONARY_BYTES)
            .withPageRowCountLimit(compacted ? COMPACTED_PAGE_ROWS : PAGE_ROWS)
            .withDictionaryEncoding(true)
            // parquet-java 1.15+ keeps, per value of every column, a histogram of definition
            // levels and the bytes of text values for the footer's size statistics, which no
            // engine lake targets reads; off, a value costs one call less and a file 45 bytes less
            .withSizeStatisticsEnabled(false);
    for (ColumnDefinition<R> column : columns) {
      ColumnEncoding encoding = column.encoding();
      encodings.put(column.name(), encoding);
      boolean dictionary =
          encoding == ColumnEncoding.DICTIONARY
              || (compacted && encoding == ColumnEncoding.DICTIONARY_WHEN_COMPACTED);
      if (!dictionary) {
        builder.withDictionaryEncoding(column.name(), false);
      }
    }
    this.properties = builder.withValuesWriterFactory(new Factory(encodings)).build();
    this.codec =
        CompressionCodecName.fromConf(
            table
                .properties()
                .getOrDefault(
                    TableProperties.PARQUET_COMPRESSION,
                    TableProperties.PARQUET_COMPRESSION_DEFAULT)
                .toUpperCase(Locale.ROOT));
    this.metricsConfig = MetricsConfig.forTable(table);
    this.metadata = compacted ? Map.of("iceberg.schema", SchemaParser.toJson(schema)) : Map.of();
    this.rowGroupBytes =
        Math.min(
            maxRowGroupBytes,
            PropertyUtil.propertyAsLong(
                table.properties(),
                TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
                TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES_DEFAULT));
  }

  private static <R> ColumnDefinition<R> find(TableDefinition<?> definition, String name) {
    for (ColumnDefinition<?> column : definition.columns()) {
      if (column.name().equals(name)) {
        @SuppressWarnings("unchecked")
        ColumnDefinition<R> typed = (ColumnDefinition<R>) column;
        return typed;
      }
    }
    return null;
  }

  Schema schema() {
    return schema;
  }

  MessageType type() {
    return type;
  }

  ParquetProperties properties() {
    return properties;
  }

  CompressionCodecName codec() {
    return codec;
  }

  MetricsConfig metricsConfig() {
    return metricsConfig;
  }

  Map<String, String> metadata() {
    return metadata;
  }

  /** Buffered bytes at which a file writes out its row group, freeing the memory. */
  long rowGroupBytes() {
    return rowGroupBytes;
  }

  /** The table's columns in schema order, each with its accessor. */
  List<ColumnDefinition<R>> columns() {
    return columns;
  }

  /** Column descriptor of the i-th top-level column. */
  ColumnDescriptor descriptor(int i) {
    return type.getColumnDescription(new String[] {type.getFields().get(i).getName()});
  }

  /**
   * Delta encoding for the columns that ask for it; dictionaries with plain fallback as
   * parquet-java's version 1 defaults write them (lake's own for text, see {@link
   * DictionaryWriters}), or plain where dictionaries are off.
   */
  private static final class Factory implements ValuesWriterFactory {
    private final Map<String, ColumnEncoding> encodings;
    // parquet-java's DefaultValuesWriterFactory initializes one JVM-wide V1 factory with the
    // properties of whichever writer came last; an instance of our own keeps ours
    private final DefaultV1ValuesWriterFactory defaults = new DefaultV1ValuesWriterFactory();
    private ParquetProperties properties;

    Factory(Map<String, ColumnEncoding> encodings) {
      this.encodings = encodings;
    }

    @Override
    public void initialize(ParquetProperties parquetProperties) {
      this.properties = parquetProperties;
      defaults.initialize(parquetProperties);
    }

    @Override
    public ValuesWriter newValuesWriter(ColumnDescriptor descriptor) {
      ColumnEncoding encoding = encodings.get(descriptor.getPath()[0]);
      PrimitiveType.PrimitiveTypeName primitive =
          descriptor.getPrimitiveType().getPrimitiveTypeName();
      if (encoding == ColumnEncoding.DELTA) {
        if (primitive == PrimitiveType.PrimitiveTypeName.INT64) {
          return new DeltaBinaryPackingValuesWriterForLong(
              properties.getInitialSlabSize(),
              properties.getPageSizeThreshold(),
              properties.getAllocator());
        }
        if (primitive == PrimitiveType.PrimitiveTypeName.INT32) {
          return new DeltaBinaryPackingValuesWriterForInteger(
              properties.getInitialSlabSize(),
              properties.getPageSizeThreshold(),
              properties.getAllocator());
        }
      }
      if (encoding == ColumnEncoding.DICTIONARY
          && properties.isDictionaryEnabled(descriptor)
          && primitive == PrimitiveType.PrimitiveTypeName.BINARY) {
        return textDictionaryWithFallback();
      }
      return defaults.newValuesWriter(descriptor);
    }

    /**
     * As parquet-java's version 1 factory makes it (dictionary, plain when the dictionary fills),
     * with lake's faster text dictionary; the bytes written are the same.
     */
    private ValuesWriter textDictionaryWithFallback() {
      ByteBufferAllocator allocator = properties.getAllocator();
      return FallbackValuesWriter.of(
          new DictionaryWriters.Texts(
              properties.getDictionaryPageSizeThreshold(),
              Encoding.PLAIN_DICTIONARY,
              Encoding.PLAIN_DICTIONARY,
              allocator),
          new PlainValuesWriter(
              properties.getInitialSlabSize(), properties.getPageSizeThreshold(), allocator));
    }
  }
}
