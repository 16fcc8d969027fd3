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
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.parquet.InternalWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open data files of one table in one generation: one Parquet file per partition, rolled when
 * it reaches the table's target size. Rows stream into the Parquet writers as they come, so memory
 * holds encoded pages, not rows. Not thread-safe.
 */
final class TableFiles<R extends LakeRow> {
  private static final Logger LOG = LoggerFactory.getLogger(TableFiles.class);
  private static final int SIZE_CHECK_ROWS = 1000;

  private final TableContext<R> context;
  private final RowStruct<R> struct;
  private final PartitionKey key;
  private final Map<PartitionKey, OpenFile> open = new HashMap<>();
  private final List<DataFile> done = new ArrayList<>();
  private final List<String> written = new ArrayList<>();
  private OpenFile last;
  private long rows;

  private static final class OpenFile {
    final PartitionKey partition;
    DataWriter<StructLike> writer;
    long rows;

    OpenFile(PartitionKey partition) {
      this.partition = partition;
    }
  }

  TableFiles(TableContext<R> context) {
    this.context = context;
    this.struct = context.newStruct();
    this.key = new PartitionKey(context.spec(), context.schema());
  }

  TableContext<R> context() {
    return context;
  }

  long rows() {
    return rows;
  }

  void write(R row) {
    struct.wrap(row);
    key.partition(struct);
    OpenFile file = last != null && last.partition.equals(key) ? last : open.get(key);
    if (file == null) {
      PartitionKey copy = key.copy();
      file = new OpenFile(copy);
      open.put(copy, file);
    }
    if (file.writer == null) {
      file.writer = newWriter(file.partition);
    }
    file.writer.write(struct);
    file.rows++;
    rows++;
    last = file;
    if (file.rows % SIZE_CHECK_ROWS == 0 && file.writer.length() >= context.targetFileBytes()) {
      closeFile(file);
    }
  }

  /** Bytes the open files hold or have written, an upper bound of their memory. */
  long estimatedBytes() {
    long bytes = 0;
    for (OpenFile file : open.values()) {
      if (file.writer != null) {
        bytes += file.writer.length();
      }
    }
    return bytes;
  }

  /** Closes every file and returns them all, for a commit. */
  List<DataFile> close() {
    for (OpenFile file : open.values()) {
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
    for (OpenFile file : open.values()) {
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

  private DataWriter<StructLike> newWriter(PartitionKey partition) {
    String location =
        context
            .table()
            .locationProvider()
            .newDataLocation(context.spec(), partition, context.newFileName());
    written.add(location);
    OutputFile output = context.table().io().newOutputFile(location);
    try {
      return Parquet.writeData(output)
          .forTable(context.table())
          .withSpec(context.spec())
          .withPartition(partition)
          .createWriterFunc(InternalWriter::createWriter)
          .overwrite()
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create data file " + location, e);
    }
  }

  private void closeFile(OpenFile file) {
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
