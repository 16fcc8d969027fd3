package dev.lake.core.internal.wal;

import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.StoredEnum;
import dev.lake.core.table.ColumnDefinition;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.ValueKind;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Builds, from a table definition, one method handle that writes a row's stored columns: {@code
 * (ByteSink, Object row) void}. Each column reads its record component through the record's own
 * accessor; held in a {@code static final} field, the JIT compiles such a handle like code written
 * by hand for the row type (a loop over the columns calling their getters would call through a
 * megamorphic interface and cost about twice as much on the append path).
 */
final class RowWriters {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
  private static final MethodType WRITER =
      MethodType.methodType(void.class, ByteSink.class, Object.class);

  private RowWriters() {}

  /** The writer of a table's rows. */
  static MethodHandle writer(TableDefinition<?> definition) {
    try {
      List<? extends ColumnDefinition<?>> columns = definition.storedColumns();
      RecordComponent[] components = definition.rowType().getRecordComponents();
      MethodHandle firstTime = null;
      MethodHandle[] writers = new MethodHandle[columns.size()];
      for (int i = 0; i < writers.length; i++) {
        ColumnDefinition<?> column = columns.get(i);
        MethodHandle getter = getter(components[column.fieldIndex()]);
        if (column.kind() == ValueKind.TIME_MICROS) {
          if (firstTime == null) {
            firstTime = getter;
          } else {
            getter = difference(getter, firstTime);
          }
        }
        writers[i] = MethodHandles.filterArguments(sinkMethod(column), 1, value(column, getter));
      }
      MethodHandle chain = MethodHandles.empty(WRITER);
      for (int i = writers.length - 1; i >= 0; i--) {
        chain = MethodHandles.foldArguments(chain, writers[i]);
      }
      return chain;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot make the log writer of " + definition.name(), e);
    }
  }

  /** {@code (Object row) T}: the component's accessor. */
  private static MethodHandle getter(RecordComponent component)
      throws ReflectiveOperationException {
    MethodHandle accessor = MethodHandles.publicLookup().unreflect(component.getAccessor());
    return accessor.asType(accessor.type().changeParameterType(0, Object.class));
  }

  /** {@code (Object row) long}: a time less the row's first time. */
  private static MethodHandle difference(MethodHandle time, MethodHandle first)
      throws ReflectiveOperationException {
    MethodHandle minus =
        LOOKUP.findStatic(
            RowWriters.class, "minus", MethodType.methodType(long.class, long.class, long.class));
    MethodHandle both = MethodHandles.filterArguments(minus, 0, time, first);
    return MethodHandles.permuteArguments(
        both, MethodType.methodType(long.class, Object.class), 0, 0);
  }

  /** The getter adapted to the argument the column's sink method takes. */
  private static MethodHandle value(ColumnDefinition<?> column, MethodHandle getter)
      throws ReflectiveOperationException {
    return switch (column.kind()) {
      case ENUM -> {
        MethodHandle ordinal =
            LOOKUP.findVirtual(Enum.class, "ordinal", MethodType.methodType(int.class));
        MethodHandle code =
            MethodHandles.arrayElementGetter(int[].class).bindTo(codesByOrdinal(column));
        yield MethodHandles.filterReturnValue(
            MethodHandles.filterReturnValue(
                getter.asType(MethodType.methodType(Enum.class, Object.class)), ordinal),
            code);
      }
      case INT -> getter.asType(MethodType.methodType(long.class, Object.class));
      case PRICE_LEVELS -> getter.asType(MethodType.methodType(List.class, Object.class));
      default -> getter;
    };
  }

  /** {@code (ByteSink, T) void}. */
  private static MethodHandle sinkMethod(ColumnDefinition<?> column)
      throws ReflectiveOperationException {
    return switch (column.kind()) {
      case TEXT -> sink("writeString", String.class);
      case ENUM -> sink("writeByte", int.class);
      case LONG, INT, TIME_MICROS, TIME_MILLIS -> sink("writeVarLong", long.class);
      case OPTIONAL_LONG -> sink("writeNullableLong", Long.class);
      case DOUBLE -> sink("writeDouble", double.class);
      case OPTIONAL_DOUBLE -> sink("writeNullableDouble", Double.class);
      case BOOLEAN -> own("writeBoolean", boolean.class);
      case PRICE_LEVELS -> own("writeLevels", List.class);
      case DERIVED -> throw new IllegalStateException("Derived column stored: " + column.name());
    };
  }

  private static MethodHandle sink(String name, Class<?> type) throws ReflectiveOperationException {
    return LOOKUP.findVirtual(ByteSink.class, name, MethodType.methodType(void.class, type));
  }

  private static MethodHandle own(String name, Class<?> type) throws ReflectiveOperationException {
    return LOOKUP.findStatic(
        RowWriters.class, name, MethodType.methodType(void.class, ByteSink.class, type));
  }

  private static long minus(long a, long b) {
    return a - b;
  }

  private static void writeBoolean(ByteSink out, boolean value) {
    out.writeByte(value ? 1 : 0);
  }

  private static void writeLevels(ByteSink out, List<PriceLevel> levels) {
    out.writeVarLong(levels.size());
    for (int i = 0, n = levels.size(); i < n; i++) {
      PriceLevel level = levels.get(i);
      out.writeDouble(level.price());
      out.writeDouble(level.quantity());
    }
  }

  /** An enum's codes by ordinal: {@link Enum#ordinal()} is final, {@code code()} a call. */
  private static int[] codesByOrdinal(ColumnDefinition<?> column) {
    int[] codes = new int[256];
    int size = 0;
    for (int code = 1; code < 256; code++) {
      StoredEnum constant = column.enumOfCode(code);
      if (constant != null) {
        int ordinal = ((Enum<?>) constant).ordinal();
        codes[ordinal] = code;
        size = Math.max(size, ordinal + 1);
      }
    }
    return java.util.Arrays.copyOf(codes, size);
  }
}
