package dev.lake.exchanges.book;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.PriceLevel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A price-level order book: quantities by price on each side, best first, in sorted primitive
 * arrays (a book has hundreds to a few thousand levels, and most changes are near the top). Setting
 * a quantity of 0 removes a level; removing an unknown level is a no-op, as venues expect. Not
 * thread-safe.
 */
public final class OrderBook {
  private final Levels bids = new Levels(true);
  private final Levels asks = new Levels(false);

  /** Sets a level's quantity; 0 removes it. */
  public void set(BookSide side, double price, double quantity) {
    side(side).set(price, quantity);
  }

  public void clear() {
    bids.clear();
    asks.clear();
  }

  /** Number of levels on a side. */
  public int depth(BookSide side) {
    return side(side).size;
  }

  /** Up to {@code count} levels of a side, best first. */
  public List<PriceLevel> top(BookSide side, int count) {
    Levels levels = side(side);
    int n = Math.min(count, levels.size);
    List<PriceLevel> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      result.add(new PriceLevel(levels.prices[i], levels.quantities[i]));
    }
    return result;
  }

  /** Every level of a side, best first. */
  public List<PriceLevel> levels(BookSide side) {
    return top(side, Integer.MAX_VALUE);
  }

  /** The quantity at a price, or 0. */
  public double quantity(BookSide side, double price) {
    Levels levels = side(side);
    int index = levels.find(price);
    return index >= 0 ? levels.quantities[index] : 0;
  }

  private Levels side(BookSide side) {
    return side == BookSide.BID ? bids : asks;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OrderBook book && bids.equals(book.bids) && asks.equals(book.asks);
  }

  @Override
  public int hashCode() {
    return bids.hashCode() * 31 + asks.hashCode();
  }

  @Override
  public String toString() {
    return "OrderBook[bids=" + levels(BookSide.BID) + ", asks=" + levels(BookSide.ASK) + "]";
  }

  private static final class Levels {
    private final boolean descending;
    private double[] prices = new double[64];
    private double[] quantities = new double[64];
    private int size;

    Levels(boolean descending) {
      this.descending = descending;
    }

    void clear() {
      size = 0;
    }

    /** Index of the price, or -(insertion point) - 1. */
    int find(double price) {
      int low = 0;
      int high = size - 1;
      while (low <= high) {
        int mid = (low + high) >>> 1;
        double value = prices[mid];
        if (value == price) {
          return mid;
        }
        boolean before = descending ? value > price : value < price;
        if (before) {
          low = mid + 1;
        } else {
          high = mid - 1;
        }
      }
      return -(low + 1);
    }

    void set(double price, double quantity) {
      int index = find(price);
      if (index >= 0) {
        if (quantity == 0) {
          System.arraycopy(prices, index + 1, prices, index, size - index - 1);
          System.arraycopy(quantities, index + 1, quantities, index, size - index - 1);
          size--;
        } else {
          quantities[index] = quantity;
        }
        return;
      }
      if (quantity == 0) {
        return;
      }
      int insert = -index - 1;
      if (size == prices.length) {
        prices = Arrays.copyOf(prices, size * 2);
        quantities = Arrays.copyOf(quantities, size * 2);
      }
      System.arraycopy(prices, insert, prices, insert + 1, size - insert);
      System.arraycopy(quantities, insert, quantities, insert + 1, size - insert);
      prices[insert] = price;
      quantities[insert] = quantity;
      size++;
    }

    @Override
    public boolean equals(Object other) {
      if (!(other instanceof Levels levels) || levels.size != size) {
        return false;
      }
      return Arrays.equals(prices, 0, size, levels.prices, 0, size)
          && Arrays.equals(quantities, 0, size, levels.quantities, 0, size);
    }

    @Override
    public int hashCode() {
      int hash = size;
      for (int i = 0; i < size; i++) {
        hash = hash * 31 + Double.hashCode(prices[i]);
      }
      return hash;
    }
  }
}
