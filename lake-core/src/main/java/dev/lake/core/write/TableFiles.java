package dev.lake.core.write;

import dev.lake.core.model.LakeRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.parquet.InternalWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open data files of one table in one generation: one Parquet file per partition, rolled when
 * it reaches the table's target size. Rows stream into the Parquet writers as they come, so memory
 * holds encoded pages, not rows. Flat tables are written by {@link FlatRowWriter} and partitioned
 * by {@link Partitioner}; others through Iceberg's generic writer and partition transforms. Not
 * thread-safe.
 */
final class TableFiles<R extends LakeRow> {
  private static final Logger LOG = LoggerFactory.getLogger(TableFiles.class);
  private static final int SIZE_CHECK_ROWS = 1000;
  static final int STREAMING_PAGE_BYTES = 64 * 1024;
  static final int STREAMING_DICTIONARY_BYTES = 64 * 1024;

  private final TableContext<R> context;
  private final RowStruct<R> struct;
  private final PartitionKey icebergKey;
  private final Partitioner<R> partitioner;
  private final boolean flat;
  private final Map<Object, OpenFile<R>> open = new HashMap<>();
  private final List<DataFile> done = new ArrayList<>();
  private final List<String> written = new ArrayList<>();
  private OpenFile<R> last;
  private long rows;

  private static final class OpenFile<R> {
    final PartitionKey partition;
    final Partitioner.Key key;
    DataWriter<Object> writer;
    long rows;

    OpenFile(PartitionKey partition, Partitioner.Key key) {
      this.partition = partition;
      this.key = key;
    }
  }

  TableFiles(TableContext<R> context) {
    this.context = context;
    this.struct = context.newStruct();
    this.icebergKey = new PartitionKey(context.spec(), context.schema());
    this.partitioner = Partitioner.of(context.definition(), context.spec());
    this.flat = FlatRowWriter.supports(context.definition(), context.schema());
  }

  TableContext<R> context() {
    return context;
  }

  long rows() {
    return rows;
  }

  void write(R row) {
    OpenFile<R> file = fileFor(row);
    if (file.writer == null) {
      file.writer = newWriter(file.partition);
    }
    file.writer.write(flat ? row : struct.wrap(row));
    file.rows++;
    rows++;
    if (file.rows % SIZE_CHECK_ROWS == 0 && file.writer.length() >= context.targetFileBytes()) {
      closeFile(file);
    }
  }

  private OpenFile<R> fileFor(R row) {
    if (partitioner != null) {
      if (last != null && partitioner.sameAs(last.key, row)) {
        return last;
      }
      OpenFile<R> file = open.get(partitioner.probe(row));
      if (file == null) {
        icebergKey.partition(struct.wrap(row));
        Partitioner.Key key = partitioner.keyOf(row);
        file = new OpenFile<>(icebergKey.copy(), key);
        open.put(key, file);
      }
      last = file;
      return file;
    }
    icebergKey.partition(struct.wrap(row));
    OpenFile<R> file = open.get(icebergKey);
    if (file == null) {
      PartitionKey copy = icebergKey.copy();
      file = new OpenFile<>(copy, null);
      open.put(copy, file);
    }
    return file;
  }

  /** Bytes the open files hold or have written, an upper bound of their memory. */
  long estimatedBytes() {
    long bytes = 0;
    for (OpenFile<R> file : open.values()) {
      if (file.writer != null) {
        bytes += file.writer.length();
      }
    }
    return bytes;
  }

  /** Closes every file and returns them all, for a commit. */
  List<DataFile> close() {
    for (OpenFile<R> file : open.values()) {
      if (file.writer != null) {
        closeFile(file);
      }
    }
    open.clear();
    last = null;
    return List.copyOf(done);
  }

  /** Closes quietly and deletes what was written; used when a generation is rebuilt or dropped. */
  void abort() {
    for (OpenFile<R> file : open.values()) {
      if (file.writer != null) {
        try {
          file.writer.close();
        } catch (IOException | RuntimeException e) {
          LOG.debug("Ignoring failure to close an aborted file: {}", e.toString());
        }
      }
    }
    open.clear();
    last = null;
    for (String path : written) {
      try {
        context.table().io().deleteFile(path);
      } catch (RuntimeException e) {
        LOG.debug("Cannot delete aborted file {}: {}", path, e.toString());
      }
    }
  }

  private DataWriter<Object> newWriter(PartitionKey partition) {
    String location =
        context
            .table()
            .locationProvider()
            .newDataLocation(context.spec(), partition, context.newFileName());
    written.add(location);
    OutputFile output = context.table().io().newOutputFile(location);
    try {
      Parquet.DataWriteBuilder builder =
          Parquet.writeData(output)
              .forTable(context.table())
              // a writer streams into hundreds of open files (one per symbol and hour): small
              // pages and dictionaries keep each open file's buffers small; compaction writes
              // big ones
              .set(TableProperties.PARQUET_PAGE_SIZE_BYTES, Integer.toString(STREAMING_PAGE_BYTES))
              .set(
                  TableProperties.PARQUET_DICT_SIZE_BYTES,
                  Integer.toString(STREAMING_DICTIONARY_BYTES))
              .withSpec(context.spec())
              .withPartition(partition)
              .overwrite();
      if (flat) {
        builder.createWriterFunc(
            type -> new FlatRowWriter<>(context.definition(), context.schema(), type));
      } else {
        builder.createWriterFunc(InternalWriter::createWriter);
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create data file " + location, e);
    }
  }

  private void closeFile(OpenFile<R> file) {
    try {
      file.writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close data file", e);
    }
    done.add(file.writer.toDataFile());
    file.writer = null;
    file.rows = 0;
  }
}
