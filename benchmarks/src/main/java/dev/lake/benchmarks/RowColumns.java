package dev.lake.benchmarks;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.OrderBookDelta;
import java.util.Arrays;

/** The delta rows of a run, column by column, so that baselines write exactly lake's rows. */
final class RowColumns {
  final String[] symbols;
  int size;
  int[] symbol;
  long[] timestamp;
  long[] lastUpdateId;
  boolean[] bid;
  double[] price;
  double[] quantity;
  int[] level;
  long[] local;
  long[] first;
  long[] previous;
  boolean[] snapshot;
  String[] markets;

  RowColumns(String[] symbols, String[] markets, int capacity) {
    this.symbols = symbols;
    this.markets = markets;
    symbol = new int[capacity];
    timestamp = new long[capacity];
    lastUpdateId = new long[capacity];
    bid = new boolean[capacity];
    price = new double[capacity];
    quantity = new double[capacity];
    level = new int[capacity];
    local = new long[capacity];
    first = new long[capacity];
    previous = new long[capacity];
    snapshot = new boolean[capacity];
  }

  /** Null in first/previous update id. */
  static final long NONE = Long.MIN_VALUE;

  void add(int book, LakeRow row) {
    if (!(row instanceof OrderBookDelta delta)) {
      return;
    }
    if (size == symbol.length) {
      grow();
    }
    int i = size++;
    symbol[i] = book;
    timestamp[i] = delta.timestampMicros();
    lastUpdateId[i] = delta.lastUpdateId();
    bid[i] = delta.side() == BookSide.BID;
    price[i] = delta.price();
    quantity[i] = delta.quantity();
    level[i] = delta.level();
    local[i] = delta.localTimestampMicros();
    first[i] = delta.firstUpdateId() == null ? NONE : delta.firstUpdateId();
    previous[i] = delta.prevUpdateId() == null ? NONE : delta.prevUpdateId();
    snapshot[i] = delta.isSnapshot();
  }

  private void grow() {
    int capacity = symbol.length * 2;
    symbol = Arrays.copyOf(symbol, capacity);
    timestamp = Arrays.copyOf(timestamp, capacity);
    lastUpdateId = Arrays.copyOf(lastUpdateId, capacity);
    bid = Arrays.copyOf(bid, capacity);
    price = Arrays.copyOf(price, capacity);
    quantity = Arrays.copyOf(quantity, capacity);
    level = Arrays.copyOf(level, capacity);
    local = Arrays.copyOf(local, capacity);
    first = Arrays.copyOf(first, capacity);
    previous = Arrays.copyOf(previous, capacity);
    snapshot = Arrays.copyOf(snapshot, capacity);
  }
}
