package dev.lake.core.table;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.StoredEnum;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
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
  private final int logCode;
  private final List<ColumnDefinition<R>> columns;
  private final List<ColumnDefinition<R>> storedColumns;
  private final MethodHandle constructor;
  private final List<String> identityPartitionColumns;
  private final PartitionGranularity defaultGranularity;
  private final Schema schema;

  private TableDefinition(Builder<R> builder) {
    this.name = builder.name;
    this.doc = builder.doc;
    this.rowType = builder.rowType;
    this.logCode = builder.logCode;
    this.columns = bindFields(builder.name, builder.rowType, builder.columns);
    this.storedColumns = columns.stream().filter(ColumnDefinition::isStored).toList();
    this.constructor = canonicalConstructor(builder.rowType);
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

  /**
   * The columns that store a component of the row record, in field-id order: every column but the
   * derived ones. Each component of the row record is stored by exactly one of them.
   */
  public List<ColumnDefinition<R>> storedColumns() {
    return storedColumns;
  }

  /**
   * The code of this table's rows in the write-ahead log: stable across releases, unique among the
   * tables, never reused.
   */
  public int logCode() {
    return logCode;
  }

  /**
   * Makes a row from its record components, through the record's canonical constructor (which
   * checks them).
   *
   * @param fields the components in the record's order ({@link ColumnDefinition#fieldIndex()}),
   *     boxed
   * @throws IllegalArgumentException when the constructor rejects a value
   */
  public R newRow(Object[] fields) {
    try {
      return rowType.cast((Object) constructor.invokeExact(fields));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("Cannot make a row of " + name + ": " + e, e);
    }
  }

  /** Resolves each stored column's record component, checking that they match one to one. */
  private static <R extends LakeRow> List<ColumnDefinition<R>> bindFields(
      String table, Class<R> rowType, List<ColumnDefinition<R>> declared) {
    RecordComponent[] components = rowType.getRecordComponents();
    boolean[] bound = new boolean[components.length];
    List<ColumnDefinition<R>> columns = new ArrayList<>(declared.size());
    for (ColumnDefinition<R> column : declared) {
      if (!column.isStored()) {
        columns.add(column);
        continue;
      }
      int index = componentIndex(components, column.fieldName());
      if (index < 0 || bound[index] || !column.kind().fits(components[index].getType())) {
        throw new IllegalStateException(
            "Invalid definition of table "
                + table
                + ": column "
                + column.name()
                + " ("
                + column.kind()
                + ") stores "
                + rowType.getSimpleName()
                + "."
                + column.fieldName()
                + (index < 0
                    ? ", which does not exist"
                    : bound[index] ? ", which another column stores" : " of a type it cannot hold")
                + " (expected one column per record component, of a matching kind)");
      }
      bound[index] = true;
      columns.add(column.withFieldIndex(index));
    }
    for (int i = 0; i < components.length; i++) {
      if (!bound[i]) {
        throw new IllegalStateException(
            "Invalid definition of table "
                + table
                + ": no column stores "
                + rowType.getSimpleName()
                + "."
                + components[i].getName()
                + " (expected one column per record component)");
      }
    }
    return List.copyOf(columns);
  }

  private static int componentIndex(RecordComponent[] components, String name) {
    for (int i = 0; i < components.length; i++) {
      if (components[i].getName().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static MethodHandle canonicalConstructor(Class<?> rowType) {
    RecordComponent[] components = rowType.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
    }
    try {
      return MethodHandles.publicLookup()
          .findConstructor(rowType, MethodType.methodType(void.class, types))
          .asSpreader(Object[].class, types.length)
          .asType(MethodType.methodType(Object.class, Object[].class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot find the constructor of " + rowType.getName(), e);
    }
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

  static <R extends LakeRow> Builder<R> builder(
      String name, Class<R> rowType, int logCode, String doc) {
    return new Builder<>(name, rowType, logCode, doc);
  }

  static final class Builder<R extends LakeRow> {
    private final String name;
    private final Class<R> rowType;
    private final int logCode;
    private final String doc;
    private final List<ColumnDefinition<R>> columns = new ArrayList<>();
    private final List<String> identityPartitionColumns = new ArrayList<>();
    private PartitionGranularity granularity = PartitionGranularity.DAY;
    private boolean addedColumns = false;

    private Builder(String name, Class<R> rowType, int logCode, String doc) {
      this.name = requireNonNull(name, "name is null");
      this.rowType = requireNonNull(rowType, "rowType is null");
      this.logCode = logCode;
      this.doc = requireNonNull(doc, "doc is null");
    }

    /** Columns declared after this call are the ones lake adds to the seed's schema. */
    Builder<R> added() {
      this.addedColumns = true;
      return this;
    }

    /** A string column storing the component named as the column in camel case. */
    Builder<R> requiredText(String column, Function<R, String> read, String columnDoc) {
      return required(column, Types.StringType.get(), ValueKind.TEXT, text(read), columnDoc);
    }

    Builder<R> optionalText(String column, Function<R, String> read, String columnDoc) {
      return optional(column, Types.StringType.get(), ValueKind.TEXT, text(read), columnDoc);
    }

    /** A string column of an enum's texts, storing the enum (its code in the log). */
    <E extends Enum<E> & StoredEnum> Builder<R> requiredEnum(
        String column, Class<E> type, Function<R, E> read, String columnDoc) {
      Types.NestedField field =
          Types.NestedField.required(nextId(), column, Types.StringType.get(), columnDoc);
      return add(
          field,
          new ColumnDefinition.TextValue<R>(row -> read.apply(row).text()),
          ValueKind.ENUM,
          camelCase(column),
          read,
          type);
    }

    Builder<R> requiredLong(String column, ToLongFunction<R> read, String columnDoc) {
      return required(
          column,
          Types.LongType.get(),
          ValueKind.LONG,
          new ColumnDefinition.LongValue<>(read),
          columnDoc);
    }

    Builder<R> optionalLong(String column, Function<R, Long> read, String columnDoc) {
      return optional(
          column,
          Types.LongType.get(),
          ValueKind.OPTIONAL_LONG,
          new ColumnDefinition.NullableLong<>(read),
          columnDoc);
    }

    /**
     * A timestamptz column storing epoch microseconds, from the component named as the column in
     * camel case with {@code Micros} (local_timestamp: localTimestampMicros).
     */
    Builder<R> requiredTime(String column, ToLongFunction<R> micros, String columnDoc) {
      return required(
          column,
          Types.TimestampType.withZone(),
          ValueKind.TIME_MICROS,
          new ColumnDefinition.LongValue<>(micros),
          columnDoc);
    }

    /**
     * A timestamptz column storing epoch milliseconds, from the component named as the column in
     * camel case with {@code Ms} (funding_time: fundingTimeMs).
     */
    Builder<R> requiredTimeOfMillis(String column, ToLongFunction<R> millis, String columnDoc) {
      return required(
          column,
          Types.TimestampType.withZone(),
          ValueKind.TIME_MILLIS,
          new ColumnDefinition.LongValue<R>(row -> millis.applyAsLong(row) * 1000L),
          columnDoc);
    }

    /** A timestamptz column computed from other components; stored nowhere else. */
    Builder<R> derivedTime(String column, ToLongFunction<R> micros, String columnDoc) {
      return required(
          column,
          Types.TimestampType.withZone(),
          ValueKind.DERIVED,
          new ColumnDefinition.LongValue<>(micros),
          columnDoc);
    }

    Builder<R> requiredDouble(String column, ToDoubleFunction<R> read, String columnDoc) {
      return required(
          column,
          Types.DoubleType.get(),
          ValueKind.DOUBLE,
          new ColumnDefinition.DoubleValue<>(read),
          columnDoc);
    }

    Builder<R> optionalDouble(String column, Function<R, Double> read, String columnDoc) {
      return optional(
          column,
          Types.DoubleType.get(),
          ValueKind.OPTIONAL_DOUBLE,
          new ColumnDefinition.NullableDouble<>(read),
          columnDoc);
    }

    Builder<R> requiredInt(String column, ToIntFunction<R> read, String columnDoc) {
      return required(
          column,
          Types.IntegerType.get(),
          ValueKind.INT,
          new ColumnDefinition.IntValue<>(read),
          columnDoc);
    }

    Builder<R> requiredBoolean(String column, Predicate<R> read, String columnDoc) {
      return required(
          column,
          Types.BooleanType.get(),
          ValueKind.BOOLEAN,
          new ColumnDefinition.BooleanValue<>(read),
          columnDoc);
    }

    /**
     * A list of {@code struct<price, quantity>} column; Iceberg numbers the nested fields after the
     * top-level ones, so their ids are given.
     */
    Builder<R> requiredLevels(
        String column,
        int elementId,
        int priceId,
        int quantityId,
        Function<R, List<PriceLevel>> read,
        String columnDoc) {
      Types.ListType type =
          Types.ListType.ofRequired(
              elementId,
              Types.StructType.of(
                  Types.NestedField.required(priceId, "price", Types.DoubleType.get()),
                  Types.NestedField.required(quantityId, "quantity", Types.DoubleType.get())));
      return add(
          Types.NestedField.required(nextId(), column, type, columnDoc),
          new ColumnDefinition.AnyValue<R>(row -> PriceLevelStruct.listOf(read.apply(row))),
          ValueKind.PRICE_LEVELS,
          camelCase(column),
          read,
          null);
    }

    /** Sets the record component the column declared last stores, where not its default name. */
    Builder<R> field(String component) {
      int last = columns.size() - 1;
      columns.set(last, columns.get(last).withField(component));
      return this;
    }

    private Builder<R> required(
        String column,
        Type type,
        ValueKind kind,
        ColumnDefinition.Accessor<R> accessor,
        String columnDoc) {
      return add(
          Types.NestedField.required(nextId(), column, type, columnDoc),
          accessor,
          kind,
          defaultField(column, kind),
          null,
          null);
    }

    private Builder<R> optional(
        String column,
        Type type,
        ValueKind kind,
        ColumnDefinition.Accessor<R> accessor,
        String columnDoc) {
      return add(
          Types.NestedField.optional(nextId(), column, type, columnDoc),
          accessor,
          kind,
          defaultField(column, kind),
          null,
          null);
    }

    private static <R> ColumnDefinition.TextValue<R> text(Function<R, String> read) {
      return new ColumnDefinition.TextValue<>(read);
    }

    private static String defaultField(String column, ValueKind kind) {
      return switch (kind) {
        case DERIVED -> null;
        case TIME_MICROS -> camelCase(column) + "Micros";
        case TIME_MILLIS -> camelCase(column) + "Ms";
        default -> camelCase(column);
      };
    }

    /** last_update_id: lastUpdateId. */
    private static String camelCase(String column) {
      StringBuilder out = new StringBuilder(column.length());
      boolean upper = false;
      for (char c : column.toCharArray()) {
        if (c == '_') {
          upper = true;
        } else {
          out.append(upper ? Character.toUpperCase(c) : c);
          upper = false;
        }
      }
      return out.toString();
    }

    private Builder<R> add(
        Types.NestedField field,
        ColumnDefinition.Accessor<R> accessor,
        ValueKind kind,
        String fieldName,
        Function<R, ?> fieldValue,
        Class<? extends StoredEnum> enumType) {
      columns.add(
          new ColumnDefinition<>(
              field,
              accessor,
              addedColumns,
              defaultEncoding(field),
              kind,
              fieldName,
              fieldValue,
              enumType));
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
