package dev.lake.core.wal;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.StoredEnum;
import dev.lake.core.table.ColumnDefinition;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.ValueKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

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

  /**
   * A table's stored columns as arrays of typed getters, for the append path: slot {@code i} of the
   * array of column {@code i}'s kind holds its getter, so that no value is boxed.
   */
  private static final class Layout<R extends LakeRow> {
    final TableDefinition<R> definition;
    final ColumnDefinition<R>[] columns;
    final ValueKind[] kinds;
    final Function<R, String>[] texts;
    final Function<R, ? extends Enum<?>>[] enums;
    final int[][] enumCodes;
    final ToLongFunction<R>[] longs;
    final ToDoubleFunction<R>[] doubles;
    final Function<R, Long>[] optionalLongs;
    final Function<R, Double>[] optionalDoubles;
    final Predicate<R>[] booleans;

    @SuppressWarnings({"unchecked", "rawtypes"})
    Layout(TableDefinition<R> definition) {
      this.definition = definition;
      List<ColumnDefinition<R>> stored = definition.storedColumns();
      int n = stored.size();
      columns = stored.toArray(new ColumnDefinition[0]);
      kinds = new ValueKind[n];
      texts = new Function[n];
      enums = new Function[n];
      enumCodes = new int[n][];
      longs = new ToLongFunction[n];
      doubles = new ToDoubleFunction[n];
      optionalLongs = new Function[n];
      optionalDoubles = new Function[n];
      booleans = new Predicate[n];
      for (int i = 0; i < n; i++) {
        ColumnDefinition<R> column = columns[i];
        ColumnDefinition.Accessor<R> accessor = column.accessor();
        kinds[i] = column.kind();
        switch (column.kind()) {
          case TEXT -> texts[i] = ((ColumnDefinition.TextValue<R>) accessor).read();
          case ENUM -> {
            enums[i] = row -> (Enum<?>) column.fieldValue(row);
            enumCodes[i] = codesByOrdinal(column);
          }
          case LONG, TIME_MICROS, TIME_MILLIS ->
              longs[i] = ((ColumnDefinition.LongValue<R>) accessor).read();
          case INT -> {
            ToIntFunction<R> read = ((ColumnDefinition.IntValue<R>) accessor).read();
            longs[i] = read::applyAsInt;
          }
          case DOUBLE -> doubles[i] = ((ColumnDefinition.DoubleValue<R>) accessor).read();
          case OPTIONAL_LONG ->
              optionalLongs[i] = ((ColumnDefinition.NullableLong<R>) accessor).read();
          case OPTIONAL_DOUBLE ->
              optionalDoubles[i] = ((ColumnDefinition.NullableDouble<R>) accessor).read();
          case BOOLEAN -> booleans[i] = ((ColumnDefinition.BooleanValue<R>) accessor).read();
          case PRICE_LEVELS -> enums[i] = null;
          case DERIVED -> throw new IllegalStateException("Derived column stored: " + column);
        }
      }
    }

    /** An enum's codes by ordinal: {@link Enum#ordinal()} is final, {@code code()} a call. */
    private static int[] codesByOrdinal(ColumnDefinition<?> column) {
      List<Integer> codes = new ArrayList<>();
      for (int code = 1; code < 256; code++) {
        StoredEnum constant = column.enumOfCode(code);
        if (constant != null) {
          int ordinal = ((Enum<?>) constant).ordinal();
          while (codes.size() <= ordinal) {
            codes.add(0);
          }
          codes.set(ordinal, code);
        }
      }
      return codes.stream().mapToInt(Integer::intValue).toArray();
    }

    TableDefinition<R> definition() {
      return definition;
    }

    ColumnDefinition<R>[] columns() {
      return columns;
    }
  }

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

  private static <R extends LakeRow> Layout<R> layout(TableDefinition<R> definition) {
    return new Layout<>(definition);
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
    for (int i = 0, n = rows.size(); i < n; i++) {
      LakeRow row = rows.get(i);
      if (layout == null || layout.definition().rowType() != row.getClass()) {
        layout = layoutOf(row);
      }
      int code = layout.definition().logCode();
      out.writeByte(code);
      if ((tablesSeen & (1L << code)) == 0) {
        tablesSeen |= 1L << code;
        out.writeVarLong(layout.columns().length);
      }
      encodeRow(layout, row, out);
    }
  }

  @SuppressWarnings("unchecked")
  private static <R extends LakeRow> void encodeRow(Layout<R> layout, LakeRow value, ByteSink out) {
    R row = (R) value;
    ValueKind[] kinds = layout.kinds;
    boolean timed = false;
    long firstTime = 0;
    for (int i = 0; i < kinds.length; i++) {
      switch (kinds[i]) {
        case TEXT -> out.writeString(layout.texts[i].apply(row));
        case ENUM -> out.writeByte(layout.enumCodes[i][layout.enums[i].apply(row).ordinal()]);
        case LONG, INT -> out.writeVarLong(layout.longs[i].applyAsLong(row));
        case OPTIONAL_LONG -> out.writeNullableLong(layout.optionalLongs[i].apply(row));
        case DOUBLE -> out.writeDouble(layout.doubles[i].applyAsDouble(row));
        case OPTIONAL_DOUBLE -> out.writeNullableDouble(layout.optionalDoubles[i].apply(row));
        case BOOLEAN -> out.writeByte(layout.booleans[i].test(row) ? 1 : 0);
        case TIME_MICROS -> {
          long micros = layout.longs[i].applyAsLong(row);
          out.writeVarLong(timed ? micros - firstTime : micros);
          if (!timed) {
            timed = true;
            firstTime = micros;
          }
        }
        case TIME_MILLIS -> out.writeVarLong(layout.longs[i].applyAsLong(row) / 1000L);
        case PRICE_LEVELS -> writeLevels(layout.columns[i].fieldValue(row), out);
        case DERIVED -> throw new IllegalStateException("Derived column stored");
      }
    }
  }

  private static void writeLevels(Object value, ByteSink out) {
    @SuppressWarnings("unchecked")
    List<PriceLevel> levels = (List<PriceLevel>) value;
    out.writeVarLong(levels.size());
    for (int i = 0, n = levels.size(); i < n; i++) {
      PriceLevel level = levels.get(i);
      out.writeDouble(level.price());
      out.writeDouble(level.quantity());
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
            case ENUM -> enumOfCode(layout, column, in.readByte());
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

  private static Object enumOfCode(Layout<?> layout, ColumnDefinition<?> column, int code) {
    StoredEnum value = column.enumOfCode(code);
    if (value == null) {
      throw new IllegalStateException(
          "Invalid code of "
              + layout.definition().name()
              + "."
              + column.name()
              + ": "
              + code
              + " (expected one of "
              + column.enumValues(true)
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

  private static List<PriceLevel> readLevels(ByteSource in) {
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
