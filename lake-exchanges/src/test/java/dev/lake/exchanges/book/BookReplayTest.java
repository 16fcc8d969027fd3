package dev.lake.exchanges.book;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.PriceLevel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The venue-neutral rebuild rule, case by case, on scripted {@code orderbook_delta} rows as each
 * kind of venue leaves them in the table. Times are seconds after an origin: {@code sent} is the
 * exchange time, {@code received} the receive time.
 */
class BookReplayTest {
  private static final long ORIGIN = 1_700_000_000_000_000L;
  private final List<OrderBookDelta> rows = new ArrayList<>();

  private static long at(double seconds) {
    return ORIGIN + Math.round(seconds * 1_000_000);
  }

  /** A snapshot of one bid and one ask, each of quantity 1. */
  private void snapshot(long id, double sent, double received, double bid, double ask) {
    rows.add(row(id, sent, received, BookSide.BID, bid, 1, true));
    rows.add(row(id, sent, received, BookSide.ASK, ask, 1, true));
  }

  /** A message changing one bid level. */
  private void bid(long id, double sent, double received, double price, double quantity) {
    rows.add(row(id, sent, received, BookSide.BID, price, quantity, false));
  }

  private static OrderBookDelta row(
      long id,
      double sent,
      double received,
      BookSide side,
      double price,
      double quantity,
      boolean snapshot) {
    return new OrderBookDelta(
        "venue",
        MarketType.FUTURE,
        "BTC",
        at(sent),
        id,
        side,
        price,
        quantity,
        0,
        at(received),
        null,
        null,
        snapshot);
  }

  private static List<PriceLevel> levels(double... priceThenQuantity) {
    List<PriceLevel> levels = new ArrayList<>();
    for (int i = 0; i < priceThenQuantity.length; i += 2) {
      levels.add(new PriceLevel(priceThenQuantity[i], priceThenQuantity[i + 1]));
    }
    return levels;
  }

  private OrderBook rebuilt() {
    return BookReplay.rebuild(rows).orElseThrow().book();
  }

  @Test
  void aRestSnapshotIsStitchedToTheMessagesReceivedBeforeIt() {
    bid(98, 1.0, 1.0, 98.5, 7); // before the snapshot's id (and since removed): not applied
    bid(101, 1.1, 1.1, 100, 1); // ends at the snapshot's id: applied again, harmlessly
    bid(102, 1.2, 1.2, 99, 5); // past the snapshot, received while it was fetched
    snapshot(101, 1.05, 1.3, 100, 110);
    bid(103, 1.4, 1.4, 100, 0);

    assertThat(rebuilt().levels(BookSide.BID)).isEqualTo(levels(99, 5));
    assertThat(rebuilt().levels(BookSide.ASK)).isEqualTo(levels(110, 1));
  }

  @Test
  void messagesReceivedAfterARestSnapshotButOlderThanItAreSkipped() {
    snapshot(105, 2.0, 2.0, 100, 110);
    bid(103, 1.9, 2.1, 100, 7); // the stream lagged the REST snapshot
    bid(104, 1.95, 2.2, 101, 7);
    bid(106, 2.3, 2.3, 102, 1);

    assertThat(rebuilt().levels(BookSide.BID)).isEqualTo(levels(102, 1, 100, 1));
  }

  @Test
  void aStreamSnapshotIsFollowedInReceiveOrderEvenWhenIdsGoDown() {
    snapshot(1000, 1, 1, 100, 110);
    bid(1005, 2, 2, 100, 2);
    bid(3, 3, 3, 101, 1); // after the venue's maintenance ids start low again, still linked
    bid(7, 4, 4, 100, 0);

    assertThat(rebuilt().levels(BookSide.BID)).isEqualTo(levels(101, 1));
  }

  @Test
  void aVenueResetRebuildsFromItsSnapshotAndLeavesTheOldNumberingOut() {
    snapshot(500, 1, 1, 100, 110);
    bid(501, 2, 2, 100, 4);
    bid(502, 3, 3, 99, 2);
    snapshot(1, 10, 10, 90, 91); // the venue restarted: u = 1
    bid(2, 11, 11, 90, 5);
    bid(3, 12, 12, 89, 1);

    OrderBook book = rebuilt();
    assertThat(book.levels(BookSide.BID)).isEqualTo(levels(90, 5, 89, 1));
    assertThat(book.levels(BookSide.ASK)).isEqualTo(levels(91, 1));
  }

  @Test
  void aBookWithLakeAssignedIdsIsRebuiltFromItsLatestSnapshot() {
    // no ids from the venue: lake assigns max(previous id + 1, receive time in microseconds)
    snapshot(at(1), 1, 1, 100, 110);
    bid(at(2), 2, 2, 100, 2);
    snapshot(at(5), 5, 5, 95, 96); // a new subscription after a reconnect
    bid(at(5) + 1, 5, 5, 94, 3); // received in the same microsecond as the snapshot
    bid(at(6), 6, 6, 95, 3);

    OrderBook book = rebuilt();
    assertThat(book.levels(BookSide.BID)).isEqualTo(levels(95, 3, 94, 3));
    assertThat(book.levels(BookSide.ASK)).isEqualTo(levels(96, 1));
  }

  @Test
  void aTimeBetweenTwoSnapshotsRebuildsFromTheEarlierOneUpToThatTime() {
    snapshot(10, 1, 1.001, 100, 110);
    bid(11, 2, 2.001, 100, 2);
    bid(12, 3, 3.001, 100, 3);
    snapshot(20, 5, 5.001, 99, 111);
    bid(21, 6, 6.001, 99, 2);

    BookReplay.Rebuilt rebuilt = BookReplay.rebuild(rows, at(2.5)).orElseThrow();
    assertThat(rebuilt.snapshot()).isEqualTo(new BookReplay.Snapshot(10, at(1), at(1.001)));
    assertThat(rebuilt.book().levels(BookSide.BID)).isEqualTo(levels(100, 2));
    assertThat(rebuilt.updateId()).isEqualTo(11);
    assertThat(rebuilt.updateTimestampMicros()).isEqualTo(at(2));
    assertThat(rebuilt.rowsApplied()).isEqualTo(1);
  }

  @Test
  void aTimeBeforeEverySnapshotHasNoBook() {
    bid(9, 0.5, 0.5, 100, 2);
    snapshot(10, 1, 1, 100, 110);

    assertThat(BookReplay.rebuild(rows, at(0.9))).isEmpty();
  }

  @Test
  void byReceiveTimeTheCutOffLeavesOutWhatWasReceivedAfterIt() {
    snapshot(10, 1, 1.5, 100, 110);
    bid(11, 2, 4, 100, 2); // sent before 3 s, received after it

    assertThat(
            BookReplay.rebuildByReceiveTime(rows, at(3)).orElseThrow().book().levels(BookSide.BID))
        .isEqualTo(levels(100, 1));
    assertThat(BookReplay.rebuild(rows, at(3)).orElseThrow().book().levels(BookSide.BID))
        .isEqualTo(levels(100, 2));
  }
}
