package dev.lake.core.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.SeekableInputStream;

/**
 * What a set of data files holds by their metrics: rows, and per column the values, the nulls, the
 * lowest lower bound and the highest upper bound. For a group's input files they come from the
 * manifests (written from those files' footers); for the files a compaction wrote, from their
 * Parquet footers read back from storage. Rewriting rows in another order keeps all of these, so
 * two summaries that differ show rows lost, added or changed on their way to storage, or a file
 * that is not there or not whole.
 *
 * <p>A column is compared only where every file on both sides has the metric: a table's metrics
 * mode may leave bounds out, and a column only of nulls has none. String bounds are truncated the
 * same way on both sides, and the lowest truncated lower bound is the truncated lowest value (the
 * same for upper bounds), so they compare equal when the values do. Zeros compare without their
 * sign, as Parquet's statistics store a zero minimum as -0.0 and lake's writer does not.
 */
final class FooterCheck {
  private final Schema schema;
  private long rows;
  private final Map<Integer, Long> values = new HashMap<>();
  private final Map<Integer, Long> nulls = new HashMap<>();
  private final Map<Integer, Object> lower = new HashMap<>();
  private final Map<Integer, Object> upper = new HashMap<>();
  private final Set<Integer> incomplete = new HashSet<>();

  private FooterCheck(Schema schema) {
    this.schema = schema;
  }

  /** The summary of input files, from their metrics as the manifests list them. */
  static FooterCheck ofInputs(Schema schema, List<DataFile> files) {
    FooterCheck check = new FooterCheck(schema);
    for (DataFile file : files) {
      check.add(
          file.recordCount(),
          file.valueCounts(),
          file.nullValueCounts(),
          file.lowerBounds(),
          file.upperBounds());
    }
    return check;
  }

  /** The summary of written files, from their footers read back from the table's storage. */
  static FooterCheck ofStorage(Table table, List<DataFile> files) {
    FooterCheck check = new FooterCheck(table.schema());
    MetricsConfig config = MetricsConfig.forTable(table);
    for (DataFile file : files) {
      Metrics metrics =
          ParquetUtil.footerMetrics(
              footer(table.io().newInputFile(file.location())), Stream.empty(), config);
      check.add(
          metrics.recordCount(),
          metrics.valueCounts(),
          metrics.nullValueCounts(),
          metrics.lowerBounds(),
          metrics.upperBounds());
    }
    return check;
  }

  /**
   * Reads a file's footer. Not {@code ParquetUtil.fileMetrics}, which builds a Hadoop {@code
   * Configuration} with its defaults loaded from the class path for each file: that took most of
   * the check's time.
   */
  static ParquetMetadata footer(InputFile file) {
    try (ParquetFileReader reader =
        ParquetFileReader.open(new ParquetInput(file), ParquetReadOptions.builder().build())) {
      return reader.getFooter();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the footer of " + file.location(), e);
    }
  }

  /** An Iceberg input file as Parquet's reader reads one. */
  private record ParquetInput(InputFile file) implements org.apache.parquet.io.InputFile {
    @Override
    public long getLength() {
      return file.getLength();
    }

    @Override
    public SeekableInputStream newStream() {
      org.apache.iceberg.io.SeekableInputStream stream = file.newStream();
      return new DelegatingSeekableInputStream(stream) {
        @Override
        public long getPos() throws IOException {
          return stream.getPos();
        }

        @Override
        public void seek(long position) throws IOException {
          stream.seek(position);
        }
      };
    }
  }

  /** What differs between the two summaries, or null when nothing does. */
  String difference(FooterCheck other) {
    if (rows != other.rows) {
      return "footers hold " + other.rows + " rows, expected " + rows;
    }
    for (Types.NestedField field : schema.columns()) {
      int id = field.fieldId();
      if (incomplete.contains(id) || other.incomplete.contains(id)) {
        continue;
      }
      String difference =
          differs("values", field, values.get(id), other.values.get(id))
              + differs("nulls", field, nulls.get(id), other.nulls.get(id))
              + differs("lower bound", field, lower.get(id), other.lower.get(id))
              + differs("upper bound", field, upper.get(id), other.upper.get(id));
      if (!difference.isEmpty()) {
        return difference.substring(2);
      }
    }
    return null;
  }

  private static String differs(String what, Types.NestedField field, Object mine, Object theirs) {
    if (mine == null || theirs == null || mine.equals(theirs)) {
      return "";
    }
    return "; " + field.name() + " " + what + " " + theirs + " in the footers, expected " + mine;
  }

  private void add(
      long recordCount,
      Map<Integer, Long> valueCounts,
      Map<Integer, Long> nullCounts,
      Map<Integer, ByteBuffer> lowerBounds,
      Map<Integer, ByteBuffer> upperBounds) {
    rows += recordCount;
    for (Types.NestedField field : schema.columns()) {
      int id = field.fieldId();
      if (!field.type().isPrimitiveType()) {
        incomplete.add(id);
        continue;
      }
      count(values, id, valueCounts);
      count(nulls, id, nullCounts);
      Type.PrimitiveType type = field.type().asPrimitiveType();
      Comparator<Object> order = Comparators.forType(type);
      bound(lower, id, type, lowerBounds, order);
      bound(upper, id, type, upperBounds, order.reversed());
    }
  }

  private void count(Map<Integer, Long> totals, int id, Map<Integer, Long> counts) {
    Long count = counts == null ? null : counts.get(id);
    if (count == null) {
      incomplete.add(id);
    } else {
      totals.merge(id, count, Long::sum);
    }
  }

  /** Keeps the first of the bounds in {@code order}; a file without one leaves it unknown. */
  private static void bound(
      Map<Integer, Object> kept,
      int id,
      Type.PrimitiveType type,
      Map<Integer, ByteBuffer> bounds,
      Comparator<Object> order) {
    ByteBuffer buffer = bounds == null ? null : bounds.get(id);
    if (buffer == null) {
      return;
    }
    Object value = Conversions.fromByteBuffer(type, buffer);
    if (value instanceof CharSequence text) {
      value = text.toString();
    } else if (value instanceof Double number) {
      value = number + 0.0; // Parquet's statistics write a zero minimum as -0.0
    } else if (value instanceof Float number) {
      value = number + 0.0f;
    }
    kept.merge(id, value, (a, b) -> order.compare(a, b) <= 0 ? a : b);
  }
}
