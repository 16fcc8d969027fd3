package dev.lake.core.write;

import dev.lake.core.model.LakeRow;
import dev.lake.core.table.ColumnDefinition;
import dev.lake.core.table.TableDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.DoubleFieldMetrics;
import org.apache.iceberg.FieldMetrics;
import org.apache.iceberg.Schema;
import org.apache.iceberg.parquet.ParquetValueWriter;
import org.apache.iceberg.parquet.ParquetValueWriters;
import org.apache.iceberg.parquet.TripleWriter;
import org.apache.iceberg.types.Types;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Writes rows of a table without nested columns straight into Parquet column writers: each column
 * reads its value with a typed accessor and writes the primitive, with no boxing and no generic
 * record in between. Strings repeated across rows (exchange, market, symbol, side) are encoded
 * once. Double columns keep Iceberg's bounds and NaN counts. Used for every table but the snapshot
 * table, whose level lists go through Iceberg's own writer. Not thread-safe.
 */
final class FlatRowWriter<R extends LakeRow> implements ParquetValueWriter<R> {
  private final Column<R>[] columns;
  private final List<TripleWriter<?>> triples = new ArrayList<>();

  /** True when every column of the table is a primitive lake reads with a typed accessor. */
  static boolean supports(TableDefinition<?> definition, Schema tableSchema) {
    for (Types.NestedField field : tableSchema.columns()) {
      if (!field.type().isPrimitiveType() || find(definition, field.name()) == null) {
        return false;
      }
      if (find(definition, field.name()).accessor() instanceof ColumnDefinition.AnyValue) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  FlatRowWriter(TableDefinition<R> definition, Schema tableSchema, MessageType type) {
    List<Types.NestedField> fields = tableSchema.columns();
    this.columns = new Column[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      Types.NestedField field = fields.get(i);
      ColumnDescriptor descriptor =
          type.getColumnDescription(new String[] {type.getFields().get(i).getName()});
      ColumnDefinition<R> definitionColumn = find(definition, field.name());
      Column<R> column = column(definitionColumn.accessor(), descriptor, field.fieldId());
      columns[i] = column;
      triples.addAll(column.columns());
    }
  }

  private static <R> ColumnDefinition<R> find(TableDefinition<?> definition, String name) {
    for (ColumnDefinition<?> column : definition.columns()) {
      if (column.name().equals(name)) {
        @SuppressWarnings("unchecked")
        ColumnDefinition<R> typed = (ColumnDefinition<R>) column;
        return typed;
      }
    }
    return null;
  }

  @Override
  public void write(int repetitionLevel, R row) {
    for (Column<R> column : columns) {
      column.write(row);
    }
  }

  @Override
  public List<TripleWriter<?>> columns() {
    return triples;
  }

  @Override
  public void setColumnStore(ColumnWriteStore columnStore) {
    for (Column<R> column : columns) {
      column.setColumnStore(columnStore);
    }
  }

  @Override
  public Stream<FieldMetrics<?>> metrics() {
    return Stream.of(columns)
        .map(Column::fieldMetrics)
        .filter(java.util.Objects::nonNull)
        .map(m -> (FieldMetrics<?>) m);
  }

  private static <R> Column<R> column(
      ColumnDefinition.Accessor<R> accessor, ColumnDescriptor descriptor, int fieldId) {
    if (accessor instanceof ColumnDefinition.LongValue<R> value) {
      return new Column<>(descriptor) {
        @Override
        void write(R row) {
          column.writeLong(0, value.read().applyAsLong(row));
        }
      };
    }
    if (accessor instanceof ColumnDefinition.DoubleValue<R> value) {
      return new DoubleColumn<>(descriptor, fieldId) {
        @Override
        void write(R row) {
          double number = value.read().applyAsDouble(row);
          metrics.addValue(number);
          column.writeDouble(0, number);
        }
      };
    }
    if (accessor instanceof ColumnDefinition.IntValue<R> value) {
      return new Column<>(descriptor) {
        @Override
        void write(R row) {
          column.writeInteger(0, value.read().applyAsInt(row));
        }
      };
    }
    if (accessor instanceof ColumnDefinition.BooleanValue<R> value) {
      return new Column<>(descriptor) {
        @Override
        void write(R row) {
          column.writeBoolean(0, value.read().test(row));
        }
      };
    }
    if (accessor instanceof ColumnDefinition.TextValue<R> value) {
      return new TextColumn<>(descriptor, value);
    }
    if (accessor instanceof ColumnDefinition.NullableLong<R> value) {
      return new Column<>(descriptor) {
        @Override
        void write(R row) {
          Long number = value.read().apply(row);
          if (number == null) {
            column.writeNull(0, nullLevel);
          } else {
            column.writeLong(0, number);
          }
        }
      };
    }
    if (accessor instanceof ColumnDefinition.NullableDouble<R> value) {
      return new DoubleColumn<>(descriptor, fieldId) {
        @Override
        void write(R row) {
          Double number = value.read().apply(row);
          if (number == null) {
            column.writeNull(0, nullLevel);
          } else {
            metrics.addValue(number);
            column.writeDouble(0, number);
          }
        }
      };
    }
    throw new IllegalArgumentException("Invalid column for the flat writer: " + descriptor);
  }

  /** One column: Iceberg's column writer, reached through its protected field. */
  private abstract static class Column<R> extends ParquetValueWriters.PrimitiveWriter<Object> {
    final int nullLevel;

    Column(ColumnDescriptor descriptor) {
      super(descriptor);
      this.nullLevel = descriptor.getMaxDefinitionLevel() - 1;
    }

    abstract void write(R row);

    FieldMetrics<?> fieldMetrics() {
      return null;
    }
  }

  private abstract static class DoubleColumn<R> extends Column<R> {
    final DoubleFieldMetrics.Builder metrics;

    DoubleColumn(ColumnDescriptor descriptor, int fieldId) {
      super(descriptor);
      this.metrics = new DoubleFieldMetrics.Builder(fieldId);
    }

    @Override
    FieldMetrics<?> fieldMetrics() {
      return metrics.build();
    }
  }

  /** Strings, encoded once per distinct value (the same instance is the common case). */
  private static final class TextColumn<R> extends Column<R> {
    private final ColumnDefinition.TextValue<R> value;
    private final Map<String, Binary> encoded = new HashMap<>();
    private String lastText;
    private Binary lastBinary;

    TextColumn(ColumnDescriptor descriptor, ColumnDefinition.TextValue<R> value) {
      super(descriptor);
      this.value = value;
    }

    @Override
    void write(R row) {
      String text = value.read().apply(row);
      if (text == null) {
        column.writeNull(0, nullLevel);
        return;
      }
      if (text != lastText) {
        lastBinary =
            encoded.size() < 4096
                ? encoded.computeIfAbsent(text, TextColumn::encode)
                : encode(text);
        lastText = text;
      }
      column.writeBinary(0, lastBinary);
    }

    private static Binary encode(String text) {
      return Binary.fromConstantByteArray(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
