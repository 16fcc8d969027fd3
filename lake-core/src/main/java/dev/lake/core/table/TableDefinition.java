package dev.lake.core.table;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The definition of one lake table: columns (with field ids, types, required or optional), the
 * partition spec, the sort order and the row type it stores. Definitions are declared once, in
 * {@link LakeTables}, and used by the writer, the CLI and the documentation.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <R> the row type stored in the table
 */
public final class TableDefinition<R extends LakeRow> {
  /** The column every table is partitioned and sorted by time on. */
  public static final String TIME_COLUMN = "timestamp";

  /** The column every table is sorted by first. */
  public static final String SYMBOL_COLUMN = "symbol";

  private final String name;
  private final String doc;
  private final Class<R> rowType;
  private final List<ColumnDefinition<R>> columns;
  private final List<String> identityPartitionColumns;
  private final PartitionGranularity defaultGranularity;
  private final Schema schema;

  private TableDefinition(Builder<R> builder) {
    this.name = builder.name;
    this.doc = builder.doc;
    this.rowType = builder.rowType;
    this.columns = List.copyOf(builder.columns);
    this.identityPartitionColumns = List.copyOf(builder.identityPartitionColumns);
    this.defaultGranularity = builder.granularity;
    this.schema = new Schema(columns.stream().map(ColumnDefinition::field).toList());
  }

  /** The table's name in its namespace, e.g. {@code orderbook_delta}. */
  public String name() {
    return name;
  }

  /** One sentence on what a row of the table is. */
  public String doc() {
    return doc;
  }

  /** The row class stored in this table. */
  public Class<R> rowType() {
    return rowType;
  }

  /** The columns in field-id order. */
  public List<ColumnDefinition<R>> columns() {
    return columns;
  }

  /** The Iceberg schema, with the field ids lake assigns. */
  public Schema schema() {
    return schema;
  }

  /** Columns partitioned by identity, in spec order (e.g. exchange, market_type, symbol). */
  public List<String> identityPartitionColumns() {
    return identityPartitionColumns;
  }

  /** Hour for the high-volume book tables, day for the rest. */
  public PartitionGranularity defaultGranularity() {
    return defaultGranularity;
  }

  /** The partition spec for a schema of this table and a time granularity. */
  public PartitionSpec partitionSpec(Schema tableSchema, PartitionGranularity granularity) {
    PartitionSpec.Builder spec = PartitionSpec.builderFor(tableSchema);
    for (String column : identityPartitionColumns) {
      spec.identity(column);
    }
    if (granularity == PartitionGranularity.HOUR) {
      spec.hour(TIME_COLUMN);
    } else {
      spec.day(TIME_COLUMN);
    }
    return spec.build();
  }

  /** Sort order of every table: symbol, then timestamp. */
  public SortOrder sortOrder(Schema tableSchema) {
    return SortOrder.builderFor(tableSchema).asc(SYMBOL_COLUMN).asc(TIME_COLUMN).build();
  }

  /** Casts a row known to belong to this table. */
  public R cast(LakeRow row) {
    return rowType.cast(row);
  }

  @Override
  public String toString() {
    return name;
  }

  static <R extends LakeRow> Builder<R> builder(String name, Class<R> rowType, String doc) {
    return new Builder<>(name, rowType, doc);
  }

  static final class Builder<R extends LakeRow> {
    private final String name;
    private final Class<R> rowType;
    private final String doc;
    private final List<ColumnDefinition<R>> columns = new ArrayList<>();
    private final List<String> identityPartitionColumns = new ArrayList<>();
    private PartitionGranularity granularity = PartitionGranularity.DAY;
    private boolean addedColumns = false;

    private Builder(String name, Class<R> rowType, String doc) {
      this.name = requireNonNull(name, "name is null");
      this.rowType = requireNonNull(rowType, "rowType is null");
      this.doc = requireNonNull(doc, "doc is null");
    }

    /** Columns declared after this call are the ones lake adds to the seed's schema. */
    Builder<R> added() {
      this.addedColumns = true;
      return this;
    }

