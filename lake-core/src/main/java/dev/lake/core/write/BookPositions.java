package dev.lake.core.write;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.table.TableDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * The last update id persisted per order book: in the delta table, from table metadata alone (the
 * upper bound of {@code last_update_id} that Iceberg keeps for every data file, grouped by the
 * file's partition (exchange, market, symbol); no data file is read), and in the write-ahead log,
 * noted while the log is replayed at open. Thread-safe.
 */
final class BookPositions {
  private static final Duration LOOKBACK = Duration.ofDays(7);

  private final Supplier<Table> deltaTable;
  private final Map<BookKey, Long> logged = new HashMap<>();

  /**
   * @param deltaTable loads the current {@code orderbook_delta} table
   */
  BookPositions(Supplier<Table> deltaTable) {
    this.deltaTable = deltaTable;
  }

  /** Notes a row read from the log: a delta's id counts as persisted. */
  void noteLogged(LakeRow row) {
    if (row instanceof OrderBookDelta delta) {
      BookKey book = new BookKey(delta.exchange(), delta.market(), delta.symbol());
      synchronized (logged) {
        logged.merge(book, delta.lastUpdateId(), Math::max);
      }
    }
  }

  /** The greatest of the table's ids (its last week's partitions) and the log's, per book. */
  Map<BookKey, Long> lastPersisted() {
    long since = Instant.now().minus(LOOKBACK).toEpochMilli() * 1000;
    Map<BookKey, Long> ids = new HashMap<>(fromTable(deltaTable.get(), since));
    synchronized (logged) {
      logged.forEach((book, id) -> ids.merge(book, id, Math::max));
    }
    return ids;
  }

  static Map<BookKey, Long> fromTable(Table deltaTable, long sinceMicros) {
    Map<BookKey, Long> positions = new HashMap<>();
    int idField = deltaTable.schema().findField("last_update_id").fieldId();
    try (CloseableIterable<FileScanTask> tasks =
        deltaTable
            .newScan()
            .filter(Expressions.greaterThanOrEqual(TableDefinition.TIME_COLUMN, sinceMicros))
            .includeColumnStats()
            .planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        BookKey book = bookOf(task.spec(), file);
        ByteBuffer bound = file.upperBounds() == null ? null : file.upperBounds().get(idField);
        if (book != null && bound != null) {
          long id = Conversions.fromByteBuffer(Types.LongType.get(), bound);
          positions.merge(book, id, Math::max);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot scan " + deltaTable.name(), e);
    }
    return positions;
  }

  private static BookKey bookOf(PartitionSpec spec, DataFile file) {
    String exchange = null;
    String market = null;
    String symbol = null;
    List<PartitionField> fields = spec.fields();
    for (int i = 0; i < fields.size(); i++) {
      if (!fields.get(i).transform().isIdentity()) {
        continue;
      }
      String source = spec.schema().findColumnName(fields.get(i).sourceId());
      Object value = file.partition().get(i, Object.class);
      String text = value == null ? null : value.toString();
      switch (source) {
        case "exchange" -> exchange = text;
        case "market" -> market = text;
        case "symbol" -> symbol = text;
        default -> {}
      }
    }
    if (exchange == null || market == null || symbol == null) {
      return null;
    }
    return new BookKey(exchange, MarketType.fromText(market), symbol);
  }
}
