package dev.lake.cli;

import dev.lake.core.model.OrderBookDelta;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the venue ITs may expect of a book update the fake delivered. lake stores it as a delta,
 * unless it arrived while its book was out of sync: between the gap lake detected and the snapshot
 * that restarted the book, lake applies nothing, and that snapshot already includes the update. How
 * many updates fall in that window depends on how fast lake resubscribes, so on the machine's load;
 * a test that expects each delivered update as a delta fails on a busy machine.
 */
final class ResyncCoverage {
  private ResyncCoverage() {}

  /**
   * True when the update with this id is stored as a delta of the book, or a snapshot of the book
   * taken at or after it restarted the book (the first snapshot of a book has a lower id than every
   * update the ITs publish, so only a resync's snapshot can cover one).
   */
  static boolean storedOrCoveredByResync(
      List<OrderBookDelta> deltas, Predicate<OrderBookDelta> book, long id) {
    return deltas.stream()
        .filter(book)
        .anyMatch(row -> row.isSnapshot() ? row.lastUpdateId() >= id : row.lastUpdateId() == id);
  }

  /** True when the update with this id is stored as a delta of the book. */
  static boolean stored(List<OrderBookDelta> deltas, Predicate<OrderBookDelta> book, long id) {
    return deltas.stream()
        .filter(book)
        .anyMatch(row -> !row.isSnapshot() && row.lastUpdateId() == id);
  }
}