    Builder<R> required(
        String column, Type type, ColumnDefinition.Accessor<R> accessor, String columnDoc) {
      return column(Types.NestedField.required(nextId(), column, type, columnDoc), accessor);
    }

    Builder<R> optional(
        String column, Type type, ColumnDefinition.Accessor<R> accessor, String columnDoc) {
      return column(Types.NestedField.optional(nextId(), column, type, columnDoc), accessor);
    }

    Builder<R> requiredText(String column, Function<R, String> read, String columnDoc) {
      return required(
          column, Types.StringType.get(), new ColumnDefinition.TextValue<>(read), columnDoc);
    }

    Builder<R> optionalText(String column, Function<R, String> read, String columnDoc) {
      return optional(
          column, Types.StringType.get(), new ColumnDefinition.TextValue<>(read), columnDoc);
    }

    Builder<R> requiredLong(String column, ToLongFunction<R> read, String columnDoc) {
      return required(
          column, Types.LongType.get(), new ColumnDefinition.LongValue<>(read), columnDoc);
    }

    Builder<R> optionalLong(String column, Function<R, Long> read, String columnDoc) {
      return optional(
          column, Types.LongType.get(), new ColumnDefinition.NullableLong<>(read), columnDoc);
    }

    /** A timestamptz column read as epoch microseconds. */
    Builder<R> requiredTime(String column, ToLongFunction<R> micros, String columnDoc) {
      return required(
          column,
          Types.TimestampType.withZone(),
          new ColumnDefinition.LongValue<>(micros),
          columnDoc);
    }

    Builder<R> requiredDouble(String column, ToDoubleFunction<R> read, String columnDoc) {
      return required(
          column, Types.DoubleType.get(), new ColumnDefinition.DoubleValue<>(read), columnDoc);
    }

    Builder<R> optionalDouble(String column, Function<R, Double> read, String columnDoc) {
      return optional(
          column, Types.DoubleType.get(), new ColumnDefinition.NullableDouble<>(read), columnDoc);
    }

    Builder<R> requiredInt(String column, ToIntFunction<R> read, String columnDoc) {
      return required(
          column, Types.IntegerType.get(), new ColumnDefinition.IntValue<>(read), columnDoc);
    }

    Builder<R> requiredBoolean(String column, Predicate<R> read, String columnDoc) {
      return required(
          column, Types.BooleanType.get(), new ColumnDefinition.BooleanValue<>(read), columnDoc);
    }

    Builder<R> requiredOther(String column, Type type, Function<R, Object> read, String columnDoc) {
      return required(column, type, new ColumnDefinition.AnyValue<>(read), columnDoc);
    }

    private Builder<R> column(Types.NestedField field, ColumnDefinition.Accessor<R> accessor) {
      columns.add(new ColumnDefinition<>(field, accessor, addedColumns, defaultEncoding(field)));
      return this;
    }

    /** Long integers and timestamps are ids and times that rise: delta; the rest: dictionary. */
    private static ColumnEncoding defaultEncoding(Types.NestedField field) {
      return switch (field.type().typeId()) {
        case LONG, TIMESTAMP -> ColumnEncoding.DELTA;
        default -> ColumnEncoding.DICTIONARY;
      };
    }

    /** Sets the encoding of the column declared last. */
    Builder<R> encoded(ColumnEncoding encoding) {
      int last = columns.size() - 1;
      columns.set(last, columns.get(last).withEncoding(encoding));
      return this;
    }

    /** Sets the names the column declared last had in tables made by an older lake. */
    Builder<R> formerly(String... names) {
      int last = columns.size() - 1;
      columns.set(last, columns.get(last).withFormerNames(List.of(names)));
      return this;
    }

    private int nextId() {
      return columns.size() + 1;
    }

    Builder<R> partitionedBy(String... identityColumns) {
      identityPartitionColumns.addAll(List.of(identityColumns));
      return this;
    }

    Builder<R> granularity(PartitionGranularity value) {
      this.granularity = value;
      return this;
    }

    TableDefinition<R> build() {
      return new TableDefinition<>(this);
    }
  }
}
