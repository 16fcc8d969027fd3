package dev.lake.core.internal.wal;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import dev.lake.core.write.WalLockedException;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local write-ahead log of rows: segment files of records, each record a batch of rows with a
 * CRC-32C. A record is a 12-byte header (a magic number, the payload's length, its CRC-32C) and a
 * payload that starts with its format version; records of format 1, written by releases before the
 * version, have another magic number and are still read. Positions are byte offsets in the log as a
 * whole (segment files are named by the position they start at), so they only grow, across segments
 * and restarts.
 *
 * <p>Opening a log takes its folder's lock (a second process, or a second writer in the same
 * process, is refused with {@link WalLockedException}), reads or creates the writer id, and checks
 * every record: a torn tail (a power cut mid-write) is cut off, a corrupt record is skipped, and
 * both are reported in {@link #recovery()}; damage never stops an open. New records go to a new
 * segment.
 *
 * <p>A record appended is in the operating system's cache when {@link #append} returns (it survives
 * a crash of the process) and on disk after the next {@link #sync} (it survives a power cut). Both
 * hold only while the log's files are where it opened them: an open log does not notice by itself
 * that its folder was deleted (appends go on into a deleted file); {@link #missingFiles()} checks.
 * Thread-safe.
 */
public final class WriteAheadLog implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);

  /** Starts a record of format 1, which has no format version. */
  static final int MAGIC_V1 = 0x454b414c; // "LAKE" little-endian

  /** Starts a record whose payload begins with its format version (a byte). */
  static final int MAGIC = 0x564b414c; // "LAKV" little-endian

  static final int HEADER_BYTES = 12;
  static final int MAX_RECORD_BYTES = 256 * 1024 * 1024;
  private static final String SEGMENT_PREFIX = "segment-";
  private static final String SEGMENT_SUFFIX = ".wal";
  private static final String WRITER_ID_FILE = "writer-id";
  private static final String LOCK_FILE = "lock";

  private final Path directory;
  private final long segmentBytes;
  private final String writerId;
  private final Object directoryKey;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Object lockKey;
  private final WalRecovery recovery;
  private final List<Segment> segments = new ArrayList<>();
  private final ByteSink sink = new ByteSink(64 * 1024);
  private final CRC32C crc = new CRC32C();
  private final AtomicLong retainedBytes = new AtomicLong();
  private FileChannel active;
  private Object activeKey;
  private long activeBase;
  private long position;
  private long trimRequested;
  private long heldFrom = Long.MAX_VALUE;
  private volatile boolean dirty;
  private boolean closed;

  private record Segment(long base, Path path, long bytes) {}

  private WriteAheadLog(Path directory, long segmentBytes) throws IOException {
    this.directory = directory;
    this.segmentBytes = segmentBytes;
    Files.createDirectories(directory);
    this.directoryKey = fileKey(directory);
    this.lockChannel =
        FileChannel.open(
            directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    this.lock = tryLock(lockChannel, directory);
    try {
      this.lockKey = fileKey(directory.resolve(LOCK_FILE));
      lockChannel.truncate(0);
      lockChannel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
      this.writerId = readOrCreateWriterId(directory);
      this.recovery = scan();
      openSegment(recovery.endPosition());
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  /**
   * Opens (or creates) the log in a folder.
   *
   * @param directory the log folder; created when missing
   * @param segmentBytes size at which a new segment file is started
   * @throws WalLockedException when another writer holds the folder
   * @throws UncheckedIOException when the folder cannot be read or written
   */
  public static WriteAheadLog open(Path directory, long segmentBytes) {
    requireNonNull(directory, "directory is null");
    if (segmentBytes < 1024) {
      throw new IllegalArgumentException("Invalid segment size: " + segmentBytes);
    }
    try {
      return new WriteAheadLog(directory.toAbsolutePath(), segmentBytes);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot open write-ahead log at " + directory + ": " + e.getMessage(), e);
    }
  }

  private static FileLock tryLock(FileChannel channel, Path directory) throws IOException {
    FileLock acquired;
    try {
      acquired = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      acquired = null;
    }
    if (acquired == null) {
      String holder = "";
      try {
        holder = Files.readString(directory.resolve(LOCK_FILE)).trim();
      } catch (IOException e) {
        // the holder's pid is only a courtesy in the message
      }
      channel.close();
      throw new WalLockedException(
          "Cannot open write-ahead log at "
              + directory
              + ": it is in use by another writer"
              + (holder.isEmpty() ? "" : " (process " + holder + ")")
              + "; each lake process needs its own sink.wal_dir");
    }
    return acquired;
  }

  private static String readOrCreateWriterId(Path directory) throws IOException {
    Path file = directory.resolve(WRITER_ID_FILE);
    if (Files.exists(file)) {
      String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (!id.isEmpty()) {
        return id;
      }
    }
    String id = UUID.randomUUID().toString();
    Path temp = directory.resolve(WRITER_ID_FILE + ".tmp");
    Files.writeString(temp, id + "\n", StandardCharsets.US_ASCII);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return id;
  }

  /** The id of the writer that owns this folder; the same folder gives the same id. */
  public String writerId() {
    return writerId;
  }

  /** The log's folder. */
  public Path directory() {
    return directory;
  }

  /** What the open found. */
  public WalRecovery recovery() {
    return recovery;
  }

  /**
   * Appends a batch of rows as one record.
   *
   * @return the position just after the record
   * @throws UncheckedIOException when the record cannot be written; the log is then unusable
   */
  public synchronized long append(List<? extends LakeRow> rows) {
    if (closed) {
      throw new IllegalStateException("Cannot append to write-ahead log: it is closed");
    }
    sink.reset(HEADER_BYTES);
    RowCodec.encode(rows, sink);
    ByteBuffer buffer = sink.buffer();
    int payload = buffer.position() - HEADER_BYTES;
    crc.reset();
    crc.update(buffer.array(), HEADER_BYTES, payload);
    buffer.putInt(0, MAGIC).putInt(4, payload).putInt(8, (int) crc.getValue());
    buffer.flip();
    try {
      if (position - activeBase >= segmentBytes) {
        rollSegment();
      }
      int length = buffer.remaining();
      while (buffer.hasRemaining()) {
        active.write(buffer);
      }
      position += length;
      retainedBytes.addAndGet(length);
      dirty = true;
      return position;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot append to write-ahead log at " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * Moves the end of the log forward to a position, for a log found behind the positions its writer
   * committed (the folder was emptied while the writer id was kept). New records start there.
   */
  public synchronized void skipTo(long newPosition) {
    if (newPosition <= position) {
      return;
    }
    try {
      active.force(false);
      active.close();
      if (position == activeBase) {
        Files.deleteIfExists(segmentPath(activeBase));
      } else {
        segments.add(new Segment(activeBase, segmentPath(activeBase), position - activeBase));
      }
      openSegment(newPosition);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot move write-ahead log at " + directory, e);
    }
  }

  /** Forces appended records to disk. Cheap when nothing was appended since the last call. */
  public void sync() {
    if (!dirty) {
      return;
    }
    FileChannel channel;
    synchronized (this) {
      channel = active;
      dirty = false;
    }
    try {
      if (channel != null) {
        channel.force(false);
      }
    } catch (ClosedChannelException e) {
      // rolled or closed meanwhile; both force before closing
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot sync write-ahead log at " + directory, e);
    }
  }

  /** Position just after the newest record. */
  public synchronized long endPosition() {
    return position;
  }

  /** Position of the oldest retained record. */
  public synchronized long startPosition() {
    return segments.isEmpty() ? activeBase : segments.get(0).base();
  }

  /** Segment files retained, the one being written included. */
  public synchronized int segmentCount() {
    return segments.size() + 1;
  }

  /** Bytes of all retained segments, the measure of the disk budget. */
  public long retainedBytes() {
    return retainedBytes.get();
  }

  /**
   * Deletes the segments that hold only records before a position (their rows are committed), but
   * none that holds a record at or after the position given to {@link #holdFrom}. The segment being
   * written is kept.
   */
  public void deleteBefore(long committedPosition) {
    synchronized (this) {
      trimRequested = Math.max(trimRequested, committedPosition);
    }
    trim();
  }

  /**
   * Keeps every record from a position on, whatever {@link #deleteBefore} asks: for a second reader
   * of the log (a log follower) that has not yet consumed them. The last call counts; segments are
   * deleted before the lower of the two positions. Without a call nothing is held.
   */
  public void holdFrom(long heldPosition) {
    synchronized (this) {
      heldFrom = heldPosition;
    }
    trim();
  }

  private void trim() {
    List<Segment> deletable = new ArrayList<>();
    synchronized (this) {
      long committedPosition = Math.min(trimRequested, heldFrom);
      if (!closed && position > activeBase && position <= committedPosition) {
        // everything, the segment being written included, is committed: start a new one so that
        // this one can go (a log under a small budget would otherwise never shrink)
        try {
          rollSegment();
        } catch (IOException e) {
          throw new UncheckedIOException(
              "Cannot start a new write-ahead log segment in " + directory + ": " + e, e);
        }
      }
      while (!segments.isEmpty()
          && segments.get(0).base() + segments.get(0).bytes() <= committedPosition) {
        deletable.add(segments.remove(0));
      }
    }
    for (Segment segment : deletable) {
      try {
        Files.deleteIfExists(segment.path());
        retainedBytes.addAndGet(-segment.bytes());
        LOG.debug("Deleted write-ahead log segment {}", segment.path());
      } catch (IOException e) {
        LOG.warn("Cannot delete write-ahead log segment {}: {}", segment.path(), e.toString());
      }
    }
  }

  /**
   * Reads the intact records whose start lies in {@code [from, to)}, in order. Damaged regions are
   * skipped. Safe while appends go on, for {@code to <= endPosition()}.
   *
   * @throws IllegalStateException for an intact record this release cannot read (a format version,
   *     row type, enum code or column count of a later release), naming the segment file, the
   *     record's offset in it and the value; the records before it have been visited
   */
  public void replay(long from, long to, WalRecordVisitor visitor) {
    List<Segment> all;
    long activeEnd;
    synchronized (this) {
      all = new ArrayList<>(segments);
      all.add(new Segment(activeBase, segmentPath(activeBase), position - activeBase));
      activeEnd = position;
    }
    long limit = Math.min(to, activeEnd);
    for (Segment segment : all) {
      if (segment.base() + segment.bytes() <= from || segment.base() >= limit) {
        continue;
      }
      try {
        // records start exactly at the positions replays start from: no need to walk (and
        // check) the segment's records before it
        readSegment(
            segment,
            Math.max(0, from - segment.base()),
            limit,
            (start, end, payload, versioned) -> {
              if (start >= from && start < limit) {
                visitor.visit(start, end, decode(segment, start, payload, versioned));
              }
            },
            null);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot read write-ahead log segment " + segment.path() + ": " + e.getMessage(), e);
      }
    }
  }

  /** A record's rows; a record this release cannot read stops the replay, naming what it holds. */
  private static List<LakeRow> decode(
      Segment segment, long start, ByteBuffer payload, boolean versioned) {
    try {
      return RowCodec.decode(new ByteSource(payload), versioned);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "Cannot read write-ahead log segment "
              + segment.path()
              + ": the record at offset "
              + (start - segment.base())
              + " is unreadable: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Checks that the files this log writes are still the ones it opened: its folder, its lock file
   * and the segment being written, each the same file (by its file key, the inode on Linux: a
   * folder deleted and made again counts as gone). When one is gone, records appended since went to
   * a deleted file, no next open will find them, and the folder's lock no longer keeps a second
   * writer out. A few file-status calls; meant to be called every second or so.
   *
   * @return what is gone, as a phrase ("the folder /data/wal no longer exists"), or empty when
   *     every file is in place or the log is closed
   */
  public synchronized Optional<String> missingFiles() {
    if (closed) {
      return Optional.empty();
    }
    String problem = changed("the folder ", directory, directoryKey);
    if (problem == null) {
      problem = changed("its lock file ", directory.resolve(LOCK_FILE), lockKey);
    }
    if (problem == null) {
      problem = changed("the segment being written, ", segmentPath(activeBase), activeKey);
    }
    return Optional.ofNullable(problem);
  }

  /** What changed about a file since its key was taken, or null when it is the same file. */
  private static String changed(String what, Path path, Object key) {
    Object now;
    try {
      now = fileKey(path);
    } catch (NoSuchFileException e) {
      return what + path + " no longer exists";
    } catch (IOException e) {
      return what + path + " cannot be read (" + e + ")";
    }
    return Objects.equals(key, now) ? null : what + path + " was replaced by another file";
  }

  /** The file's identity (device and inode on Linux), or null where the file system has none. */
  private static Object fileKey(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      if (active != null) {
        active.force(false);
        active.close();
      }
    } catch (IOException e) {
      LOG.warn("Cannot close write-ahead log segment in {}: {}", directory, e.toString());
    } finally {
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException e) {
        LOG.warn("Cannot release write-ahead log lock in {}: {}", directory, e.toString());
      }
    }
  }

  private void rollSegment() throws IOException {
    active.force(false);
    active.close();
    segments.add(new Segment(activeBase, segmentPath(activeBase), position - activeBase));
    openSegment(position);
  }

  private void openSegment(long base) throws IOException {
    Path path = segmentPath(base);
    this.active =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    if (active.size() != 0) {
      active.close();
      throw new IOException("Segment " + path + " exists and is not empty");
    }
    this.activeKey = fileKey(path);
    this.activeBase = base;
    this.position = base;
  }

  private Path segmentPath(long base) {
    return directory.resolve(String.format("%s%020d%s", SEGMENT_PREFIX, base, SEGMENT_SUFFIX));
  }

  private WalRecovery scan() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(directory)) {
      files =
          list.filter(p -> p.getFileName().toString().startsWith(SEGMENT_PREFIX))
              .filter(p -> p.getFileName().toString().endsWith(SEGMENT_SUFFIX))
              .sorted()
              .toList();
    }
    List<String> damage = new ArrayList<>();
    long[] records = {0};
    long bytesLost = 0;
    long end = 0;
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      long base = parseBase(file);
      long size = Files.size(file);
      boolean last = i == files.size() - 1;
      if (size == 0) {
        Files.delete(file);
        end = Math.max(end, base);
        continue;
      }
      List<long[]> bad = new ArrayList<>();
      long validEnd =
          readSegment(
              new Segment(base, file, size), 0, Long.MAX_VALUE, (s, e, p, v) -> records[0]++, bad);
      for (long[] region : bad) {
        bytesLost += region[1] - region[0];
        damage.add(
            String.format(
                "%s: %d bytes at offset %d unreadable (%s)",
                file.getFileName(),
                region[1] - region[0],
                region[0],
                region[1] == size ? "torn or corrupt tail, cut off" : "corrupt record, skipped"));
      }
      long keep = validEnd;
      if (keep < size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.truncate(keep);
          channel.force(true);
        }
      }
      if (keep == 0) {
        Files.delete(file);
        end = Math.max(end, base);
        continue;
      }
      segments.add(new Segment(base, file, keep));
      retainedBytes.addAndGet(keep);
      end = base + keep;
      if (!last) {
        end = Math.max(end, base + keep);
      }
    }
    for (String line : damage) {
      LOG.warn("Write-ahead log damage in {}: {}", directory, line);
    }
    long start = segments.isEmpty() ? end : segments.get(0).base();
    return new WalRecovery(start, end, records[0], damage, bytesLost);
  }

  private static long parseBase(Path file) {
    String name = file.getFileName().toString();
    try {
      return Long.parseLong(
          name.substring(SEGMENT_PREFIX.length(), name.length() - SEGMENT_SUFFIX.length()));
    } catch (NumberFormatException e) {
      throw new IllegalStateException("Invalid write-ahead log segment name: " + file, e);
    }
  }

  private interface PayloadVisitor {
    void visit(long start, long end, ByteBuffer payload, boolean versioned);
  }

  /**
   * Walks a segment's records from an offset in it (where a record starts, or else the next intact
   * record is searched for) up to a log position; returns the offset just after the last intact
   * record. Damaged regions are added to {@code bad} as [from, to) offsets when it is not null.
   */
  private long readSegment(
      Segment segment,
      long startOffset,
      long limitPosition,
      PayloadVisitor visitor,
      List<long[]> bad)
      throws IOException {
    long bytes = Math.min(segment.bytes(), limitPosition - segment.base());
    if (bytes <= 0) {
      return 0;
    }
    MappedByteBuffer mapped;
    try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
      mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, bytes);
    }
    ByteBuffer buffer = mapped.order(ByteOrder.LITTLE_ENDIAN);
    int limit = (int) bytes;
    int offset = (int) Math.min(startOffset, bytes);
    int validEnd = offset;
    CRC32C check = new CRC32C();
    while (offset < limit) {
      int length = recordLength(buffer, offset, limit, check);
      if (length < 0) {
        int next = nextRecord(buffer, offset + 1, limit, check);
        if (bad != null) {
          bad.add(new long[] {offset, next < 0 ? limit : next});
        }
        if (next < 0) {
          break;
        }
        offset = next;
        continue;
      }
      ByteBuffer payload = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      payload.position(offset + HEADER_BYTES).limit(offset + HEADER_BYTES + length);
      visitor.visit(
          segment.base() + offset,
          segment.base() + offset + HEADER_BYTES + length,
          payload.slice(),
          buffer.getInt(offset) == MAGIC);
      offset += HEADER_BYTES + length;
      validEnd = offset;
    }
    return validEnd;
  }

  /** The payload length of an intact record at an offset, or -1. */
  private static int recordLength(ByteBuffer buffer, int offset, int limit, CRC32C check) {
    if (limit - offset < HEADER_BYTES || !isMagic(buffer.getInt(offset))) {
      return -1;
    }
    int length = buffer.getInt(offset + 4);
    if (length < 0 || length > MAX_RECORD_BYTES || length > limit - offset - HEADER_BYTES) {
      return -1;
    }
    ByteBuffer payload = buffer.duplicate();
    payload.position(offset + HEADER_BYTES).limit(offset + HEADER_BYTES + length);
    check.reset();
    check.update(payload);
    return (int) check.getValue() == buffer.getInt(offset + 8) ? length : -1;
  }

  private static boolean isMagic(int value) {
    return value == MAGIC || value == MAGIC_V1;
  }

  private static int nextRecord(ByteBuffer buffer, int from, int limit, CRC32C check) {
    for (int offset = from; offset <= limit - HEADER_BYTES; offset++) {
      if (isMagic(buffer.getInt(offset)) && recordLength(buffer, offset, limit, check) >= 0) {
        return offset;
      }
    }
    return -1;
  }
}
