package dev.lake.core.write;

import dev.lake.core.internal.wal.RowBuffer;
import dev.lake.core.model.LakeRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.TableProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open data files of one table in one generation: one Parquet file per partition, rolled when
 * it reaches the table's target size. A busy partition's rows stream into its Parquet writer as
 * they come, so memory holds encoded pages; a quiet one's are held encoded, in a {@link RowBuffer},
 * until there are {@link #PENDING_ROWS} or the file is closed (see there). Each file is a {@link
 * DataFileWriter}; flat tables are partitioned by {@link Partitioner}, others through Iceberg's
 * partition transforms. Written by one thread at a time: the appending thread, then the committer
 * that closes it.
 */
final class TableFiles<R extends LakeRow> {
  private static final Logger LOG = LoggerFactory.getLogger(TableFiles.class);
  private static final int SIZE_CHECK_ROWS = 1000;

  /**
   * Heap an open streaming file takes before it holds any data: parquet-java's column writers,
   * dictionaries' first slabs, statistics and index builders (measured: about 130 KiB for the order
   * book delta table).
   */
  static final long FILE_OVERHEAD_BYTES = 128 * 1024;

  /**
   * Heap a parked file takes (its row group written out, its column writers let go until its next
   * row), besides its written row groups' footer metadata: the open output stream's buffer (8 KiB
   * with {@link dev.lake.core.io.LocalFileIO} and S3FileIO's staging stream) and the file writer.
   * Parking is what lets thousands of partitions' files stay open within the budget: at 2,500 books
   * the open files' fixed cost alone (2,500 x 128 KiB) exceeds the default 256 MiB, which without
   * parking forced an early commit, and a file per partition, every few thousand rows.
   */
  static final long PARKED_FILE_BYTES = 16 * 1024;

  /**
   * Heap a finished file's description takes until its commit: Iceberg's data file with its
   * columns' sizes, counts and bounds (measured: about 6.8 KB for the order book delta table, with
   * the partition's Avro schema shared, see {@link #shareSchema}). At 2,500 books a generation
   * finishes thousands of files to stay within the budget; uncounted, they held 90 MB at 8,354
   * files against a 128 MiB budget.
   */
  static final long FINISHED_FILE_BYTES = 7 * 1024;

  /**
   * Rows a partition of a streaming table holds, encoded, before its file's Parquet column writers
   * are opened (or, for a parked file, opened again). An open file costs {@link
   * #FILE_OVERHEAD_BYTES} before any data, the heap of a few thousand held rows; a venue's quiet
   * partitions get a few hundred rows a minute, so their rows wait and are written once, as one row
   * group, when the file is closed for the commit. Without this, 2,500 books' open files overran
   * the budget all the time: a quiet partition's file was parked and opened again at each visit,
   * and committed with a row group every 50 rows (64 bytes a row for files under 1,000 rows,
   * against 9 for large files).
   */
  static final int PENDING_ROWS = 1024;

  /**
   * Encoded bytes a partition holds at most, whatever its rows (an order book delta takes about 50
   * bytes encoded, a trade with its text id about 70): its buffer's array stays within 64 KiB.
   */
  static final int PENDING_BYTES = 60 * 1024;

  /**
   * Held rows taking less heap than this free less, written out and parked, than parking costs. The
   * heap is counted as it is, the held buffer's array and {@link RowBuffer#OVERHEAD_BYTES}: when
   * rows were held as objects, at an estimated 160 bytes a row, quiet partitions' rows overran the
   * budget and parked their files (1.3 to 3 row groups a committed file at 2,500 books).
   */
  private static final long PENDING_BYTES_WORTH_PARKING = 2 * PARKED_FILE_BYTES;

  /**
   * One open file per partition: small pages and dictionaries keep each nested table file's buffers
   * small; compaction writes big ones.
   */
  private static final Map<String, String> NESTED_WRITER_PROPERTIES =
      Map.of(
          TableProperties.PARQUET_PAGE_SIZE_BYTES,
          Integer.toString(ParquetLayout.PAGE_BYTES),
          TableProperties.PARQUET_DICT_SIZE_BYTES,
          Integer.toString(ParquetLayout.DICTIONARY_BYTES));

  /** Codecs need a Hadoop configuration; an empty one spares parsing Hadoop's XML per file. */
  private static final Configuration CODEC_CONF = new Configuration(false);

