package dev.lake.core.write;

import dev.lake.core.model.LakeRow;
import dev.lake.core.table.ColumnDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.DoubleFieldMetrics;
import org.apache.iceberg.FieldMetrics;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;

/**
 * One Parquet data file of a flat table, written with parquet-java's column writers directly: each
 * column reads its value from the row with a typed accessor and hands the primitive to its column
 * writer, without boxing and without a generic record in between. Row groups are written out when
 * the buffered bytes reach the layout's row-group size, so an open file holds at most one row group
 * in memory. Not thread-safe.
 */
final class ParquetStream<R extends LakeRow> {
  /**
   * Heap parquet-java keeps per written column chunk until the footer is written (chunk metadata,
   * encoding stats, statistics, size statistics, column and offset index): measured at about 1.2 KB
   * with parquet-java 1.17 on the order book delta table (2,500 files, 12,000 row groups).
   */
  static final long COLUMN_CHUNK_FOOTER_BYTES = 1200;

  private final ParquetLayout<R> layout;
  private final String location;
  private final CompressionCodecFactory.BytesInputCompressor compressor;
  private final Output output;
  private ParquetFileWriter file;
  private final Column<R>[] columns;
  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore store;
  private int rowGroupOrdinal;
  private int rowGroupsWritten;
  private long groupRows;
  private long rows;
  private ParquetMetadata footer;

  @SuppressWarnings("unchecked")
  ParquetStream(
      ParquetLayout<R> layout,
      OutputFile output,
      CompressionCodecFactory.BytesInputCompressor compressor) {
    this.layout = layout;
    this.location = output.location();
    this.compressor = compressor;
    List<ColumnDefinition<R>> definitions = layout.columns();
    this.columns = new Column[definitions.size()];
    for (int i = 0; i < columns.length; i++) {
      ColumnDefinition<R> definition = definitions.get(i);
      columns[i] =
          column(definition.accessor(), layout.descriptor(i), definition.field().fieldId());
    }
    this.output = new Output(output);
    startRowGroup();
  }

  /**
   * Opens the file when its first row group is written: an open output stream holds a buffer, and
   * most files are written in one go when they close.
   */
  private ParquetFileWriter file() throws IOException {
    if (file == null) {
      file =
          new ParquetFileWriter(
              output,
              layout.type(),
              ParquetFileWriter.Mode.OVERWRITE,
              layout.rowGroupBytes(),
              0,
              null,
              layout.properties());
      file.start();
    }
    return file;
  }

  String location() {
    return location;
  }

  long rows() {
    return rows;
  }

  void write(R row) {
    if (store == null) {
      startRowGroup(); // the first row after the file was parked
    }
    for (Column<R> column : columns) {
      column.write(row);
    }
    store.endRecord();
    groupRows++;
    rows++;
  }

  /** Bytes held in memory: encoded pages of the open row group. */
  long bufferedBytes() {
    return store == null ? 0 : store.getBufferedSize();
  }

  /**
   * Heap the row groups already written out keep until the file is finished: parquet-java holds
   * each column chunk's metadata, statistics, column and offset indexes for the footer. A file
   * parked again and again accumulates it, so it counts against the writer's budget.
   */
  long footerBytes() {
    return (long) rowGroupsWritten * columns.length * COLUMN_CHUNK_FOOTER_BYTES;
  }

  /** True when the row group was written out and the column writers let go until the next row. */
  boolean isParked() {
    return store == null;
  }

  /** Bytes written so far plus those buffered: close to the file's size if closed now. */
  long length() {
    try {
      return (file == null ? 0 : file.getPos()) + bufferedBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the position of " + location, e);
    }
  }

  /** Writes the open row group out when it has reached the layout's row-group size. */
  void flushIfFull() {
    if (store != null && store.getBufferedSize() >= layout.rowGroupBytes()) {
      writeRowGroup();
    }
  }

