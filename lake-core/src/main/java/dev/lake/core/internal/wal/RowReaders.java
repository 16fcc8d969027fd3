package dev.lake.core.internal.wal;

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
 * Builds, from a table definition, one method handle that reads a row's stored columns and makes
 * the row: {@code (ByteSource) Object}, the counterpart of {@link RowWriters}. Each column's value
 * goes to the record's canonical constructor as the primitive it is: a generic decoder that fills
 * an {@code Object[]} boxes every long and double of a row (about 150 bytes of garbage an order
 * book delta), and held rows and log replay decode millions of them a minute.
 *
 * <p>The handle reads a row with every column of this release; a record written before a column was
 * added is read by {@link RowCodec}'s generic decoder.
 */
final class RowReaders {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
  private static final MethodType READER = MethodType.methodType(Object.class, ByteSource.class);

  private RowReaders() {}

  /** The reader of a table's rows. */
  static MethodHandle reader(TableDefinition<?> definition) {
    try {
      List<? extends ColumnDefinition<?>> columns = definition.storedColumns();
      RecordComponent[] components = definition.rowType().getRecordComponents();
      if (columns.size() != components.length) {
        throw new IllegalStateException(
            "Table "
                + definition.name()
                + " stores "
                + columns.size()
                + " columns in a record of "
                + components.length
                + " components");
      }
      Class<?>[] componentTypes = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        componentTypes[i] = components[i].getType();
      }
      MethodHandle constructor =
          MethodHandles.publicLookup()
              .findConstructor(
                  definition.rowType(), MethodType.methodType(void.class, componentTypes));
      // the constructor's parameters in the order the columns are stored
      Class<?>[] storedTypes = new Class<?>[columns.size()];
      int[] reorder = new int[components.length];
      for (int i = 0; i < storedTypes.length; i++) {
        int field = columns.get(i).fieldIndex();
        storedTypes[i] = componentTypes[field];
        reorder[field] = i;
      }
      MethodHandle chain =
          MethodHandles.permuteArguments(
              constructor, MethodType.methodType(definition.rowType(), storedTypes), reorder);
      chain = MethodHandles.dropArguments(chain, storedTypes.length, ByteSource.class);
      // each fold reads one column, then calls the rest of the chain: the columns are read in
      // stored order, the last fold being the first column
      boolean[] laterTime = new boolean[columns.size()];
      boolean timed = false;
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i).kind() == ValueKind.TIME_MICROS) {
          laterTime[i] = timed;
          timed = true;
        }
      }
      for (int i = storedTypes.length - 1; i >= 0; i--) {
        MethodHandle read = read(definition, columns.get(i), laterTime[i]);
        chain =
            MethodHandles.foldArguments(
                chain, i, read.asType(MethodType.methodType(storedTypes[i], ByteSource.class)));
      }
      return chain.asType(READER);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot make the log reader of " + definition.name(), e);
    }
  }

  /** {@code (ByteSource) T}: reads one column's value. */
  private static MethodHandle read(
      TableDefinition<?> definition, ColumnDefinition<?> column, boolean laterTime)
      throws ReflectiveOperationException {
    return switch (column.kind()) {
      case TEXT -> source("readString", String.class);
      case ENUM ->
          MethodHandles.filterReturnValue(
              source("readByte", int.class),
              MethodHandles.insertArguments(
                  LOOKUP.findStatic(
                      RowCodec.class,
                      "enumOfCode",
                      MethodType.methodType(
                          StoredEnum.class,
                          TableDefinition.class,
                          ColumnDefinition.class,
                          int.class)),
                  0,
                  definition,
                  column));
      case LONG, TIME_MILLIS -> source("readVarLong", long.class);
      case INT -> own("readInt", int.class);
      case OPTIONAL_LONG -> source("readNullableLong", Long.class);
      case DOUBLE -> source("readDouble", double.class);
      case OPTIONAL_DOUBLE -> source("readNullableDouble", Double.class);
      case BOOLEAN -> own("readBoolean", boolean.class);
      case TIME_MICROS ->
          laterTime ? source("readLaterTime", long.class) : source("readFirstTime", long.class);
      case PRICE_LEVELS ->
          LOOKUP.findStatic(
              RowCodec.class, "readLevels", MethodType.methodType(List.class, ByteSource.class));
      case DERIVED -> throw new IllegalStateException("Derived column stored: " + column.name());
    };
  }

  private static MethodHandle source(String name, Class<?> type)
      throws ReflectiveOperationException {
    return LOOKUP.findVirtual(ByteSource.class, name, MethodType.methodType(type));
  }

  private static MethodHandle own(String name, Class<?> type) throws ReflectiveOperationException {
    return LOOKUP.findStatic(RowReaders.class, name, MethodType.methodType(type, ByteSource.class));
  }

  private static int readInt(ByteSource in) {
    return (int) in.readVarLong();
  }

  private static boolean readBoolean(ByteSource in) {
    return in.readByte() != 0;
  }
}