  private final TableContext<R> context;
  private final RowStruct<R> struct;
  private final PartitionKey icebergKey;
  private final Partitioner<R> partitioner;
  private final ParquetLayout<R> layout;
  private final Map<Object, OpenFile<R>> open = new HashMap<>();
  private final List<DataFile> done = new ArrayList<>();
  private final List<String> written = new ArrayList<>();
  private org.apache.iceberg.DataFiles.Builder copier;
  private CodecFactory codecs;
  private CompressionCodecFactory.BytesInputCompressor compressor;
  private OpenFile<R> last;
  private long rows;
  private long buffered;
  private long footers;
  private int openFiles;
  private int parkedFiles;
  private long pendingBytes;

  private static final class OpenFile<R extends LakeRow> {
    final PartitionKey partition;
    final Partitioner.Key key;
    DataFileWriter<R> writer;
    long rows;
    long buffered;
    long footer;
    boolean parked;
    // rows not yet given to the writer: the file is not open, or parked (see PENDING_ROWS)
    RowBuffer<R> pending;

    OpenFile(PartitionKey partition, Partitioner.Key key) {
      this.partition = partition;
      this.key = key;
    }

    boolean isOpen() {
      return writer != null;
    }
  }

  TableFiles(TableContext<R> context) {
    this.context = context;
    this.struct = context.newStruct();
    this.icebergKey = new PartitionKey(context.spec(), context.schema());
    this.partitioner = Partitioner.of(context.definition(), context.spec());
    this.layout = context.layout();
  }

  TableContext<R> context() {
    return context;
  }

  long rows() {
    return rows;
  }

  void write(R row) {
    OpenFile<R> file = fileFor(row);
    rows++;
    if (layout != null && (!file.isOpen() || file.parked)) {
      hold(file, row);
      return;
    }
    writeNow(file, row);
  }

  private void writeNow(OpenFile<R> file, R row) {
    if (!file.isOpen()) {
      open(file);
    } else if (file.parked) {
      file.parked = false;
      parkedFiles--;
    }
    file.writer.write(row);
    file.rows++;
    if (file.rows % SIZE_CHECK_ROWS == 0) {
      checkSize(file);
    }
  }

  private void hold(OpenFile<R> file, R row) {
    RowBuffer<R> held = file.pending;
    if (held == null) {
      held = new RowBuffer<>(context.definition());
      file.pending = held;
      pendingBytes += held.heapBytes();
    }
    long before = held.heapBytes();
    held.add(row);
    pendingBytes += held.heapBytes() - before;
    if (held.rows() >= PENDING_ROWS || held.encodedBytes() >= PENDING_BYTES) {
      writePending(file);
    }
  }

  /** Gives a file's held rows to its writer, opening it (or unparking it) first. */
  private void writePending(OpenFile<R> file) {
    RowBuffer<R> held = file.pending;
    if (held == null) {
      return;
    }
    file.pending = null;
    pendingBytes -= held.heapBytes();
    held.forEach(row -> writeNow(file, row));
  }

