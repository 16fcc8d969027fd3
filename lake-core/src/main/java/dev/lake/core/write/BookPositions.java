package dev.lake.core.write;

import dev.lake.core.model.MarketType;
import dev.lake.core.table.TableDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Finds the last update id persisted per book from table metadata alone: the upper bound of {@code
 * last_update_id} that Iceberg keeps for every data file, grouped by the file's partition
 * (exchange, market, symbol). No data file is read.
 */
final class BookPositions {
  private BookPositions() {}

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
