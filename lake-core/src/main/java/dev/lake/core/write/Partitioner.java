package dev.lake.core.write;

import dev.lake.core.model.LakeRow;
import dev.lake.core.table.ColumnDefinition;
import dev.lake.core.table.TableDefinition;
import java.util.Arrays;
import java.util.List;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;

/**
 * Computes a row's partition from its typed values: identity of string columns and hours or days of
 * a timestamp, the specs lake creates. It avoids Iceberg's generic partition transforms (which go
 * through {@code OffsetDateTime} for every row); tables with other specs use those transforms. Not
 * thread-safe.
 */
final class Partitioner<R extends LakeRow> {
  private static final long MICROS_PER_HOUR = 3_600_000_000L;
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private final ColumnDefinition.TextValue<R>[] identities;
  private final ColumnDefinition.LongValue<R> time;
  private final long divisor;

  /** A partition: the identity values and the hour or day number. */
  static final class Key {
    final String[] values;
    final long time;
    private final int hash;

    Key(String[] values, long time) {
      this.values = values;
      this.time = time;
      this.hash = Arrays.hashCode(values) * 31 + Long.hashCode(time);
    }

    boolean matches(String[] others, long otherTime) {
      if (time != otherTime) {
        return false;
      }
      for (int i = 0; i < values.length; i++) {
        String value = values[i];
        if (value != others[i] && !value.equals(others[i])) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && key.matches(values, time);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private final String[] scratch;

  @SuppressWarnings("unchecked")
  private Partitioner(
      ColumnDefinition.TextValue<R>[] identities,
      ColumnDefinition.LongValue<R> time,
      long divisor) {
    this.identities = identities;
    this.time = time;
    this.divisor = divisor;
    this.scratch = new String[identities.length];
  }

  /** A partitioner for a spec of identity string columns and an hour or day transform, or null. */
  @SuppressWarnings("unchecked")
  static <R extends LakeRow> Partitioner<R> of(TableDefinition<R> definition, PartitionSpec spec) {
    List<PartitionField> fields = spec.fields();
    if (fields.isEmpty()) {
      return null;
    }
    ColumnDefinition.TextValue<R>[] identities = new ColumnDefinition.TextValue[fields.size() - 1];
    for (int i = 0; i < fields.size() - 1; i++) {
      PartitionField field = fields.get(i);
      ColumnDefinition.Accessor<R> accessor =
          accessor(definition, spec.schema().findColumnName(field.sourceId()));
      if (!field.transform().isIdentity()
          || !(accessor instanceof ColumnDefinition.TextValue<R> text)) {
        return null;
      }
      identities[i] = text;
    }
    PartitionField last = fields.get(fields.size() - 1);
    String transform = last.transform().toString();
    ColumnDefinition.Accessor<R> timeAccessor =
        accessor(definition, spec.schema().findColumnName(last.sourceId()));
    if (!(timeAccessor instanceof ColumnDefinition.LongValue<R> micros)) {
      return null;
    }
    return switch (transform) {
      case "hour" -> new Partitioner<>(identities, micros, MICROS_PER_HOUR);
      case "day" -> new Partitioner<>(identities, micros, MICROS_PER_DAY);
      default -> null;
    };
  }

  private static <R> ColumnDefinition.Accessor<R> accessor(
      TableDefinition<?> definition, String column) {
    for (ColumnDefinition<?> candidate : definition.columns()) {
      if (candidate.name().equals(column)) {
        @SuppressWarnings("unchecked")
        ColumnDefinition.Accessor<R> accessor = (ColumnDefinition.Accessor<R>) candidate.accessor();
        return accessor;
      }
    }
    return null;
  }

  /** True when the row belongs to a key's partition; reads the row's values into scratch space. */
  boolean sameAs(Key key, R row) {
    read(row);
    return key.matches(scratch, timeOf(row));
  }

  /** The key of the row last read with {@link #sameAs} (or read now). */
  Key keyOf(R row) {
    read(row);
    return new Key(scratch.clone(), timeOf(row));
  }

  /** A probe key for map lookups, valid until the next call. */
  Key probe(R row) {
    read(row);
    return new Key(scratch, timeOf(row));
  }

  private void read(R row) {
    for (int i = 0; i < identities.length; i++) {
      scratch[i] = identities[i].read().apply(row);
    }
  }

  private long timeOf(R row) {
    return Math.floorDiv(time.read().applyAsLong(row), divisor);
  }
}
