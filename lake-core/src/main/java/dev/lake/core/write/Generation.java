package dev.lake.core.write;

import dev.lake.core.model.LakeRow;
import dev.lake.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.DataFile;

/**
 * The rows between two log positions, [from, to), and the data files they are written to. Rows are
 * appended while the generation is current; after it is sealed the committer closes its files and
 * commits them. A generation whose files could not be written is "broken" and is rebuilt from the
 * write-ahead log.
 */
final class Generation {
  final long from;
  long to;
  long rows;
  final long createdNanos = System.nanoTime();

  /** When the first row was appended (System.nanoTime), 0 while there is none. */
  long firstRowNanos;

  private final Map<TableDefinition<?>, TableFiles<?>> files = new LinkedHashMap<>();
  private final Map<String, Long> rowsByTable = new HashMap<>();
  private Map<TableDefinition<?>, List<DataFile>> prepared;
  private RuntimeException brokenBy;
  // what this generation counts in the writer's sealed bytes until the commit thread has closed its
  // files; written at sealing under the append lock, then by the commit thread only
  private long sealedBytes;

  Generation(long from) {
    this.from = from;
    this.to = from;
  }

  boolean isEmpty() {
    return to == from;
  }

  boolean isBroken() {
    return brokenBy != null;
  }

  RuntimeException brokenBy() {
    return brokenBy;
  }

  /** Gives up on the open files (deleting them); the rows will be rebuilt from the log. */
  void markBroken(RuntimeException cause) {
    if (brokenBy == null) {
      this.brokenBy = cause;
      abortFiles();
    }
  }

  void abortFiles() {
    for (TableFiles<?> tableFiles : files.values()) {
      tableFiles.abort();
    }
    files.clear();
  }

  @SuppressWarnings("unchecked")
  <R extends LakeRow> void write(
      R row, TableDefinition<R> table, Function<TableDefinition<?>, TableFiles<?>> open) {
    TableFiles<R> tableFiles = (TableFiles<R>) files.computeIfAbsent(table, open);
    tableFiles.write(row);
  }

  void countRows(String table, long count) {
    if (rows == 0) {
      firstRowNanos = System.nanoTime();
    }
    rows += count;
    rowsByTable.merge(table, count, Long::sum);
  }

  Map<String, Long> rowsByTable() {
    return rowsByTable;
  }

  long estimatedBytes() {
    long bytes = 0;
    for (TableFiles<?> tableFiles : files.values()) {
      bytes += tableFiles.estimatedBytes();
    }
    return bytes;
  }

  /** Frees at least {@code bytes} of the open files' memory if it can; returns the bytes freed. */
  long relieve(long bytes) {
    List<TableFiles<?>> tables = new ArrayList<>(files.values());
    tables.sort((a, b) -> Long.compare(b.estimatedBytes(), a.estimatedBytes()));
    long freed = 0;
    for (TableFiles<?> tableFiles : tables) {
      if (freed >= bytes) {
        break;
      }
      freed += tableFiles.relieve(bytes - freed);
    }
    return freed;
  }

  /**
   * Counts the open files against the budget as sealed: the next generation's files and these share
   * the budget until the commit thread has closed these ({@link #released}).
   */
  void sealed(WriterCounters counters) {
    sealedBytes = estimatedBytes();
    counters.sealed(sealedBytes);
  }

  /** The commit thread closed files that held about {@code bytes} of those counted as sealed. */
  void released(long bytes, WriterCounters counters) {
    long released = Math.max(0, Math.min(bytes, sealedBytes));
    sealedBytes -= released;
    counters.released(released);
  }

  /** Stops counting this generation's files as sealed: they are closed, aborted or rebuilt. */
  void releasedAll(WriterCounters counters) {
    released(sealedBytes, counters);
  }

  Map<TableDefinition<?>, TableFiles<?>> files() {
    return files;
  }

  boolean isPrepared() {
    return prepared != null;
  }

  Map<TableDefinition<?>, List<DataFile>> prepared() {
    return prepared;
  }

  void prepared(Map<TableDefinition<?>, List<DataFile>> dataFiles) {
    this.prepared = dataFiles;
    this.brokenBy = null;
  }
}
