package dev.lake.core.write;

import static java.util.Objects.requireNonNull;

import dev.lake.core.internal.wal.WriteAheadLog;
import dev.lake.core.model.LakeRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.iceberg.Table;

/**
 * Forgetting a writer that will not come back (a shard retired, a log folder given up): each writer
 * keeps its position in a table property of every table it committed to ({@link
 * LakeWriter#positionProperty}), and those properties would otherwise stay for good.
 */
public final class RetiredWriters {
  private static final long SEGMENT_BYTES = 64L * 1024 * 1024;

  private RetiredWriters() {}

  /**
   * The writer id a log folder belongs to, read without opening the log.
   *
   * @return empty when the folder holds no log
   */
  public static Optional<String> writerIdOf(Path walDirectory) {
    Path file = walDirectory.resolve("writer-id");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
      return id.isEmpty() ? Optional.empty() : Optional.of(id);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the writer id in " + walDirectory, e);
    }
  }

  /**
   * Counts the rows a log holds that are not yet committed to their tables: the rows a writer
   * opened on the folder would commit.
   *
   * @param walDirectory the log folder
   * @param tables the table a row belongs to, by table name
   * @throws WalLockedException when a writer has the folder open
   */
  public static long uncommittedRows(Path walDirectory, Function<String, Table> tables) {
    requireNonNull(tables, "tables is null");
    try (WriteAheadLog log = WriteAheadLog.open(walDirectory, SEGMENT_BYTES)) {
      Map<String, Long> committed = new HashMap<>();
      long[] rows = {0};
      log.replay(
          log.startPosition(),
          log.endPosition(),
          (start, end, records) ->
              rows[0] += uncommitted(log.writerId(), end, records, tables, committed));
      return rows[0];
    }
  }

  private static long uncommitted(
      String writerId,
      long end,
      List<LakeRow> records,
      Function<String, Table> tables,
      Map<String, Long> committed) {
    long count = 0;
    for (LakeRow row : records) {
      long position =
          committed.computeIfAbsent(
              row.tableName(), name -> CommitPositions.committed(tables.apply(name), writerId));
      if (position < end) {
        count++;
      }
    }
    return count;
  }

  /**
   * Removes a writer's position property from a table. The position stays in the snapshot summaries
   * of the writer's appends while those snapshots are kept, so a writer that does come back still
   * never commits a row twice while they last.
   *
   * @return the position removed, or empty when the table had none for that writer
   */
  public static OptionalLong forget(Table table, String writerId) {
    String property = CommitPositions.property(requireNonNull(writerId, "writerId is null"));
    table.refresh();
    String value = table.properties().get(property);
    if (value == null) {
      return OptionalLong.empty();
    }
    table.updateProperties().remove(property).commit();
    return OptionalLong.of(Long.parseLong(value));
  }
}