  /**
   * Writes the open row group out now and parks the file: its column writers (dictionaries, page
   * buffers, statistics, index builders) are let go until the next row, so that a file of a quiet
   * partition holds only its output stream. The file stays open.
   */
  void writeRowGroup() {
    if (store != null && groupRows > 0) {
      flushRowGroup();
      closeRowGroup();
      store = null;
      pages = null;
    }
  }

  /** Closes the file and describes it for a commit. */
  DataFile close(PartitionSpec spec, StructLike partition) {
    try {
      if (store != null) {
        flushRowGroup();
        closeRowGroup();
      }
      ParquetFileWriter writer = file();
      writer.end(layout.metadata());
      footer = writer.getFooter();
      long size = writer.getPos();
      Stream<FieldMetrics<?>> fieldMetrics =
          Stream.of(columns).map(Column::fieldMetrics).filter(Objects::nonNull);
      Metrics metrics = ParquetUtil.footerMetrics(footer, fieldMetrics, layout.metricsConfig());
      return DataFiles.builder(spec)
          .withPath(location)
          .withFormat(FileFormat.PARQUET)
          .withPartition(spec.isUnpartitioned() ? null : partition)
          .withFileSizeInBytes(size)
          .withMetrics(metrics)
          .withSplitOffsets(ParquetUtil.getSplitOffsets(footer))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close data file " + location, e);
    }
  }

  /** Stops writing without finishing the file; the caller deletes it. */
  void abort() {
    if (file != null) {
      file.abort();
    }
    try {
      if (store != null) {
        closeRowGroup();
      }
    } catch (RuntimeException e) {
      // the file is deleted; nothing of it is kept
    }
    output.closeQuietly();
  }

  private void startRowGroup() {
    ParquetProperties properties = layout.properties();
    pages =
        new ColumnChunkPageWriteStore(
            compressor,
            layout.type(),
            properties.getAllocator(),
            properties.getColumnIndexTruncateLength(),
            properties.getPageWriteChecksumEnabled(),
            null,
            rowGroupOrdinal++);
    store = properties.newColumnWriteStore(layout.type(), pages, pages);
    for (Column<R> column : columns) {
      column.writer = store.getColumnWriter(column.descriptor);
    }
    groupRows = 0;
  }

  private void flushRowGroup() {
    if (groupRows == 0) {
      return;
    }
    try {
      ParquetFileWriter writer = file();
      writer.startBlock(groupRows);
      store.flush();
      pages.flushToFileWriter(writer);
      writer.endBlock();
      rowGroupsWritten++;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a row group to " + location, e);
    }
  }

  private void closeRowGroup() {
    store.close();
    pages.close();
    // the columns' writers hold their dictionaries, page writers and index builders: a parked
    // file must not keep them through its columns
    for (Column<R> column : columns) {
      column.writer = null;
    }
  }

  private static <R> Column<R> column(
      ColumnDefinition.Accessor<R> accessor, ColumnDescriptor descriptor, int fieldId) {
    if (accessor instanceof ColumnDefinition.LongValue<R> value) {
      return new Column<>(descriptor) {
        @Override
        void write(R row) {
          writer.write(value.read().applyAsLong(row), 0, defined);
        }
      };
    }
    if (accessor instanceof ColumnDefinition.DoubleValue<R> value) {
      return new DoubleColumn<>(descriptor, fieldId) {
        @Override
        void write(R row) {
          double number = value.read().applyAsDouble(row);
          metrics.addValue(number);
          writer.write(number, 0, defined);
        }
      };
    }
    if (accessor instanceof ColumnDefinition.IntValue<R> value) {
      return new Column<>(descriptor) {
        @Override
        void write(R row) {
          writer.write(value.read().applyAsInt(row), 0, defined);
        }
      };
    }
    if (accessor instanceof ColumnDefinition.BooleanValue<R> value) {
      return new Column<>(descriptor) {
        @Override
        void write(R row) {
          writer.write(value.read().test(row), 0, defined);
        }
      };
    }
    if (accessor instanceof ColumnDefinition.TextValue<R> value) {
      return new TextColumn<>(descriptor, value);
    }
    if (accessor instanceof ColumnDefinition.NullableLong<R> value) {
      return new Column<>(descriptor) {
        @Override
        void write(R row) {
          Long number = value.read().apply(row);
          if (number == null) {
            writer.writeNull(0, defined - 1);
          } else {
            writer.write(number.longValue(), 0, defined);
          }
        }
      };
    }
    if (accessor instanceof ColumnDefinition.NullableDouble<R> value) {
      return new DoubleColumn<>(descriptor, fieldId) {
        @Override
        void write(R row) {
          Double number = value.read().apply(row);
          if (number == null) {
            writer.writeNull(0, defined - 1);
          } else {
            metrics.addValue(number);
            writer.write(number.doubleValue(), 0, defined);
          }
        }
      };
    }
    throw new IllegalArgumentException("Not a flat column: " + descriptor);
  }

