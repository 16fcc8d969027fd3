package dev.lake.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One text per row, the same for a row read by Spark and by Iceberg's generic reader: timestamps as
 * microseconds since the epoch, doubles as Java prints them, lists and structs spelled out. Two
 * readers agree on a table when the sorted texts of their rows are equal.
 */
final class CanonicalRows {
  private CanonicalRows() {}

  static List<String> ofIceberg(Table table) {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(record -> rows.add(text(record)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows.sort(null);
    return rows;
  }

  static List<String> ofSpark(List<Row> sparkRows) {
    List<String> rows = new ArrayList<>(sparkRows.size());
    sparkRows.forEach(row -> rows.add(text(row)));
    rows.sort(null);
    return rows;
  }

  private static String text(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof Instant instant) {
      return Long.toString(micros(instant));
    } else if (value instanceof OffsetDateTime time) {
      return Long.toString(micros(time.toInstant()));
    } else if (value instanceof Timestamp timestamp) {
      return Long.toString(micros(timestamp.toInstant()));
    } else if (value instanceof Row row) {
      StringJoiner fields = new StringJoiner(",", "{", "}");
      for (int i = 0; i < row.length(); i++) {
        fields.add(text(row.get(i)));
      }
      return fields.toString();
    } else if (value instanceof StructLike struct) {
      StringJoiner fields = new StringJoiner(",", "{", "}");
      for (int i = 0; i < struct.size(); i++) {
        fields.add(text(struct.get(i, Object.class)));
      }
      return fields.toString();
    } else if (value instanceof scala.collection.Seq<?> seq) {
      return text(CollectionConverters.asJava(seq));
    } else if (value instanceof Collection<?> list) {
      StringJoiner items = new StringJoiner(",", "[", "]");
      list.forEach(item -> items.add(text(item)));
      return items.toString();
    }
    return value.toString();
  }

  private static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
  }
}
