package dev.lake.exchanges.book;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.PriceLevel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A price-level order book: quantities by price on each side, best first, in sorted primitive
 * arrays (a book has hundreds to a few thousand levels, and most changes are near the top). Setting
 * a quantity of 0 removes a level; removing an unknown level is a no-op, as venues expect. A book
 * made {@link #keepingWireText() keeping wire text} also keeps each level's price and quantity as
 * the venue wrote them, which checksums are computed from. Not thread-safe.
 */
public final class OrderBook {
  private final Levels bids;
  private final Levels asks;

  /** A book of numbers only. */
  public OrderBook() {
    this(false);
  }

  private OrderBook(boolean text) {
    bids = new Levels(true, text);
    asks = new Levels(false, text);
  }

  /** A book that also keeps the venue's text of every price and quantity (for checksums). */
  public static OrderBook keepingWireText() {
    return new OrderBook(true);
  }

  /** Whether this book keeps wire text. */
  public boolean keepsWireText() {
    return bids.priceTexts != null;
  }

  /** Sets a level's quantity; 0 removes it. */
  public void set(BookSide side, double price, double quantity) {
    side(side).set(price, quantity, null, null);
  }

  /** Sets a level's quantity and keeps its wire text (ignored by a book of numbers only). */
  public void set(
      BookSide side, double price, double quantity, String priceText, String quantityText) {
    side(side).set(price, quantity, priceText, quantityText);
  }

  /**
   * Keeps only the best {@code depth} levels of each side (venues that send no deletes beyond it).
   */
  public void truncate(int depth) {
    bids.truncate(depth);
    asks.truncate(depth);
  }

  /** The price of the level at a position of a side (0 = best), as the venue wrote it. */
  public String priceText(BookSide side, int position) {
    return side(side).text(side(side).priceTexts, position);
  }

  /** The quantity of the level at a position of a side (0 = best), as the venue wrote it. */
  public String quantityText(BookSide side, int position) {
    return side(side).text(side(side).quantityTexts, position);
  }

  public void clear() {
    bids.clear();
    asks.clear();
  }

  /** Number of levels on a side. */
  public int depth(BookSide side) {
    return side(side).size;
  }

  /** The price of the level at a position of a side (0 = best). */
  public double price(BookSide side, int position) {
    Levels levels = side(side);
    if (position < 0 || position >= levels.size) {
      throw new IndexOutOfBoundsException("Invalid level " + position + " of " + levels.size);
    }
    return levels.prices[position];
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
    private String[] priceTexts;
    private String[] quantityTexts;
    private int size;

    Levels(boolean descending, boolean text) {
      this.descending = descending;
      if (text) {
        priceTexts = new String[64];
        quantityTexts = new String[64];
      }
    }

    void clear() {
      if (priceTexts != null) {
        Arrays.fill(priceTexts, 0, size, null);
        Arrays.fill(quantityTexts, 0, size, null);
      }
      size = 0;
    }

    void truncate(int depth) {
      if (depth < size) {
        if (priceTexts != null) {
          Arrays.fill(priceTexts, depth, size, null);
          Arrays.fill(quantityTexts, depth, size, null);
        }
        size = depth;
      }
    }

    String text(String[] texts, int position) {
      if (position < 0 || position >= size) {
        throw new IndexOutOfBoundsException("Invalid level " + position + " of " + size);
      }
      if (texts == null) {
        throw new IllegalStateException("Cannot read wire text: this book keeps numbers only");
      }
      return texts[position];
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

    void set(double price, double quantity, String priceText, String quantityText) {
      int index = find(price);
      if (index >= 0) {
        if (quantity == 0) {
          System.arraycopy(prices, index + 1, prices, index, size - index - 1);
          System.arraycopy(quantities, index + 1, quantities, index, size - index - 1);
          if (priceTexts != null) {
            System.arraycopy(priceTexts, index + 1, priceTexts, index, size - index - 1);
            System.arraycopy(quantityTexts, index + 1, quantityTexts, index, size - index - 1);
            priceTexts[size - 1] = quantityTexts[size - 1] = null;
          }
          size--;
        } else {
          quantities[index] = quantity;
          if (priceTexts != null) {
            priceTexts[index] = priceText;
            quantityTexts[index] = quantityText;
          }
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
        if (priceTexts != null) {
          priceTexts = Arrays.copyOf(priceTexts, size * 2);
          quantityTexts = Arrays.copyOf(quantityTexts, size * 2);
        }
      }
      System.arraycopy(prices, insert, prices, insert + 1, size - insert);
      System.arraycopy(quantities, insert, quantities, insert + 1, size - insert);
      prices[insert] = price;
      quantities[insert] = quantity;
      if (priceTexts != null) {
        System.arraycopy(priceTexts, insert, priceTexts, insert + 1, size - insert);
        System.arraycopy(quantityTexts, insert, quantityTexts, insert + 1, size - insert);
        priceTexts[insert] = priceText;
        quantityTexts[insert] = quantityText;
      }
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
