package dev.lake.core.write;

import dev.lake.core.model.LakeRow;
import dev.lake.core.table.TableDefinition;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.parquet.InternalWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.CodecFactory;

/**
 * Writes rows of one lake table into one Parquet data file, laid out as {@link LakeWriter} lays out
 * its files: the table's column encodings, compression codec, row-group size and column metrics.
 * The writer's own open files are these; tools that rewrite a table's files (compaction) use them
 * to keep the files as the writer makes them.
 *
 * <p>The file becomes part of the table only when the caller commits the {@link DataFile} that
 * {@link #finish()} returns; {@link #close()} without {@link #finish()} abandons it (the caller
 * deletes it). Not thread-safe.
 *
 * @param <R> the table's row type
 */
public final class DataFileWriter<R extends LakeRow> implements Closeable {
  private static final int SIZE_CHECK_ROWS = 1000;
  private final PartitionSpec spec;
  private final StructLike partition;
  private final CodecFactory codecs;
  private final ParquetStream<R> stream;
  private final DataWriter<Object> writer;
  private final RowStruct<R> struct;
  private boolean finished;
  private long rows;

  /**
   * Opens a writer for a file of {@code table} (declared by {@code definition}) in the given
   * partition of {@code spec}, written to {@code output}.
   */
  public DataFileWriter(
      TableDefinition<R> definition,
      Table table,
      PartitionSpec spec,
      StructLike partition,
      OutputFile output) {
    this(
        definition,
        table,
        spec,
        partition,
        output,
        ParquetLayout.supports(definition, table.schema())
            ? new ParquetLayout<>(definition, table, Long.MAX_VALUE, true)
            : null,
        null,
        table.sortOrder(),
        Map.of());
  }

  /**
   * For the writer's open files: a flat table's {@code layout} (null for nested tables) and a
   * {@code compressor} shared by a table's files (null: the file has its own); for nested tables
   * the sort order the rows are in (null: none promised) and Iceberg writer properties.
   */
  DataFileWriter(
      TableDefinition<R> definition,
      Table table,
      PartitionSpec spec,
      StructLike partition,
      OutputFile output,
      ParquetLayout<R> layout,
      CompressionCodecFactory.BytesInputCompressor compressor,
      SortOrder sortOrder,
      Map<String, String> writerProperties) {
    this.spec = spec;
    this.partition = partition;
    if (layout != null) {
      this.codecs =
          compressor == null
              ? new CodecFactory(new Configuration(false), ParquetLayout.PAGE_BYTES)
              : null;
      this.stream =
          new ParquetStream<>(
              layout,
              output,
              compressor != null ? compressor : codecs.getCompressor(layout.codec()));
      this.writer = null;
      this.struct = null;
    } else {
      this.codecs = null;
      this.stream = null;
      this.struct = new RowStruct<>(definition, table.schema(), table.name());
      try {
        Parquet.DataWriteBuilder builder =
            Parquet.writeData(output)
                .forTable(table)
                .setAll(writerProperties)
                .withSpec(spec)
                .withPartition(partition)
                .createWriterFunc(InternalWriter::createWriter)
                .overwrite();
        if (sortOrder != null) {
          builder.withSortOrder(sortOrder);
        }
        this.writer = builder.build();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create data file " + output.location(), e);
      }
    }
  }

  /** Appends a row; rows are stored in the order written. */
  public void write(R row) {
    if (stream != null) {
      stream.write(row);
      if (++rows % SIZE_CHECK_ROWS == 0) {
        stream.flushIfFull();
      }
    } else {
      writer.write(struct.wrap(row));
    }
  }

  /** About the size the file would have if finished now. */
  public long length() {
    return stream != null ? stream.length() : writer.length();
  }

  /** Bytes the file holds in memory (encoded pages not yet written out). */
  long bufferedBytes() {
    return stream != null ? stream.bufferedBytes() : writer.length();
  }

  /** Heap the file's written row groups keep for its footer until it is finished. */
  long footerBytes() {
    return stream != null ? stream.footerBytes() : 0;
  }

  /**
   * Writes the open row group out, freeing its memory, and keeps the file open with its column
   * writers let go until the next row; false for a nested table's file, which can only be finished
   * to free its memory.
   */
  boolean writeRowGroup() {
    if (stream == null) {
      return false;
    }
    stream.writeRowGroup();
    return true;
  }

  /** True when the row group was written out and the column writers wait for the next row. */
  boolean isParked() {
    return stream != null && stream.isParked();
  }

  /** Finishes the file and describes it for a commit. */
  public DataFile finish() {
    finished = true;
    try {
      if (stream != null) {
        return stream.close(spec, partition);
      }
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot close data file", e);
      }
      return writer.toDataFile();
    } finally {
      release();
    }
  }

  /** Abandons an unfinished file; after {@link #finish()}, does nothing. */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      if (stream != null) {
        stream.abort();
      } else {
        writer.close();
      }
    } catch (IOException | RuntimeException e) {
      // abandoned: nothing of the file is kept
    } finally {
      release();
    }
  }

  private void release() {
    if (codecs != null) {
      codecs.release();
    }
  }
}