  /** One column: its parquet-java writer, replaced at every row group. */
  private abstract static class Column<R> {
    final ColumnDescriptor descriptor;
    final int defined;
    ColumnWriter writer;

    Column(ColumnDescriptor descriptor) {
      this.descriptor = descriptor;
      this.defined = descriptor.getMaxDefinitionLevel();
    }

    abstract void write(R row);

    FieldMetrics<?> fieldMetrics() {
      return null;
    }
  }

  /** Doubles keep Iceberg's NaN counts and NaN-free bounds, which footers do not give. */
  private abstract static class DoubleColumn<R> extends Column<R> {
    final DoubleFieldMetrics.Builder metrics;

    DoubleColumn(ColumnDescriptor descriptor, int fieldId) {
      super(descriptor);
      this.metrics = new DoubleFieldMetrics.Builder(fieldId);
    }

    @Override
    FieldMetrics<?> fieldMetrics() {
      return metrics.build();
    }
  }

  /** Strings, encoded once per distinct value (the same instance is the common case). */
  private static final class TextColumn<R> extends Column<R> {
    private static final int MAX_CACHED = 4096;
    private final ColumnDefinition.TextValue<R> value;
    private final Map<String, Binary> encoded = new HashMap<>();
    private String lastText;
    private Binary lastBinary;

    TextColumn(ColumnDescriptor descriptor, ColumnDefinition.TextValue<R> value) {
      super(descriptor);
      this.value = value;
    }

    @Override
    void write(R row) {
      String text = value.read().apply(row);
      if (text == null) {
        writer.writeNull(0, defined - 1);
        return;
      }
      if (text != lastText) {
        lastBinary =
            encoded.size() < MAX_CACHED
                ? encoded.computeIfAbsent(text, TextColumn::encode)
                : encode(text);
        lastText = text;
      }
      writer.write(lastBinary, 0, defined);
    }

    private static Binary encode(String text) {
      return Binary.fromConstantByteArray(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** parquet-java's view of an Iceberg output file. */
  private static final class Output implements org.apache.parquet.io.OutputFile {
    private final OutputFile file;
    private org.apache.iceberg.io.PositionOutputStream stream;

    Output(OutputFile file) {
      this.file = file;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      this.stream = file.create();
      return wrap(stream);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      this.stream = file.createOrOverwrite();
      return wrap(stream);
    }

    void closeQuietly() {
      if (stream != null) {
        try {
          stream.close();
        } catch (IOException | RuntimeException e) {
          // the file is being abandoned
        }
      }
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }

    @Override
    public String getPath() {
      return file.location();
    }

    private static PositionOutputStream wrap(org.apache.iceberg.io.PositionOutputStream stream) {
      return new PositionOutputStream() {
        @Override
        public long getPos() throws IOException {
          return stream.getPos();
        }

        @Override
        public void write(int b) throws IOException {
          stream.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          stream.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
          stream.flush();
        }

        @Override
        public void close() throws IOException {
          stream.close();
        }
      };
    }
  }
}
