package dev.lake.testing.binance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The order book the fake server keeps for one (market, symbol): price levels of bids and asks and
 * the id of the last update applied ({@code lastUpdateId}, the {@code u} of the last depth event).
 *
 * <p>Thread-safe: every accessor returns a consistent copy taken under the book's lock; the server
 * changes the book under the same lock.
 */
public final class FakeBook {
  private final Decimals decimals;
  private final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
  private final TreeMap<Long, Long> asks = new TreeMap<>();
  private long lastUpdateId;

  FakeBook(Decimals decimals, long lastUpdateId) {
    this.decimals = decimals;
    this.lastUpdateId = lastUpdateId;
  }

  /** The {@code u} of the last depth event applied to this book (the REST snapshot's id). */
  public synchronized long lastUpdateId() {
    return lastUpdateId;
  }

  /** A copy of the bid levels, price to quantity, highest price first. */
  public synchronized NavigableMap<Double, Double> bids() {
    return copy(bids, Comparator.reverseOrder());
  }

  /** A copy of the ask levels, price to quantity, lowest price first. */
  public synchronized NavigableMap<Double, Double> asks() {
    return copy(asks, Comparator.naturalOrder());
  }

  /** The id and the best {@code limit} levels of each side, as REST shows them. */
  synchronized BookSnapshot snapshot(int limit) {
    return new BookSnapshot(lastUpdateId, levels(bids, limit), levels(asks, limit));
  }

  /** The mid price in ticks (may end in .5), or empty when a side is empty. */
  synchronized OptionalDouble midTicks() {
    if (bids.isEmpty() || asks.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((bids.firstKey() + asks.firstKey()) / 2.0);
  }

  /** One side, ticks to lots, best first; callers must hold the book's lock. */
  TreeMap<Long, Long> side(boolean bid) {
    return bid ? bids : asks;
  }

  /** Sets the id of the last applied update; callers must hold the book's lock. */
  void lastUpdateId(long id) {
    lastUpdateId = id;
  }

  Decimals decimals() {
    return decimals;
  }

  private List<String[]> levels(TreeMap<Long, Long> side, int limit) {
    List<String[]> levels = new ArrayList<>(Math.min(limit, side.size()));
    for (Map.Entry<Long, Long> level : side.entrySet()) {
      if (levels.size() == limit) {
        break;
      }
      levels.add(decimals.level(level.getKey(), level.getValue()));
    }
    return Collections.unmodifiableList(levels);
  }

  private NavigableMap<Double, Double> copy(TreeMap<Long, Long> side, Comparator<Double> order) {
    NavigableMap<Double, Double> copy = new TreeMap<>(order);
    side.forEach(
        (ticks, lots) -> copy.put(Decimals.priceValue(ticks), decimals.quantityValue(lots)));
    return copy;
  }
}
