package dev.lake.kafka;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.table.ColumnDefinition;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.ValueKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A row as Kafka carries it: the key {@code exchange|market_type|symbol} (the delta table's {@code
 * market} in the middle; an empty part where a row has none, e.g. a stream event without a symbol),
 * and the value a JSON object with the table's column names, every column of the table in order,
 * null where a value is missing; timestamps as ISO-8601 text in UTC with six fraction digits
 * ({@code 2026-11-30T01:02:03.123456Z}); price levels as arrays of {@code {"price", "quantity"}}.
 * Not thread-safe: one per producing thread.
 */
final class RowJson {
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

  private final JsonFactory factory = new JsonFactory();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);

  /** Per table, the columns of the key: exchange, market type (or market), symbol; null if none. */
  private static final Map<String, List<ColumnDefinition<LakeRow>>> KEY_COLUMNS = keyColumns();

  @SuppressWarnings("unchecked")
  private static Map<String, List<ColumnDefinition<LakeRow>>> keyColumns() {
    Map<String, List<ColumnDefinition<LakeRow>>> keys = new HashMap<>();
    for (TableDefinition<?> table : LakeTables.all()) {
      List<ColumnDefinition<LakeRow>> columns = new ArrayList<>();
      for (String name : List.of("exchange", "market_type|market", "symbol")) {
        ColumnDefinition<LakeRow> found = null;
        for (ColumnDefinition<?> column : table.columns()) {
          if (found == null && List.of(name.split("\\|")).contains(column.name())) {
            found = (ColumnDefinition<LakeRow>) column;
          }
        }
        columns.add(found);
      }
      keys.put(table.name(), columns);
    }
    return keys;
  }

  /** The key of a row's book. */
  static byte[] key(LakeRow row) {
    StringBuilder key = new StringBuilder(48);
    List<ColumnDefinition<LakeRow>> columns = KEY_COLUMNS.get(row.tableName());
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        key.append('|');
      }
      ColumnDefinition<LakeRow> column = columns.get(i);
      Object value = column == null ? null : column.get(row);
      if (value != null) {
        key.append(value);
      }
    }
    return key.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A timestamp in epoch microseconds as ISO-8601 text with six fraction digits. */
  static String timestamp(long micros) {
    return MICROS.format(
        Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L));
  }

  /** A row's JSON value. */
  byte[] value(LakeRow row) {
    buffer.reset();
    try (JsonGenerator json = factory.createGenerator(buffer, JsonEncoding.UTF8)) {
      json.writeStartObject();
      TableDefinition<LakeRow> table = LakeTables.of(row);
      for (ColumnDefinition<LakeRow> column : table.columns()) {
        json.writeFieldName(column.name());
        writeValue(json, column, row);
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a " + row.tableName() + " row as JSON", e);
    }
    return buffer.toByteArray();
  }

  private static void writeValue(JsonGenerator json, ColumnDefinition<LakeRow> column, LakeRow row)
      throws IOException {
    if (column.kind() == ValueKind.PRICE_LEVELS) {
      writeLevels(json, column, row);
      return;
    }
    Object value = column.get(row);
    if (value == null) {
      json.writeNull();
    } else if (column.type().typeId() == Type.TypeID.TIMESTAMP) {
      json.writeString(timestamp(((Number) value).longValue()));
    } else if (value instanceof Double number) {
      json.writeNumber(number);
    } else if (value instanceof Long number) {
      json.writeNumber(number);
    } else if (value instanceof Integer number) {
      json.writeNumber(number);
    } else if (value instanceof Boolean flag) {
      json.writeBoolean(flag);
    } else {
      json.writeString(value.toString());
    }
  }

  private static void writeLevels(JsonGenerator json, ColumnDefinition<LakeRow> column, LakeRow row)
      throws IOException {
    List<Types.NestedField> fields =
        column.type().asListType().elementType().asStructType().fields();
    String priceName = fields.get(0).name();
    String quantityName = fields.get(1).name();
    @SuppressWarnings("unchecked")
    List<PriceLevel> levels = (List<PriceLevel>) column.fieldValue(row);
    json.writeStartArray();
    for (PriceLevel level : levels) {
      json.writeStartObject();
      json.writeNumberField(priceName, level.price());
      json.writeNumberField(quantityName, level.quantity());
      json.writeEndObject();
    }
    json.writeEndArray();
  }
}
