package dev.lake.exchanges.binance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.book.BookSync;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinanceBooksTest {
  private final List<Long> requests = new ArrayList<>();
  private final List<LakeRow> rows = new ArrayList<>();

  private BookSync spot() {
    return book(MarketType.SPOT, null);
  }

  private BookSync futures() {
    return book(MarketType.FUTURE, null);
  }

  private BookSync book(MarketType market, Long persisted) {
    return new BookSync(
        "binance",
        market,
        "BTCUSDT",
        BinanceBooks.rules(market),
        persisted,
        (sync, delay) -> requests.add(delay));
  }

  private static BookMessage update(
      long first, long last, Long prev, double[][] bids, double[][] asks) {
    BookMessage update = new BookMessage();
    update.symbol = "BTCUSDT";
    update.timestampMicros = (1_723_100_000_000L + last) * 1000;
    update.firstId = first;
    update.lastId = last;
    if (prev != null) {
      update.prevId = prev;
    }
    for (double[] bid : bids) {
      update.bids.add(bid[0], bid[1]);
    }
    for (double[] ask : asks) {
      update.asks.add(ask[0], ask[1]);
    }
    return update;
  }

  private static BookMessage spotUpdate(
      long first, long last, double bidPrice, double bidQuantity) {
    return update(first, last, null, new double[][] {{bidPrice, bidQuantity}}, new double[][] {});
  }

  private static BookMessage snapshot(long id) {
    return depthSnapshot(id).toBookMessage("BTCUSDT");
  }

  private static BinanceDepthSnapshot depthSnapshot(long id) {
    return new BinanceDepthSnapshot(
        id,
        -1,
        new double[] {100, 99},
        new double[] {1, 2},
        new double[] {101},
        new double[] {3},
        5_000_000);
  }

  private List<StreamEvent> events() {
    return rows.stream()
        .filter(StreamEvent.class::isInstance)
        .map(StreamEvent.class::cast)
        .toList();
  }

  private List<OrderBookDelta> deltas() {
    return rows.stream()
        .filter(OrderBookDelta.class::isInstance)
        .map(OrderBookDelta.class::cast)
        .toList();
  }

  @Test
  void spotBuffersUntilTheSnapshotThenAppliesFromTheEventThatStraddlesIt() {
    BookSync sync = spot();
    sync.onMessage(spotUpdate(101, 102, 100, 5), 1, rows);
    assertThat(requests).containsExactly(0L);
    sync.onMessage(spotUpdate(103, 104, 99, 0), 2, rows);
    sync.onMessage(spotUpdate(105, 105, 98, 7), 3, rows);
    assertThat(sync.state()).isEqualTo(BookSync.State.SYNCING);

    sync.onSnapshot(snapshot(103), 5_000_000, rows);

    assertThat(sync.state()).isEqualTo(BookSync.State.LIVE);
    assertThat(sync.bookId()).isEqualTo(105);
    // the first event (u 102 <= 103) is older than the snapshot: not applied
    assertThat(sync.book().levels(BookSide.BID))
        .containsExactly(new PriceLevel(100, 1), new PriceLevel(98, 7));
    assertThat(sync.validated()).isEqualTo(2);
    assertThat(sync.gaps()).isZero();
    assertThat(deltas().stream().filter(d -> !d.isSnapshot())).hasSize(3);
    assertThat(deltas().stream().filter(OrderBookDelta::isSnapshot))
        .extracting(
            OrderBookDelta::side,
            OrderBookDelta::price,
            OrderBookDelta::level,
            OrderBookDelta::lastUpdateId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(BookSide.BID, 100.0, 0, 103L),
            org.assertj.core.groups.Tuple.tuple(BookSide.BID, 99.0, 1, 103L),
            org.assertj.core.groups.Tuple.tuple(BookSide.ASK, 101.0, 0, 103L));
    assertThat(events())
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.event()).isEqualTo(StreamEventType.RESYNC);
              assertThat(event.toUpdateId()).isEqualTo(103);
            });
  }

  @Test
  void aBreakInTheSequenceIsAGapWithTheMissingRangeAndResyncsTheBook() {
    BookSync sync = spot();
    sync.onMessage(spotUpdate(101, 102, 100, 5), 1, rows);
    sync.onSnapshot(snapshot(101), 5_000_000, rows);
    assertThat(sync.state()).isEqualTo(BookSync.State.LIVE);
    rows.clear();
    requests.clear();

    sync.onMessage(spotUpdate(110, 112, 97, 1), 9, rows);

    assertThat(events())
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.event()).isEqualTo(StreamEventType.GAP);
              assertThat(gap.fromUpdateId()).isEqualTo(103);
              assertThat(gap.toUpdateId()).isEqualTo(109);
              assertThat(gap.dataType()).isEqualTo("orderbook_delta");
              assertThat(gap.symbol()).isEqualTo("BTCUSDT");
            });
    assertThat(deltas())
        .hasSize(1)
        .allMatch(d -> d.lastUpdateId() == 112 && d.firstUpdateId() == 110);
    assertThat(sync.state()).isEqualTo(BookSync.State.SYNCING);
    assertThat(sync.book().depth(BookSide.BID)).isZero();
    assertThat(requests).containsExactly(0L);
  }

  @Test
  void aDuplicateIsRejectedAndNotStored() {
    BookSync sync = spot();
    sync.onMessage(spotUpdate(101, 102, 100, 5), 1, rows);
    rows.clear();
    sync.onMessage(spotUpdate(101, 102, 100, 5), 2, rows);
    assertThat(deltas()).isEmpty();
    assertThat(events())
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.event()).isEqualTo(StreamEventType.REJECTED_MESSAGE);
              assertThat(event.detail())
                  .isEqualTo("duplicate depth event: u 102 is not past the last stored u 102");
            });
    assertThat(sync.duplicates()).isEqualTo(1);
  }

  @Test
  void aSnapshotOlderThanTheBufferedEventsIsFetchedAgain() {
    BookSync sync = spot();
    sync.onMessage(spotUpdate(200, 205, 100, 5), 1, rows);
    requests.clear();
    sync.onSnapshot(snapshot(150), 5_000_000, rows);
    assertThat(sync.state()).isEqualTo(BookSync.State.SYNCING);
    assertThat(requests).containsExactly(500L);
    assertThat(deltas().stream().filter(OrderBookDelta::isSnapshot)).isEmpty();
  }

  @Test
  void futuresFollowPuAndTheSnapshotRuleUIsAtMostLastUpdateIdAndUAtLeastIt() {
    BookSync sync = futures();
    sync.onMessage(update(1000, 1010, 990L, new double[][] {{100, 4}}, new double[][] {}), 1, rows);
    sync.onMessage(
        update(1011, 1040, 1010L, new double[][] {}, new double[][] {{101, 0}}), 2, rows);
    sync.onMessage(update(1045, 1050, 1040L, new double[][] {{97, 1}}, new double[][] {}), 3, rows);
    sync.onSnapshot(snapshot(1020), 5_000_000, rows);
    assertThat(sync.state()).isEqualTo(BookSync.State.LIVE);
    assertThat(sync.bookId()).isEqualTo(1050);
    assertThat(sync.book().levels(BookSide.ASK)).isEmpty();
    assertThat(sync.book().levels(BookSide.BID))
        .containsExactly(new PriceLevel(100, 1), new PriceLevel(99, 2), new PriceLevel(97, 1));
    assertThat(deltas().stream().filter(d -> !d.isSnapshot()).map(OrderBookDelta::prevUpdateId))
        .containsExactly(990L, 1010L, 1040L);

    rows.clear();
    sync.onMessage(update(1060, 1070, 1055L, new double[][] {}, new double[][] {}), 4, rows);
    assertThat(events())
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.event()).isEqualTo(StreamEventType.GAP);
              assertThat(gap.fromUpdateId()).isEqualTo(1051);
              assertThat(gap.toUpdateId()).isEqualTo(1055);
            });
  }

  @Test
  void aFuturesEventWithoutPuIsRejected() {
    BookSync sync = futures();
    sync.onMessage(update(1, 2, null, new double[][] {}, new double[][] {}), 1, rows);
    assertThat(deltas()).isEmpty();
    assertThat(events())
        .singleElement()
        .extracting(StreamEvent::event)
        .isEqualTo(StreamEventType.REJECTED_MESSAGE);
  }

  @Test
  void theFirstEventAfterARestartRecordsARestartGapFromTheLastPersistedId() {
    BookSync sync = book(MarketType.SPOT, 50L);
    sync.onMessage(spotUpdate(60, 61, 100, 1), 1, rows);
    assertThat(events())
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.event()).isEqualTo(StreamEventType.RESTART_GAP);
              assertThat(gap.fromUpdateId()).isEqualTo(51);
              assertThat(gap.toUpdateId()).isEqualTo(59);
            });
    rows.clear();
    sync.onMessage(spotUpdate(62, 63, 100, 2), 2, rows);
    assertThat(events()).isEmpty();
  }

  @Test
  void aLiveBookGivesSnapshotRowsWithItsUpdateId() {
    BookSync sync = spot();
    assertThat(sync.snapshot(5, 1000, 2)).as("no book yet").isNull();
    sync.onMessage(spotUpdate(101, 102, 100, 5), 1, rows);
    sync.onSnapshot(snapshot(101), 5_000_000, rows);
    OrderBookSnapshot snapshot = sync.snapshot(1, 1_723_100_001_000L, 7);
    assertThat(snapshot.bids()).containsExactly(new PriceLevel(100, 5));
    assertThat(snapshot.asks()).containsExactly(new PriceLevel(101, 3));
    assertThat(snapshot.lastUpdateId()).isEqualTo(102);
    assertThat(snapshot.timestampMs()).isEqualTo(1_723_100_001_000L);
  }
}
