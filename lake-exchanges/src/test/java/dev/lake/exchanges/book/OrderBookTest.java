package dev.lake.exchanges.book;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.PriceLevel;
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
    TreeMap<Double, Double> expected = new TreeMap<>(java.util.Comparator.reverseOrder());
    for (int i = 0; i < 100_000; i++) {
      double price = 1000 + random.nextInt(2000) * 0.5;
      double quantity = random.nextInt(4) == 0 ? 0 : random.nextInt(100) / 10.0;
      book.set(BookSide.BID, price, quantity);
      if (quantity == 0) {
        expected.remove(price);
      } else {
        expected.put(price, quantity);
      }
    }
    assertThat(book.levels(BookSide.BID))
        .containsExactlyElementsOf(
            expected.entrySet().stream()
                .map(e -> new PriceLevel(e.getKey(), e.getValue()))
                .toList());
  }
}
