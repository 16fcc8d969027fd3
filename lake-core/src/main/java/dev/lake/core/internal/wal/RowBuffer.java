package dev.lake.core.internal.wal;

import dev.lake.core.model.LakeRow;
import dev.lake.core.table.TableDefinition;
import java.util.function.Consumer;

/**
 * Rows of one table held in memory in the write-ahead log's row encoding ({@code RowCodec}), for a
 * writer that keeps a partition's rows a while before writing them out: an order book delta takes
 * about 46 bytes here (Binance-sized update ids), where the row's objects take about 120, and the
 * bytes are one array, not thousands of small objects for the garbage collector to promote and
 * trace.
 *
 * <p>Rows are encoded as they are added, each a row of a log record without its table code; the
 * buffer is one record, so the strings its rows repeat (exchange, symbol) are written once and
 * referenced after. The array grows by doubling. Rows come back equal to those added, in the order
 * added. Not thread-safe: one thread at a time adds and reads.
 *
 * @param <R> the table's row type
 */
public final class RowBuffer<R extends LakeRow> {
  /**
   * Heap an empty buffer takes besides its array: this object, the sink, its buffer and string
   * slots, and the array's header.
   */
  public static final long OVERHEAD_BYTES = 256;

  private static final int FIRST_CAPACITY = 512;

  private final int code;
  private final ByteSink sink = ByteSink.recentStringsOnly(FIRST_CAPACITY);
  private int rows;

  /**
   * An empty buffer for rows of a table.
   *
   * @throws IllegalArgumentException for a table not among {@link
   *     dev.lake.core.table.LakeTables#all()}
   */
  public RowBuffer(TableDefinition<R> definition) {
    this.code = RowCodec.codeOf(definition);
    sink.beginRecord();
  }

  /** Encodes a row of the buffer's table at the end of the buffer. */
  public void add(R row) {
    RowCodec.encodeRow(code, row, sink);
    rows++;
  }

  /** The rows held. */
  public int rows() {
    return rows;
  }

  /** The bytes the rows take, encoded. */
  public int encodedBytes() {
    return sink.size();
  }

  /** Heap the buffer takes: its array, whatever it holds, and {@link #OVERHEAD_BYTES}. */
  public long heapBytes() {
    return sink.capacity() + OVERHEAD_BYTES;
  }

  /** Decodes every row held, in the order added, and gives each to {@code action}. */
  @SuppressWarnings("unchecked")
  public void forEach(Consumer<? super R> action) {
    ByteSource in = new ByteSource(sink.buffer().duplicate().flip());
    for (int i = 0; i < rows; i++) {
      action.accept((R) RowCodec.decodeRow(code, in));
    }
  }
}
