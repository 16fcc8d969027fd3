package dev.lake.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.table.ColumnDefinition;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.ValueKind;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
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

  /** Days 0000-01-01 and 9999-12-31 since the epoch: the years written as four digits. */
  private static final long FIRST_DAY = LocalDate.of(0, 1, 1).toEpochDay();

  private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

  /** Length of {@code 2026-11-30T01:02:03.123456Z}. */
  private static final int TIMESTAMP_LENGTH = 27;

  /** Per table, the columns of the key: exchange, market type (or market), symbol; null if none. */
  private static final Map<String, List<ColumnDefinition<LakeRow>>> KEY_COLUMNS = keyColumns();

  /** Per table, how each column of the value is written. */
  private static final Map<String, Column[]> VALUE_COLUMNS = valueColumns();

  /**
   * Rows are written one after another by one generator into one buffer, taking each row's bytes
   * out after it: a generator per row costs more than the row's JSON.
   */
  private final RowBuffer buffer = new RowBuffer();

  /** Room for the longest, of a year with ten digits and a sign, written by {@link #MICROS}. */
  private final char[] timestamp = new char[40];

  private long timestampDay = Long.MIN_VALUE;
  private JsonGenerator json;

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

  @SuppressWarnings("unchecked")
  private static Map<String, Column[]> valueColumns() {
    Map<String, Column[]> values = new HashMap<>();
    for (TableDefinition<?> table : LakeTables.all()) {
      List<Column> columns = new ArrayList<>();
      for (ColumnDefinition<?> column : table.columns()) {
        columns.add(Column.of((ColumnDefinition<LakeRow>) column));
      }
      values.put(table.name(), columns.toArray(new Column[0]));
    }
    return values;
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
    RowJson json = new RowJson();
    return new String(json.timestamp, 0, json.formatTimestamp(micros));
  }

  /**
   * Writes a timestamp into {@link #timestamp}, returning its length; the date part is kept from
   * the last call when the day is the same, as it mostly is.
   */
  private int formatTimestamp(long micros) {
    long seconds = Math.floorDiv(micros, 1_000_000L);
    long day = Math.floorDiv(seconds, 86_400L);
    if (day < FIRST_DAY || day > LAST_DAY) {
      String text =
          MICROS.format(Instant.ofEpochSecond(seconds, Math.floorMod(micros, 1_000_000L) * 1000L));
      text.getChars(0, text.length(), timestamp, 0);
      timestampDay = Long.MIN_VALUE;
      return text.length();
    }
    if (day != timestampDay) {
      LocalDate date = LocalDate.ofEpochDay(day);
      digits(date.getYear(), 0, 4);
      timestamp[4] = '-';
      digits(date.getMonthValue(), 5, 2);
      timestamp[7] = '-';
      digits(date.getDayOfMonth(), 8, 2);
      timestamp[10] = 'T';
      timestamp[13] = ':';
      timestamp[16] = ':';
      timestamp[19] = '.';
      timestamp[26] = 'Z';
      timestampDay = day;
    }
    int secondOfDay = (int) (seconds - day * 86_400L);
    digits(secondOfDay / 3600, 11, 2);
    digits(secondOfDay / 60 % 60, 14, 2);
    digits(secondOfDay % 60, 17, 2);
    digits((int) Math.floorMod(micros, 1_000_000L), 20, 6);
    return TIMESTAMP_LENGTH;
  }

  private void digits(int value, int at, int count) {
    for (int i = at + count - 1; i >= at; i--) {
      timestamp[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** A row's JSON value. */
  byte[] value(LakeRow row) {
    try {
      if (json == null) {
        json = new JsonFactory().createGenerator(buffer);
        json.setRootValueSeparator(null);
      }
      json.writeStartObject();
      for (Column column : VALUE_COLUMNS.get(row.tableName())) {
        json.writeFieldName(column.name);
        writeValue(column, row);
      }
      json.writeEndObject();
      json.flush();
    } catch (IOException e) {
      abandonRow();
      throw new UncheckedIOException("Cannot write a " + row.tableName() + " row as JSON", e);
    } catch (RuntimeException e) {
      abandonRow();
      throw e;
    }
    return buffer.takeBytes();
  }

  /** The generator is left inside an object: the next row needs a fresh one. */
  private void abandonRow() {
    json = null;
    buffer.reset();
  }

  private void writeValue(Column column, LakeRow row) throws IOException {
    ColumnDefinition<LakeRow> definition = column.definition;
    switch (column.form) {
      case TIMESTAMP -> {
        if (definition.accessor() instanceof ColumnDefinition.LongValue<LakeRow> read) {
          writeTimestamp(read.read().applyAsLong(row));
        } else if (definition.get(row) instanceof Number micros) {
          writeTimestamp(micros.longValue());
        } else {
          json.writeNull();
        }
      }
      case LONG ->
          json.writeNumber(
              ((ColumnDefinition.LongValue<LakeRow>) definition.accessor())
                  .read()
                  .applyAsLong(row));
      case INT ->
          json.writeNumber(
              ((ColumnDefinition.IntValue<LakeRow>) definition.accessor()).read().applyAsInt(row));
      case DOUBLE ->
          json.writeNumber(
              ((ColumnDefinition.DoubleValue<LakeRow>) definition.accessor())
                  .read()
                  .applyAsDouble(row));
      case BOOLEAN ->
          json.writeBoolean(
              ((ColumnDefinition.BooleanValue<LakeRow>) definition.accessor()).read().test(row));
      case LEVELS -> writeLevels(column, row);
      case OTHER -> writeObject(definition.get(row));
    }
  }

  private void writeTimestamp(long micros) throws IOException {
    json.writeString(timestamp, 0, formatTimestamp(micros));
  }

  private void writeObject(Object value) throws IOException {
    if (value == null) {
      json.writeNull();
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

  private void writeLevels(Column column, LakeRow row) throws IOException {
    @SuppressWarnings("unchecked")
    List<PriceLevel> levels = (List<PriceLevel>) column.definition.fieldValue(row);
    json.writeStartArray();
    for (PriceLevel level : levels) {
      json.writeStartObject();
      json.writeFieldName(column.levelPrice);
      json.writeNumber(level.price());
      json.writeFieldName(column.levelQuantity);
      json.writeNumber(level.quantity());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** How a column's value is read and written, chosen once per column. */
  private enum Form {
    TIMESTAMP,
    LONG,
    INT,
    DOUBLE,
    BOOLEAN,
    LEVELS,
    OTHER
  }

  /** A column with its name encoded once and the way its value is written. */
  private static final class Column {
    final ColumnDefinition<LakeRow> definition;
    final SerializableString name;
    final Form form;
    final SerializableString levelPrice;
    final SerializableString levelQuantity;

    private Column(
        ColumnDefinition<LakeRow> definition,
        Form form,
        SerializableString levelPrice,
        SerializableString levelQuantity) {
      this.definition = definition;
      this.name = new SerializedString(definition.name());
      this.form = form;
      this.levelPrice = levelPrice;
      this.levelQuantity = levelQuantity;
    }

    static Column of(ColumnDefinition<LakeRow> definition) {
      if (definition.kind() == ValueKind.PRICE_LEVELS) {
        List<Types.NestedField> fields =
            definition.type().asListType().elementType().asStructType().fields();
        return new Column(
            definition,
            Form.LEVELS,
            new SerializedString(fields.get(0).name()),
            new SerializedString(fields.get(1).name()));
      }
      return new Column(definition, form(definition), null, null);
    }

    private static Form form(ColumnDefinition<LakeRow> definition) {
      ColumnDefinition.Accessor<LakeRow> accessor = definition.accessor();
      if (definition.type().typeId() == Type.TypeID.TIMESTAMP) {
        return Form.TIMESTAMP;
      } else if (accessor instanceof ColumnDefinition.LongValue) {
        return Form.LONG;
      } else if (accessor instanceof ColumnDefinition.IntValue) {
        return Form.INT;
      } else if (accessor instanceof ColumnDefinition.DoubleValue) {
        return Form.DOUBLE;
      } else if (accessor instanceof ColumnDefinition.BooleanValue) {
        return Form.BOOLEAN;
      }
      return Form.OTHER;
    }
  }

  /**
   * A byte buffer whose content is taken out row by row (unlike {@link
   * java.io.ByteArrayOutputStream}, without a lock per call).
   */
  private static final class RowBuffer extends OutputStream {
    private byte[] bytes = new byte[1024];
    private int size;

    @Override
    public void write(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
      ensure(length);
      System.arraycopy(source, offset, bytes, size, length);
      size += length;
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    void reset() {
      size = 0;
    }

    byte[] takeBytes() {
      byte[] taken = Arrays.copyOf(bytes, size);
      size = 0;
      return taken;
    }
  }
}
