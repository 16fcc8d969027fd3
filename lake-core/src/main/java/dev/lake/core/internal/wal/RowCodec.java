package dev.lake.core.internal.wal;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.StoredEnum;
import dev.lake.core.table.ColumnDefinition;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of rows in write-ahead log records, derived from the table definitions of {@link
 * LakeTables}. One record holds a batch of rows; strings repeated within a record (exchange,
 * symbol) are written once and referenced after.
 *
 * <p>Format 2: the format version (a byte), the row count, then per row its table's {@link
 * TableDefinition#logCode()} (a byte) and its stored columns in field-id order; the first row of a
 * table in a record also gives how many columns its rows hold, so that a log written before a
 * column was added is still read (the missing trailing columns are null). Enums are their {@link
 * StoredEnum#code()}; the second and later microsecond times of a row are differences from its
 * first. Records of format 1 are read by {@link RowCodecV1}.
 *
 * <p>Stateless; the {@link ByteSink} and {@link ByteSource} it is given are not thread-safe.
 */
final class RowCodec {
  /** The format this release writes. */
  static final int FORMAT_VERSION = 2;

  private static final Layout<?>[] BY_CODE = layouts();

  /** A table's definition and its stored columns. */
  private record Layout<R extends LakeRow>(
      TableDefinition<R> definition, ColumnDefinition<R>[] columns) {}

  // Constant method handles, which the JIT compiles like code written for each row type; the
  // elements of an array are not constants. One slot per log code (checked at start).
  private static final MethodHandle WRITER_0 = writerOf(0);
  private static final MethodHandle WRITER_1 = writerOf(1);
  private static final MethodHandle WRITER_2 = writerOf(2);
  private static final MethodHandle WRITER_3 = writerOf(3);
  private static final MethodHandle WRITER_4 = writerOf(4);
  private static final MethodHandle WRITER_5 = writerOf(5);
  private static final MethodHandle WRITER_6 = writerOf(6);
  private static final MethodHandle WRITER_7 = writerOf(7);
  private static final int WRITER_SLOTS = 8;
  private static final MethodHandle READER_0 = readerOf(0);
  private static final MethodHandle READER_1 = readerOf(1);
  private static final MethodHandle READER_2 = readerOf(2);
  private static final MethodHandle READER_3 = readerOf(3);
  private static final MethodHandle READER_4 = readerOf(4);
  private static final MethodHandle READER_5 = readerOf(5);
  private static final MethodHandle READER_6 = readerOf(6);
  private static final MethodHandle READER_7 = readerOf(7);

  private RowCodec() {}

  private static Layout<?>[] layouts() {
    int max = 0;
    for (TableDefinition<?> definition : LakeTables.all()) {
      max = Math.max(max, definition.logCode());
    }
    Layout<?>[] layouts = new Layout<?>[max + 1];
    for (TableDefinition<?> definition : LakeTables.all()) {
      int code = definition.logCode();
      // the codes index a bit set of the tables a record holds
      if (code < 0 || code > 63 || layouts[code] != null) {
        throw new IllegalStateException(
            "Invalid log code of table "
                + definition.name()
                + ": "
                + code
                + " (expected 0 to 63, unique among the tables)");
      }
      layouts[code] = layout(definition);
    }
    return layouts;
  }

  @SuppressWarnings("unchecked")
  private static <R extends LakeRow> Layout<R> layout(TableDefinition<R> definition) {
    if (definition.logCode() >= WRITER_SLOTS) {
      throw new IllegalStateException(
          "Cannot encode rows of table "
              + definition.name()
              + ": its log code "
              + definition.logCode()
              + " has no writer slot in RowCodec (add one)");
    }
    return new Layout<>(definition, definition.storedColumns().toArray(new ColumnDefinition[0]));
  }

  private static MethodHandle writerOf(int code) {
    Layout<?> layout = code < BY_CODE.length ? BY_CODE[code] : null;
    return layout == null
        ? MethodHandles.empty(MethodType.methodType(void.class, ByteSink.class, Object.class))
        : RowWriters.writer(layout.definition());
  }

  private static MethodHandle readerOf(int code) {
    Layout<?> layout = code < BY_CODE.length ? BY_CODE[code] : null;
    return layout == null
        ? MethodHandles.dropArguments(
            MethodHandles.constant(Object.class, null), 0, ByteSource.class)
        : RowReaders.reader(layout.definition());
  }

  private static Layout<?> layoutOf(LakeRow row) {
    for (Layout<?> layout : BY_CODE) {
      if (layout != null && layout.definition().rowType() == row.getClass()) {
        return layout;
      }
    }
    throw new IllegalArgumentException("Invalid row: " + row.getClass().getName());
  }

  /** Encodes a batch of rows as one record payload of format {@link #FORMAT_VERSION}. */
  static void encode(List<? extends LakeRow> rows, ByteSink out) {
    out.beginRecord();
    out.writeByte(FORMAT_VERSION);
    out.writeVarLong(rows.size());
    long tablesSeen = 0;
    Layout<?> layout = null;
    for (LakeRow row : rows) {
      if (layout == null || layout.definition().rowType() != row.getClass()) {
        layout = layoutOf(row);
      }
      int code = layout.definition().logCode();
      out.writeByte(code);
      if ((tablesSeen & (1L << code)) == 0) {
        tablesSeen |= 1L << code;
        out.writeVarLong(layout.columns().length);
      }
      encodeRow(code, row, out);
    }
  }

  /**
   * The log code of a table whose rows this codec encodes, for {@link #encodeRow} and {@link
   * #decodeRow(int, ByteSource)}.
   *
   * @throws IllegalArgumentException for a table not among {@link LakeTables#all()}
   */
  static int codeOf(TableDefinition<?> definition) {
    int code = definition.logCode();
    if (code < 0
        || code >= BY_CODE.length
        || BY_CODE[code] == null
        || BY_CODE[code].definition() != definition) {
      throw new IllegalArgumentException(
          "Invalid table: " + definition.name() + " (expected one of " + codes() + ")");
    }
    return code;
  }

  /** Writes one row's stored columns, as a record does, without its code or column count. */
  static void encodeRow(int code, LakeRow row, ByteSink out) {
    try {
      switch (code) {
        case 0 -> WRITER_0.invokeExact(out, (Object) row);
        case 1 -> WRITER_1.invokeExact(out, (Object) row);
        case 2 -> WRITER_2.invokeExact(out, (Object) row);
        case 3 -> WRITER_3.invokeExact(out, (Object) row);
        case 4 -> WRITER_4.invokeExact(out, (Object) row);
        case 5 -> WRITER_5.invokeExact(out, (Object) row);
        case 6 -> WRITER_6.invokeExact(out, (Object) row);
        case 7 -> WRITER_7.invokeExact(out, (Object) row);
        default -> throw new IllegalStateException("Invalid log code: " + code);
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("Cannot encode row: " + e, e);
    }
  }

  /**
   * Decodes a record payload into its rows.
   *
   * @param versioned true for a record whose payload starts with its format version, false for a
   *     record of format 1
   * @throws IllegalStateException naming the unknown format version, row type code, enum code or
   *     column count found
   */
  static List<LakeRow> decode(ByteSource in, boolean versioned) {
    if (!versioned) {
      return RowCodecV1.decode(in);
    }
    int version = in.readByte();
    if (version != FORMAT_VERSION) {
      throw new IllegalStateException(
          "Invalid format version: "
              + version
              + " (expected 1 or "
              + FORMAT_VERSION
              + "; a later release of lake wrote it)");
    }
    in.beginRecord();
    int count = (int) in.readVarLong();
    List<LakeRow> rows = new ArrayList<>(count);
    int[] columnCounts = new int[BY_CODE.length];
    for (int i = 0; i < count; i++) {
      int code = in.readByte();
      Layout<?> layout = code < BY_CODE.length ? BY_CODE[code] : null;
      if (layout == null) {
        throw new IllegalStateException(
            "Invalid row type code: " + code + " (expected one of " + codes() + ")");
      }
      if (columnCounts[code] == 0) {
        columnCounts[code] = columnCount(layout, in.readVarLong());
      }
      rows.add(decodeRow(layout, columnCounts[code], in));
    }
    return rows;
  }

  /** Reads one row {@link #encodeRow} wrote, with every column of this release. */
  static LakeRow decodeRow(int code, ByteSource in) {
    Layout<?> layout = BY_CODE[code];
    return decodeRow(layout, layout.columns().length, in);
  }

  /** Reads a row with every column of this release through its table's constant reader. */
  private static Object read(int code, ByteSource in) {
    try {
      return switch (code) {
        case 0 -> (Object) READER_0.invokeExact(in);
        case 1 -> (Object) READER_1.invokeExact(in);
        case 2 -> (Object) READER_2.invokeExact(in);
        case 3 -> (Object) READER_3.invokeExact(in);
        case 4 -> (Object) READER_4.invokeExact(in);
        case 5 -> (Object) READER_5.invokeExact(in);
        case 6 -> (Object) READER_6.invokeExact(in);
        case 7 -> (Object) READER_7.invokeExact(in);
        default -> throw new IllegalStateException("Invalid log code: " + code);
      };
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("Cannot decode row: " + e, e);
    }
  }

  private static int columnCount(Layout<?> layout, long written) {
    if (written < 1 || written > layout.columns().length) {
      throw new IllegalStateException(
          "Invalid column count of "
              + layout.definition().name()
              + ": "
              + written
              + " (expected 1 to "
              + layout.columns().length
              + "; more were written by a later release of lake)");
    }
    return (int) written;
  }

  private static <R extends LakeRow> R decodeRow(Layout<R> layout, int written, ByteSource in) {
    ColumnDefinition<R>[] columns = layout.columns();
    if (written == columns.length) {
      return layout.definition().rowType().cast(read(layout.definition().logCode(), in));
    }
    Object[] fields = new Object[columns.length];
    boolean timed = false;
    long firstTime = 0;
    for (int i = 0; i < columns.length; i++) {
      ColumnDefinition<R> column = columns[i];
      if (i >= written) {
        fields[column.fieldIndex()] = absent(layout, column);
        continue;
      }
      Object value =
          switch (column.kind()) {
            case TEXT -> in.readString();
            case ENUM -> enumOfCode(layout.definition(), column, in.readByte());
            case LONG -> in.readVarLong();
            case INT -> (int) in.readVarLong();
            case OPTIONAL_LONG -> in.readNullableLong();
            case DOUBLE -> in.readDouble();
            case OPTIONAL_DOUBLE -> in.readNullableDouble();
            case BOOLEAN -> in.readByte() != 0;
            case TIME_MICROS -> {
              long micros = in.readVarLong();
              if (timed) {
                micros += firstTime;
              } else {
                timed = true;
                firstTime = micros;
              }
              yield micros;
            }
            case TIME_MILLIS -> in.readVarLong();
            case PRICE_LEVELS -> readLevels(in);
            case DERIVED -> throw new IllegalStateException("Derived column stored: " + column);
          };
      fields[column.fieldIndex()] = value;
    }
    return layout.definition().newRow(fields);
  }

  /** An enum column's constant of a code; throws naming the column for an unknown code. */
  static StoredEnum enumOfCode(TableDefinition<?> table, ColumnDefinition<?> column, int code) {
    StoredEnum value = column.enumOfCode(code);
    if (value == null) {
      throw new IllegalStateException(
          "Invalid code of "
              + table.name()
              + "."
              + column.name()
              + ": "
              + code
              + " (expected one of "
              + column.enumCodesAndTexts()
              + ")");
    }
    return value;
  }

  /** The value of a column a record written before the column existed does not hold. */
  private static Object absent(Layout<?> layout, ColumnDefinition<?> column) {
    if (column.isRequired()) {
      throw new IllegalStateException(
          "Cannot read a row of "
              + layout.definition().name()
              + ": it was written before its required column "
              + column.name()
              + " existed");
    }
    return null;
  }

  static List<PriceLevel> readLevels(ByteSource in) {
    int count = (int) in.readVarLong();
    List<PriceLevel> levels = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      levels.add(new PriceLevel(in.readDouble(), in.readDouble()));
    }
    return levels;
  }

  private static String codes() {
    StringBuilder out = new StringBuilder();
    for (Layout<?> layout : BY_CODE) {
      if (layout != null) {
        out.append(out.length() == 0 ? "" : ", ")
            .append(layout.definition().logCode())
            .append(' ')
            .append(layout.definition().name());
      }
    }
    return out.toString();
  }
}
