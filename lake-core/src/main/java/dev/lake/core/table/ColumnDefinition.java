package dev.lake.core.table;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.StoredEnum;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * One column of a lake table: its Iceberg field and how to read it from a row, both typed (so a
 * writer can move primitives without boxing) and in Iceberg's internal representation
 * (CharSequence, Integer, Long, Double, Boolean, timestamps as Long microseconds, lists); what it
 * holds ({@link ValueKind}) and which component of the row record it stores, from which the
 * write-ahead log's encoding and the read-back into rows follow.
 *
 * @param <R> the row type
 */
public final class ColumnDefinition<R> {
  /** How a column's value is read from a row. */
  public sealed interface Accessor<R>
      permits LongValue,
          DoubleValue,
          IntValue,
          BooleanValue,
          TextValue,
          NullableLong,
          NullableDouble,
          AnyValue {
    Object get(R row);
  }

  /** A required long (or timestamp in microseconds). */
  public record LongValue<R>(ToLongFunction<R> read) implements Accessor<R> {
    @Override
    public Object get(R row) {
      return read.applyAsLong(row);
    }
  }

  /** A required double. */
  public record DoubleValue<R>(ToDoubleFunction<R> read) implements Accessor<R> {
    @Override
    public Object get(R row) {
      return read.applyAsDouble(row);
    }
  }

  /** A required int. */
  public record IntValue<R>(ToIntFunction<R> read) implements Accessor<R> {
    @Override
    public Object get(R row) {
      return read.applyAsInt(row);
    }
  }

  /** A required boolean. */
  public record BooleanValue<R>(Predicate<R> read) implements Accessor<R> {
    @Override
    public Object get(R row) {
      return read.test(row);
    }
  }

  /** A string, possibly null for optional columns. */
  public record TextValue<R>(Function<R, String> read) implements Accessor<R> {
    @Override
    public Object get(R row) {
      return read.apply(row);
    }
  }

  /** An optional long. */
  public record NullableLong<R>(Function<R, Long> read) implements Accessor<R> {
    @Override
    public Object get(R row) {
      return read.apply(row);
    }
  }

  /** An optional double. */
  public record NullableDouble<R>(Function<R, Double> read) implements Accessor<R> {
    @Override
    public Object get(R row) {
      return read.apply(row);
    }
  }

  /** Anything else (lists of structs), in Iceberg's internal representation. */
  public record AnyValue<R>(Function<R, Object> read) implements Accessor<R> {
    @Override
    public Object get(R row) {
      return read.apply(row);
    }
  }

  private final Types.NestedField field;
  private final Accessor<R> accessor;
  private final boolean added;
  private final ColumnEncoding encoding;
  private final List<String> formerNames;
  private final ValueKind kind;
  private final String fieldName;
  private final int fieldIndex;
  private final Function<R, ?> fieldValue;
  private final StoredEnum[] enumsByCode;

  /**
   * A column of a table definition.
   *
   * @param fieldName the record component the column stores, or null for a derived column
   * @param fieldValue reads that component, for {@link ValueKind#ENUM} and {@link
   *     ValueKind#PRICE_LEVELS} columns (whose accessor gives the table's representation); null for
   *     the others
   * @param enumType the component's enum type for an {@link ValueKind#ENUM} column, else null
   */
  ColumnDefinition(
      Types.NestedField field,
      Accessor<R> accessor,
      boolean added,
      ColumnEncoding encoding,
      ValueKind kind,
      String fieldName,
      Function<R, ?> fieldValue,
      Class<? extends StoredEnum> enumType) {
    this(
        field,
        accessor,
        added,
        encoding,
        List.of(),
        kind,
        fieldName,
        -1,
        fieldValue,
        enumType == null ? null : byCode(enumType));
  }

  private ColumnDefinition(
      Types.NestedField field,
      Accessor<R> accessor,
      boolean added,
      ColumnEncoding encoding,
      List<String> formerNames,
      ValueKind kind,
      String fieldName,
      int fieldIndex,
      Function<R, ?> fieldValue,
      StoredEnum[] enumsByCode) {
    this.field = requireNonNull(field, "field is null");
    this.accessor = requireNonNull(accessor, "accessor is null");
    this.added = added;
    this.encoding = requireNonNull(encoding, "encoding is null");
    this.formerNames = List.copyOf(formerNames);
    this.kind = requireNonNull(kind, "kind is null");
    this.fieldName = fieldName;
    this.fieldIndex = fieldIndex;
    this.fieldValue = fieldValue;
    this.enumsByCode = enumsByCode;
  }