  private void checkSize(OpenFile<R> file) {
    long now = file.writer.bufferedBytes();
    buffered += now - file.buffered;
    file.buffered = now;
    noteFooter(file);
    if (file.writer.length() >= context.targetFileBytes()) {
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

  private void noteFooter(OpenFile<R> file) {
    long now = file.writer.footerBytes();
    footers += now - file.footer;
    file.footer = now;
  }

  /**
   * Heap the open files take, as of their last size check (every thousand rows of a file), and the
   * finished files' descriptions waiting for the commit: an estimate kept up to date without
   * visiting every file.
   */
  long estimatedBytes() {
    return buffered
        + footers
        + done.size() * FINISHED_FILE_BYTES
        + (openFiles - parkedFiles) * FILE_OVERHEAD_BYTES
        + parkedFiles * PARKED_FILE_BYTES
        + pendingBytes;
  }

  /**
   * Frees at least {@code bytes} of memory if it can. First, largest first, streaming files write
   * their open row group out and stay open, parked until their next rows; held rows worth it are
   * written out so too; a file of Iceberg's writer is closed and joins the commit. Then, if that
   * was not enough, parked files are finished and join the commit, those holding the most footer
   * metadata first (a file parked again and again keeps every row group's metadata until it is
   * finished). Returns the bytes freed.
   */
  long relieve(long bytes) {
    List<OpenFile<R>> files = new ArrayList<>();
    List<OpenFile<R>> parked = new ArrayList<>();
    for (OpenFile<R> file : open.values()) {
      if (file.isOpen()) {
        checkSize(file);
      }
      if (file.pending != null && file.pending.heapBytes() >= PENDING_BYTES_WORTH_PARKING) {
        files.add(file);
      } else if (file.isOpen() && file.buffered > 0) {
        files.add(file);
      } else if (file.isOpen() && file.parked) {
        parked.add(file);
      }
    }
    files.sort((a, b) -> Long.compare(held(b), held(a)));
    long freed = 0;
    for (OpenFile<R> file : files) {
      if (freed >= bytes) {
        break;
      }
      long before = held(file) + file.footer;
      boolean wasOpen = file.isOpen() && !file.parked;
      writePending(file);
      if (!file.isOpen()) {
        // its held rows took it to the target size: finished, and joins the commit
        freed += before - FINISHED_FILE_BYTES;
        continue;
      }
      if (!wasOpen) {
        // opened or unparked for its held rows: its writers cost what parking it again frees
        freed -= FILE_OVERHEAD_BYTES;
      }
      if (file.writer.writeRowGroup()) {
        long now = file.writer.bufferedBytes();
        buffered += now - file.buffered;
        file.buffered = now;
        noteFooter(file);
        if (file.writer.isParked()) {
          file.parked = true;
          parkedFiles++;
          freed += FILE_OVERHEAD_BYTES - PARKED_FILE_BYTES;
          parked.add(file);
        }
        freed += before - file.buffered - file.footer;
      } else {
        closeFile(file);
        freed += FILE_OVERHEAD_BYTES + before - FINISHED_FILE_BYTES;
      }
    }
    if (freed < bytes) {
      parked.sort((a, b) -> Long.compare(b.footer, a.footer));
      for (OpenFile<R> file : parked) {
        if (freed >= bytes) {
          break;
        }
        if (file.isOpen() && file.parked) {
          freed += file.footer + held(file) + PARKED_FILE_BYTES - FINISHED_FILE_BYTES;
          writePending(file);
          if (file.isOpen()) {
            closeFile(file);
          }
        }
      }
    }
    return freed;
  }

  /**
   * Closes every file and returns them all, for a commit; {@code released} hears, file by file, how
   * much of the estimate each file closed held.
   */
  List<DataFile> close(LongConsumer released) {
    for (OpenFile<R> file : open.values()) {
      long before = estimatedBytes();
      writePending(file);
      if (file.isOpen()) {
        closeFile(file);
      }
      released.accept(before - estimatedBytes());
    }
    open.clear();
    last = null;
    releaseCodecs();
    return List.copyOf(done);
  }

  /** Closes quietly and deletes what was written; used when a generation is rebuilt or dropped. */
  void abort() {
    for (OpenFile<R> file : open.values()) {
      if (file.writer != null) {
        file.writer.close();
      }
    }
    open.clear();
    last = null;
    buffered = 0;
    footers = 0;
    openFiles = 0;
    parkedFiles = 0;
    pendingBytes = 0;
    releaseCodecs();
    for (String path : written) {
      try {
        context.table().io().deleteFile(path);
      } catch (RuntimeException e) {
        LOG.debug("Cannot delete aborted file {}: {}", path, e.toString());
      }
    }
  }

  private void open(OpenFile<R> file) {
    String location =
        context
            .table()
            .locationProvider()
            .newDataLocation(context.spec(), file.partition, context.newFileName());
    written.add(location);
    openFiles++;
    if (layout != null && compressor == null) {
      codecs = new CodecFactory(CODEC_CONF, ParquetLayout.PAGE_BYTES);
      compressor = codecs.getCompressor(layout.codec());
    }
    file.writer =
        new DataFileWriter<>(
            context.definition(),
            context.table(),
            context.spec(),
            file.partition,
            context.table().io().newOutputFile(location),
            layout,
            compressor,
            null,
            NESTED_WRITER_PROPERTIES);
  }

  /** What a file holds that writing its row group out frees: encoded pages and held rows. */
  private static long held(OpenFile<?> file) {
    return file.buffered + (file.pending == null ? 0 : file.pending.heapBytes());
  }

  private void closeFile(OpenFile<R> file) {
    done.add(shareSchema(file.writer.finish()));
    file.writer = null;
    buffered -= file.buffered;
    file.buffered = 0;
    footers -= file.footer;
    file.footer = 0;
    file.rows = 0;
    openFiles--;
    if (file.parked) {
      file.parked = false;
      parkedFiles--;
    }
  }

  /**
   * The same file description, its partition sharing one Avro schema with this table's other files:
   * Iceberg's builder makes that schema anew for each file (about 2.6 KB of heap, measured at 2,500
   * books), and a finished file keeps it until its commit. Files built by one builder share it.
   */
  private DataFile shareSchema(DataFile file) {
    if (copier == null) {
      copier = org.apache.iceberg.DataFiles.builder(context.spec());
    }
    copier.clear();
    return copier.copy(file).build();
  }

  private void releaseCodecs() {
    if (codecs != null) {
      codecs.release();
      codecs = null;
      compressor = null;
    }
  }
}
