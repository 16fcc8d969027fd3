package dev.lake.core.table;

import static java.util.Objects.requireNonNull;

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
 * (CharSequence, Integer, Long, Double, Boolean, timestamps as Long microseconds, lists).
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

  ColumnDefinition(
      Types.NestedField field, Accessor<R> accessor, boolean added, ColumnEncoding encoding) {
    this(field, accessor, added, encoding, List.of());
  }

  private ColumnDefinition(
      Types.NestedField field,
      Accessor<R> accessor,
      boolean added,
      ColumnEncoding encoding,
      List<String> formerNames) {
    this.field = requireNonNull(field, "field is null");
    this.accessor = requireNonNull(accessor, "accessor is null");
    this.added = added;
    this.encoding = requireNonNull(encoding, "encoding is null");
    this.formerNames = List.copyOf(formerNames);
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
    return new ColumnDefinition<>(field, accessor, added, value, formerNames);
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
    return new ColumnDefinition<>(field, accessor, added, encoding, value);
  }

  /** The typed accessor. */
  public Accessor<R> accessor() {
    return accessor;
  }

  /** Reads this column's value from a row, in Iceberg's internal representation. */
  public Object get(R row) {
    return accessor.get(row);
  }
}