  private static StoredEnum[] byCode(Class<? extends StoredEnum> type) {
    StoredEnum[] constants = type.getEnumConstants();
    int max = 0;
    for (StoredEnum constant : constants) {
      max = Math.max(max, constant.code());
    }
    StoredEnum[] table = new StoredEnum[max + 1];
    for (StoredEnum constant : constants) {
      int code = constant.code();
      if (code < 1 || code > 255 || table[code] != null) {
        throw new IllegalStateException(
            "Invalid code of "
                + type.getSimpleName()
                + "."
                + constant
                + ": "
                + code
                + " (expected 1 to 255, unique within the enum)");
      }
      table[code] = constant;
    }
    return table;
  }

  /** The Iceberg field: id, name, type, required or optional, doc. */
  public Types.NestedField field() {
    return field;
  }

  public String name() {
    return field.name();
  }

  public Type type() {
    return field.type();
  }

  public boolean isRequired() {
    return field.isRequired();
  }

  /** True for the columns lake adds to the seed's schemas. */
  public boolean isAdded() {
    return added;
  }

  /** How lake's streaming writer encodes the column in Parquet. */
  public ColumnEncoding encoding() {
    return encoding;
  }

  ColumnDefinition<R> withEncoding(ColumnEncoding value) {
    return new ColumnDefinition<>(
        field,
        accessor,
        added,
        value,
        formerNames,
        kind,
        fieldName,
        fieldIndex,
        fieldValue,
        enumsByCode);
  }

  /**
   * The names the column had in tables made by an older lake, oldest first; empty for a column
   * never renamed. {@link TableManager} renames a column it finds under one of them, which keeps
   * its field id and so its data.
   */
  public List<String> formerNames() {
    return formerNames;
  }

  ColumnDefinition<R> withFormerNames(List<String> value) {
    return new ColumnDefinition<>(
        field,
        accessor,
        added,
        encoding,
        value,
        kind,
        fieldName,
        fieldIndex,
        fieldValue,
        enumsByCode);
  }

  ColumnDefinition<R> withField(String name) {
    return new ColumnDefinition<>(
        field,
        accessor,
        added,
        encoding,
        formerNames,
        kind,
        name,
        fieldIndex,
        fieldValue,
        enumsByCode);
  }

  ColumnDefinition<R> withFieldIndex(int index) {
    return new ColumnDefinition<>(
        field,
        accessor,
        added,
        encoding,
        formerNames,
        kind,
        fieldName,
        index,
        fieldValue,
        enumsByCode);
  }

  /** The typed accessor. */
  public Accessor<R> accessor() {
    return accessor;
  }

  /** Reads this column's value from a row, in Iceberg's internal representation. */
  public Object get(R row) {
    return accessor.get(row);
  }

  /** What the column holds; {@link ValueKind#DERIVED} for a column computed from others. */
  public ValueKind kind() {
    return kind;
  }

  /** True when the column stores a component of the row record (every kind but derived). */
  public boolean isStored() {
    return kind != ValueKind.DERIVED;
  }

  /** The name of the record component the column stores, or null for a derived column. */
  public String fieldName() {
    return fieldName;
  }

  /**
   * The position of the stored component among the row record's components (the argument position
   * in its canonical constructor), or -1 for a derived column.
   */
  public int fieldIndex() {
    return fieldIndex;
  }

  /**
   * The stored component of an {@link ValueKind#ENUM} column (a {@link StoredEnum}) or a {@link
   * ValueKind#PRICE_LEVELS} column (a {@code List<PriceLevel>}).
   *
   * @throws IllegalStateException for a column of another kind
   */
  public Object fieldValue(R row) {
    if (fieldValue == null) {
      throw new IllegalStateException("Cannot read column " + name() + " as an object: " + kind);
    }
    return fieldValue.apply(row);
  }

  /**
   * The constant of an {@link ValueKind#ENUM} column's enum with a code.
   *
   * @return the constant, or null when no constant has the code
   */
  public StoredEnum enumOfCode(int code) {
    return code > 0 && code < enumsByCode.length ? enumsByCode[code] : null;
  }

  /**
   * The constant of an {@link ValueKind#ENUM} column's enum with a text.
   *
   * @throws IllegalArgumentException naming the column, the value and the accepted ones
   */
  public StoredEnum enumOfText(String text) {
    for (StoredEnum constant : enumsByCode) {
      if (constant != null && constant.text().equals(text)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        "Invalid " + name() + ": " + text + " (expected one of " + enumTexts() + ")");
  }

  /** The texts of an {@link ValueKind#ENUM} column's enum, as "buy, sell". */
  public String enumTexts() {
    return describeEnum(false);
  }

  /** The codes and texts of an {@link ValueKind#ENUM} column's enum, as "1 buy, 2 sell". */
  public String enumCodesAndTexts() {
    return describeEnum(true);
  }

  private String describeEnum(boolean withCodes) {
    StringBuilder out = new StringBuilder();
    for (StoredEnum constant : enumsByCode) {
      if (constant != null) {
        out.append(out.length() == 0 ? "" : ", ");
        out.append(withCodes ? constant.code() + " " + constant.text() : constant.text());
      }
    }
    return out.toString();
  }
}
