package dev.lake.exchanges.book;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.PriceLevel;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OrderBookTest {
  @Test
  void levelsStayBestFirstAndZeroRemoves() {
    OrderBook book = new OrderBook();
    book.set(BookSide.BID, 100, 1);
    book.set(BookSide.BID, 102, 2);
    book.set(BookSide.BID, 101, 3);
    book.set(BookSide.ASK, 105, 1);
    book.set(BookSide.ASK, 103, 1);
    book.set(BookSide.BID, 102, 0);
    book.set(BookSide.BID, 50, 0);
    assertThat(book.levels(BookSide.BID))
        .containsExactly(new PriceLevel(101, 3), new PriceLevel(100, 1));
    assertThat(book.top(BookSide.ASK, 1)).containsExactly(new PriceLevel(103, 1));
  }

  @Test
  void matchesASortedMapUnderRandomChanges() {
    Random random = new Random(42);
    OrderBook book = new OrderBook();
    TreeMap<Double, Double> expected = new TreeMap<>(Comparator.reverseOrder());
    for (int i = 0; i < 100_000; i++) {
      double price = 1000 + random.nextInt(2000) * 0.5;
      double quantity = random.nextInt(4) == 0 ? 0 : random.nextInt(100) / 10.0;
      book.set(BookSide.BID, price, quantity);
      set(expected, price, quantity);
    }
    assertThat(book.levels(BookSide.BID)).containsExactlyElementsOf(levels(expected));
  }

  /** What a venue's level change does to a side kept as a sorted map: zero removes. */
  private static void set(TreeMap<Double, Double> side, double price, double quantity) {
    if (quantity == 0) {
      side.remove(price);
    } else {
      side.put(price, quantity);
    }
  }

  private static List<PriceLevel> levels(TreeMap<Double, Double> side) {
    return side.entrySet().stream().map(e -> new PriceLevel(e.getKey(), e.getValue())).toList();
  }

  /**
   * Both sides against sorted maps, with changes mostly near the top (as venues send them), wire
   * text by position, lookups by price and truncation to a depth: positions count from the best.
   */
  @Test
  void bothSidesMatchSortedMapsByPositionTextAndPriceThroughTruncation() {
    Random random = new Random(7);
    OrderBook book = OrderBook.keepingWireText();
    TreeMap<Double, Double> bids = new TreeMap<>(Comparator.reverseOrder());
    TreeMap<Double, Double> asks = new TreeMap<>();
    for (int i = 0; i < 50_000; i++) {
      boolean bid = random.nextBoolean();
      // most changes within a few ticks of the top, some deep in the book
      int ticks = random.nextInt(10) < 8 ? random.nextInt(20) : random.nextInt(3000);
      double price = bid ? 10_000 - ticks * 0.5 : 10_000.5 + ticks * 0.5;
      double quantity = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(100) / 10.0;
      BookSide side = bid ? BookSide.BID : BookSide.ASK;
      book.set(side, price, quantity, Double.toString(price), Double.toString(quantity));
      set(bid ? bids : asks, price, quantity);
      if (i % 5_000 == 4_999) {
        book.truncate(300);
        while (bids.size() > 300) {
          bids.pollLastEntry();
        }
        while (asks.size() > 300) {
          asks.pollLastEntry();
        }
      }
    }
    for (BookSide side : BookSide.values()) {
      TreeMap<Double, Double> expected = side == BookSide.BID ? bids : asks;
      assertThat(book.levels(side)).containsExactlyElementsOf(levels(expected));
      int position = 0;
      for (var level : expected.entrySet()) {
        assertThat(book.price(side, position)).isEqualTo(level.getKey());
        assertThat(book.priceText(side, position)).isEqualTo(Double.toString(level.getKey()));
        assertThat(book.quantityText(side, position)).isEqualTo(Double.toString(level.getValue()));
        assertThat(book.quantity(side, level.getKey())).isEqualTo(level.getValue());
        position++;
      }
      assertThat(book.depth(side)).isEqualTo(expected.size());
      assertThat(book.quantity(side, 1.25)).isZero();
    }
  }
}
