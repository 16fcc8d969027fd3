package dev.lake.core.write;

import dev.lake.core.model.LakeRow;
import dev.lake.core.table.ColumnDefinition;
import dev.lake.core.table.TableDefinition;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.types.Types;

/**
 * Presents a row as a {@link StructLike} in the column order of a table's actual schema (which may
 * differ from lake's definition for tables made or evolved elsewhere). Reused for every row: not
 * thread-safe.
 */
final class RowStruct<R extends LakeRow> implements StructLike {
  private final ColumnDefinition<R>[] columns;
  private R row;

  @SuppressWarnings("unchecked")
  RowStruct(TableDefinition<R> definition, Schema tableSchema, String tableName) {
    List<Types.NestedField> fields = tableSchema.columns();
    this.columns = new ColumnDefinition[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      Types.NestedField field = fields.get(i);
      ColumnDefinition<R> column = find(definition, field.name());
      if (column == null && field.isRequired()) {
        throw new IllegalStateException(
            "Cannot write to table "
                + tableName
                + ": it has a required column "
                + field.name()
                + " that lake does not write");
      }
      columns[i] = column;
    }
    for (ColumnDefinition<R> column : definition.columns()) {
      if (tableSchema.findField(column.name()) == null) {
        throw new IllegalStateException(
            "Cannot write to table "
                + tableName
                + ": column "
                + column.name()
                + " is missing (run `lake tables create` to add it)");
      }
    }
  }

  private static <R extends LakeRow> ColumnDefinition<R> find(
      TableDefinition<R> definition, String name) {
    for (ColumnDefinition<R> column : definition.columns()) {
      if (column.name().equals(name)) {
        return column;
      }
    }
    return null;
  }

  RowStruct<R> wrap(R value) {
    this.row = value;
    return this;
  }

  @Override
  public int size() {
    return columns.length;
  }

  @Override
  public <T> T get(int pos, Class<T> javaClass) {
    ColumnDefinition<R> column = columns[pos];
    return column == null ? null : javaClass.cast(column.get(row));
  }

  @Override
  public <T> void set(int pos, T value) {
    throw new UnsupportedOperationException("Rows are read-only");
  }
}
