package dev.lake.exchanges.book;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.OrderBookDelta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rebuilds an order book from {@code orderbook_delta} rows alone, as a reader of the table would:
 * the latest full book ({@code is_snapshot} rows of one update id L), then every change whose
 * message ends after it, in update-id order. Rows are stored in arrival order, and a book's
 * snapshot arrives after the events buffered while it was fetched, so order by id, not by arrival.
 */
public final class BookReplay {
  private BookReplay() {}

  /**
   * The book after the given rows of one symbol.
   *
   * @param rows the symbol's rows, in any order
   * @param inclusive true for venues whose first event after a snapshot may end at its id (Binance
   *     futures: {@code u >= L}); false where it must end after it (spot: {@code u > L})
   * @return the rebuilt book, or an empty book when the rows hold no snapshot
   */
  public static OrderBook rebuild(List<OrderBookDelta> rows, boolean inclusive) {
    long snapshotId = Long.MIN_VALUE;
    for (OrderBookDelta row : rows) {
      if (row.isSnapshot()) {
        snapshotId = Math.max(snapshotId, row.lastUpdateId());
      }
    }
    OrderBook book = new OrderBook();
    if (snapshotId == Long.MIN_VALUE) {
      return book;
    }
    List<OrderBookDelta> changes = new ArrayList<>();
    for (OrderBookDelta row : rows) {
      if (row.isSnapshot()) {
        if (row.lastUpdateId() == snapshotId) {
          book.set(row.side(), row.price(), row.quantity());
        }
      } else if (inclusive ? row.lastUpdateId() >= snapshotId : row.lastUpdateId() > snapshotId) {
        changes.add(row);
      }
    }
    changes.sort(
        Comparator.comparingLong(OrderBookDelta::lastUpdateId)
            .thenComparing(OrderBookDelta::side, Comparator.comparing(BookSide::ordinal))
            .thenComparingInt(OrderBookDelta::level));
    for (OrderBookDelta change : changes) {
      book.set(change.side(), change.price(), change.quantity());
    }
    return book;
  }
}
