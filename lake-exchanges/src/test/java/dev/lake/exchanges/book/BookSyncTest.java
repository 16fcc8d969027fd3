package dev.lake.exchanges.book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The venue-neutral book state machine, rule by rule, with scripted messages; each case names the
 * {@code stream_events} rows it expects.
 */
class BookSyncTest {
  private static final BookRules.IdNames IDS = new BookRules.IdNames("U", "u", "pu");
  private final List<Long> seedRequests = new ArrayList<>();
  private final List<LakeRow> rows = new ArrayList<>();
  private long clock = 1_000_000;

  private BookSync book(BookRules rules) {
    return book(rules, null);
  }

  private BookSync book(BookRules rules, Long persisted) {
    return new BookSync(
        "venue", MarketType.FUTURE, "BTC", rules, persisted, (b, delay) -> seedRequests.add(delay));
  }

  private static BookMessage message(long first, long last, long prev, double... bidThenAsk) {
    BookMessage message = new BookMessage();
    message.symbol = "BTC";
    message.timestampMicros = 1_700_000_000_000_000L + (last == BookMessage.NONE ? 0 : last);
    message.firstId = first;
    message.lastId = last;
    message.prevId = prev;
    for (int i = 0; i + 1 < bidThenAsk.length; i += 2) {
      if (i / 2 % 2 == 0) {
        message.bids.add(bidThenAsk[i], bidThenAsk[i + 1]);
      } else {
        message.asks.add(bidThenAsk[i], bidThenAsk[i + 1]);
      }
    }
    return message;
  }

  /** A message with bid changes only. */
  private static BookMessage bids(long first, long last, long prev, double price, double qty) {
    BookMessage message = message(first, last, prev);
    message.bids.add(price, qty);
    return message;
  }

  private static BookMessage snapshot(long id, double bid, double ask) {
    BookMessage message = message(BookMessage.NONE, id, BookMessage.NONE);
    message.snapshot = true;
    message.bids.add(bid, 1);
    message.asks.add(ask, 1);
    return message;
  }

  private void send(BookSync book, BookMessage message) {
    book.onMessage(message, clock++, rows);
  }

  private List<StreamEventType> events() {
    return rows.stream()
        .filter(StreamEvent.class::isInstance)
        .map(row -> ((StreamEvent) row).event())
        .toList();
  }

  private StreamEvent event(StreamEventType type) {
    return rows.stream()
        .filter(StreamEvent.class::isInstance)
        .map(StreamEvent.class::cast)
        .filter(e -> e.event() == type)
        .findFirst()
        .orElseThrow();
  }

  private List<OrderBookDelta> deltas() {
    return rows.stream()
        .filter(OrderBookDelta.class::isInstance)
        .map(OrderBookDelta.class::cast)
        .toList();
  }

  @Test
  void aConnectionBreakIsAnOpenEndedGapFromTheLastIdAndAsksForANewBookAtOnce() {
    BookSync book = book(BookRules.streamSeeded(BookSequence.NONE, BookRules.IdNames.GENERIC));
    send(book, snapshot(BookMessage.NONE, 100, 101));
    long last = book.lastId();

    book.onConnectionBreak("sequence_num 12 after 10 on ws-1", 5_000_000, rows);

    StreamEvent gap = event(StreamEventType.GAP);
    assertThat(gap.detail()).isEqualTo("sequence_num 12 after 10 on ws-1");
    assertThat(gap.fromUpdateId()).isEqualTo(last + 1);
    assertThat(gap.toUpdateId()).isNull();
    assertThat(book.state()).isEqualTo(BookSync.State.SYNCING);
    assertThat(book.gaps()).isEqualTo(1);
    assertThat(seedRequests).containsExactly(0L);
  }

  @Test
  void aConnectionBreakBeforeAnythingWasStoredRecordsNoGapButAsksForABook() {
    BookSync book = book(BookRules.streamSeeded(BookSequence.NONE, BookRules.IdNames.GENERIC));

    book.onConnectionBreak("connection ws-1 closed", 5_000_000, rows);

    assertThat(rows).isEmpty();
    assertThat(seedRequests).containsExactly(0L);
  }

  @Test
  void contiguousIdsFollowEachOtherAndABreakIsAGapWithTheMissingRange() {
    BookSync book = book(BookRules.streamSeeded(BookSequence.CONTIGUOUS, IDS));
    send(book, snapshot(10, 100, 101));
    send(book, bids(11, 11, BookMessage.NONE, 100, 2));
    send(book, bids(12, 12, BookMessage.NONE, 100, 3));
    send(book, bids(15, 15, BookMessage.NONE, 100, 4));

    assertThat(events()).containsExactly(StreamEventType.RESYNC, StreamEventType.GAP);
    StreamEvent gap = event(StreamEventType.GAP);
    assertThat(gap.fromUpdateId()).isEqualTo(13);
    assertThat(gap.toUpdateId()).isEqualTo(14);
    assertThat(gap.detail()).isEqualTo("event u=15 does not follow u=12");
    assertThat(book.validated()).isEqualTo(2);
    assertThat(book.state()).isEqualTo(BookSync.State.SYNCING);
    assertThat(seedRequests).containsExactly(0L);
    assertThat(deltas()).filteredOn(d -> !d.isSnapshot()).hasSize(3);
  }

  @Test
  void aStreamSnapshotAfterAGapReloadsTheBookAndRecordsTheIdsItSkipped() {
    BookSync book = book(BookRules.streamSeeded(BookSequence.CONTIGUOUS, IDS));
    send(book, snapshot(10, 100, 101));
    send(book, bids(13, 13, BookMessage.NONE, 100, 2));
    send(book, snapshot(20, 99, 102));

    assertThat(events())
        .containsExactly(
            StreamEventType.RESYNC,
            StreamEventType.GAP,
            StreamEventType.GAP,
            StreamEventType.RESYNC);
    StreamEvent skipped =
        rows.stream()
            .filter(StreamEvent.class::isInstance)
            .map(StreamEvent.class::cast)
            .filter(e -> e.event() == StreamEventType.GAP)
            .toList()
            .get(1);
    assertThat(skipped.fromUpdateId()).isEqualTo(14);
    assertThat(skipped.toUpdateId()).isEqualTo(20);
    assertThat(book.state()).isEqualTo(BookSync.State.LIVE);
    assertThat(book.book().levels(BookSide.BID)).containsExactly(new PriceLevel(99, 1));
  }

  @Test
  void aNewSnapshotMidStreamIsAResetNotADuplicate() {
    BookSync book = book(BookRules.streamSeeded(BookSequence.CONTIGUOUS, IDS));
    send(book, snapshot(10, 100, 101));
    send(book, bids(11, 11, BookMessage.NONE, 100, 2));
    send(book, snapshot(11, 98, 103));

    assertThat(events()).containsExactly(StreamEventType.RESYNC, StreamEventType.RESYNC);
    assertThat(event(StreamEventType.RESYNC).detail())
        .startsWith("book loaded from the stream's snapshot at 10");
    assertThat(((StreamEvent) rows.get(rows.size() - 1)).detail())
        .startsWith("the venue sent a new snapshot mid-stream at 11");
    assertThat(book.duplicates()).isZero();
    assertThat(book.book().levels(BookSide.BID)).containsExactly(new PriceLevel(98, 1));
  }

  @Test
  void aResetRuleMessageRestartsTheIdsWithoutAGapOrADuplicate() {
    BookRules bybitLike =
        BookRules.streamSeeded(BookSequence.CONTIGUOUS, IDS).resetWhen(m -> m.lastId == 1);
    BookSync book = book(bybitLike);
    send(book, snapshot(500, 100, 101));
    send(book, bids(501, 501, BookMessage.NONE, 100, 2));
    BookMessage restart = message(1, 1, BookMessage.NONE, 90, 5, 91, 6);
    send(book, restart);
    send(book, bids(2, 2, BookMessage.NONE, 90, 7));

    assertThat(events()).containsExactly(StreamEventType.RESYNC, StreamEventType.RESYNC);
    assertThat(
            ((StreamEvent) rows.stream().filter(StreamEvent.class::isInstance).toList().get(1))
                .detail())
        .startsWith("the venue reset the book: a snapshot at 1 after 501");
    assertThat(book.duplicates()).isZero();
    assertThat(book.gaps()).isZero();
    assertThat(book.book().levels(BookSide.BID)).containsExactly(new PriceLevel(90, 7));
    assertThat(deltas())
        .filteredOn(OrderBookDelta::isSnapshot)
        .extracting(OrderBookDelta::lastUpdateId)
        .contains(500L, 1L);
  }

  @Test
  void aRepeatedMessageIsRejectedAsADuplicateAndNotStored() {
    BookSync book = book(BookRules.streamSeeded(BookSequence.CONTIGUOUS, IDS));
    send(book, snapshot(10, 100, 101));
    send(book, bids(11, 11, BookMessage.NONE, 100, 2));
    send(book, bids(11, 11, BookMessage.NONE, 100, 2));

    assertThat(events()).containsExactly(StreamEventType.RESYNC, StreamEventType.REJECTED_MESSAGE);
    assertThat(event(StreamEventType.REJECTED_MESSAGE).detail())
        .isEqualTo("duplicate depth event: u 11 is not past the last stored u 11");
    assertThat(deltas()).filteredOn(d -> !d.isSnapshot()).hasSize(1);
  }

  @Test
  void linkedIdsAcceptHeartbeatsAndDecreasesAndBreakOnlyOnAWrongLink() {
    BookSync book = book(BookRules.streamSeeded(BookSequence.LINKED, IDS));
    send(book, snapshot(100, 50, 51));
    send(book, bids(BookMessage.NONE, 107, 100, 50, 2)); // irregular step
    send(book, message(BookMessage.NONE, 107, 107)); // heartbeat: nothing changed
    send(book, bids(BookMessage.NONE, 3, 107, 50, 3)); // maintenance: ids go down
    send(book, bids(BookMessage.NONE, 9, 3, 50, 4));
    assertThat(events()).containsExactly(StreamEventType.RESYNC);
    assertThat(book.validated()).isEqualTo(4);
    assertThat(book.book().levels(BookSide.BID)).containsExactly(new PriceLevel(50, 4));

    send(book, bids(BookMessage.NONE, 20, 15, 50, 5));
    assertThat(events()).containsExactly(StreamEventType.RESYNC, StreamEventType.GAP);
    assertThat(event(StreamEventType.GAP).detail())
        .isEqualTo("event pu=15 u=20 does not follow u=9");
    assertThat(event(StreamEventType.GAP).fromUpdateId()).isEqualTo(10);
    assertThat(event(StreamEventType.GAP).toUpdateId()).isEqualTo(15);
    assertThat(seedRequests).hasSize(1);
  }

  @Test
  void aLinkedMessageWithoutItsPreviousIdIsRejected() {
    BookSync book = book(BookRules.restSeeded(BookSequence.LINKED_INCREASING, IDS));
    send(book, bids(5, 6, BookMessage.NONE, 100, 1));
    assertThat(events()).containsExactly(StreamEventType.REJECTED_MESSAGE);
    assertThat(event(StreamEventType.REJECTED_MESSAGE).detail())
        .isEqualTo("depth event without pu (the previous message's id), u 6");
    assertThat(deltas()).isEmpty();
  }

  @Test
  void aRestSeedIsStitchedToTheBufferedMessagesThatStraddleIt() {
    BookSync book = book(BookRules.restSeeded(BookSequence.CONTIGUOUS, IDS));
    send(book, bids(1, 5, BookMessage.NONE, 100, 1));
    send(book, bids(6, 9, BookMessage.NONE, 100, 2));
    send(book, bids(10, 12, BookMessage.NONE, 100, 3));
    assertThat(seedRequests).containsExactly(0L);
    assertThat(book.state()).isEqualTo(BookSync.State.SYNCING);

    BookMessage rest = message(BookMessage.NONE, 8, BookMessage.NONE, 100, 9, 101, 1);
    book.onSnapshot(rest, clock++, rows);
    assertThat(book.state()).isEqualTo(BookSync.State.LIVE);
    assertThat(book.bookId()).isEqualTo(12);
    assertThat(book.book().quantity(BookSide.BID, 100)).isEqualTo(3);
    assertThat(events()).containsExactly(StreamEventType.RESYNC);
    assertThat(deltas()).filteredOn(OrderBookDelta::isSnapshot).hasSize(2);
  }

  @Test
  void aRestSeedOlderThanTheBufferIsAskedForAgain() {
    BookSync book = book(BookRules.restSeeded(BookSequence.CONTIGUOUS, IDS));
    send(book, bids(10, 12, BookMessage.NONE, 100, 1));
    book.onSnapshot(message(BookMessage.NONE, 5, BookMessage.NONE, 100, 9), clock++, rows);
    assertThat(book.state()).isEqualTo(BookSync.State.SYNCING);
    assertThat(seedRequests).containsExactly(0L, 500L);
    assertThat(events()).isEmpty();
  }

  @Test
  void aLinkedIncreasingRestSeedTakesTheMessageThatCoversItsId() {
    BookSync book = book(BookRules.restSeeded(BookSequence.LINKED_INCREASING, IDS));
    send(book, bids(1, 5, 0, 100, 1));
    send(book, bids(6, 9, 5, 100, 2));
    book.onSnapshot(message(BookMessage.NONE, 9, BookMessage.NONE, 100, 7), clock++, rows);
    assertThat(book.state()).isEqualTo(BookSync.State.LIVE);
    assertThat(book.book().quantity(BookSide.BID, 100)).isEqualTo(2);
  }

  @Test
  void aRestartIsARestartGapFromTheLastPersistedId() {
    BookSync book = book(BookRules.restSeeded(BookSequence.CONTIGUOUS, IDS), 100L);
    send(book, bids(150, 155, BookMessage.NONE, 1, 1));
    assertThat(events()).containsExactly(StreamEventType.RESTART_GAP);
    assertThat(event(StreamEventType.RESTART_GAP).fromUpdateId()).isEqualTo(101);
    assertThat(event(StreamEventType.RESTART_GAP).toUpdateId()).isEqualTo(149);
    assertThat(event(StreamEventType.RESTART_GAP).detail())
        .isEqualTo("first event after restart U=150 does not follow u=100");
  }

  @Test
  void aStreamSeededRestartRecordsTheSpanUpToItsFirstSnapshot() {
    BookSync book = book(BookRules.streamSeeded(BookSequence.CONTIGUOUS, IDS), 100L);
    send(book, snapshot(180, 1, 2));
    assertThat(events()).containsExactly(StreamEventType.RESTART_GAP, StreamEventType.RESYNC);
    assertThat(event(StreamEventType.RESTART_GAP).fromUpdateId()).isEqualTo(101);
    assertThat(event(StreamEventType.RESTART_GAP).toUpdateId()).isEqualTo(179);
  }

  @Test
  void withoutVenueIdsLakeAssignsIncreasingIdsFromTheReceiveTime() {
    BookSync book = book(BookRules.streamSeeded(BookSequence.NONE, IDS), 5_000_000L);
    clock = 1_000; // the clock went back (another machine): ids still grow
    send(book, snapshot(BookMessage.NONE, 100, 101));
    send(book, bids(BookMessage.NONE, BookMessage.NONE, BookMessage.NONE, 100, 2));
    clock = 9_000_000;
    send(book, bids(BookMessage.NONE, BookMessage.NONE, BookMessage.NONE, 100, 3));

    assertThat(deltas())
        .extracting(OrderBookDelta::lastUpdateId)
        .containsExactly(5_000_001L, 5_000_001L, 5_000_002L, 9_000_000L);
    assertThat(deltas()).allSatisfy(d -> assertThat(d.firstUpdateId()).isNull());
    assertThat(deltas()).allSatisfy(d -> assertThat(d.prevUpdateId()).isNull());
  }

  @Test
  void aChecksumMismatchIsRecordedAndSeedsTheBookAgain() {
    BookRules rules =
        BookRules.streamSeeded(BookSequence.NONE, IDS).withChecksum(BookSyncTest::topChecksum);
    BookSync book = book(rules);
    BookMessage first = snapshot(BookMessage.NONE, 0, 0);
    first.bids.clear();
    first.asks.clear();
    first.bids.add(100.5, 1, "100.50", "1.000");
    first.asks.add(101, 2, "101.00", "2.000");
    first.checksum = checksumOf("100.50:1.000", "101.00:2.000");
    first.hasChecksum = true;
    send(book, first);
    assertThat(book.state()).isEqualTo(BookSync.State.LIVE);

    BookMessage good = message(BookMessage.NONE, BookMessage.NONE, BookMessage.NONE);
    good.bids.add(100.5, 3, "100.50", "3.000");
    good.checksum = checksumOf("100.50:3.000", "101.00:2.000");
    good.hasChecksum = true;
    send(book, good);
    assertThat(book.validated()).isEqualTo(1);

    BookMessage bad = message(BookMessage.NONE, BookMessage.NONE, BookMessage.NONE);
    bad.asks.add(101, 4, "101.00", "4.000");
    bad.checksum = 12345;
    bad.hasChecksum = true;
    send(book, bad);

    assertThat(events()).containsExactly(StreamEventType.RESYNC, StreamEventType.CHECKSUM_MISMATCH);
    assertThat(event(StreamEventType.CHECKSUM_MISMATCH).detail())
        .startsWith("checksum 12345 sent, " + checksumOf("100.50:3.000", "101.00:4.000"));
    assertThat(book.state()).isEqualTo(BookSync.State.SYNCING);
    assertThat(book.checksumMismatches()).isEqualTo(1);
    assertThat(seedRequests).containsExactly(0L);
  }

  @Test
  void aTruncatedBookKeepsOnlyTheSubscribedDepthSoLevelsFallingOutDoNotLinger() {
    BookRules rules = BookRules.streamSeeded(BookSequence.NONE, IDS).truncatedTo(2);
    BookSync book = book(rules);
    BookMessage first = snapshot(BookMessage.NONE, 100, 200);
    first.bids.add(99, 1);
    send(book, first);
    send(book, bids(BookMessage.NONE, BookMessage.NONE, BookMessage.NONE, 101, 1));
    assertThat(book.book().levels(BookSide.BID))
        .containsExactly(new PriceLevel(101, 1), new PriceLevel(100, 1));
    send(book, bids(BookMessage.NONE, BookMessage.NONE, BookMessage.NONE, 101, 0));
    assertThat(book.book().levels(BookSide.BID)).containsExactly(new PriceLevel(100, 1));
  }

  @Test
  void aLevelTruncatedOutOfTheDepthIsWrittenAsARemovalRowSoTheRebuiltBookDropsItToo() {
    BookRules rules = BookRules.streamSeeded(BookSequence.NONE, IDS).truncatedTo(2);
    BookSync book = book(rules);
    BookMessage first = snapshot(BookMessage.NONE, 100, 200);
    first.bids.add(99, 1);
    send(book, first);
    rows.clear();
    send(book, bids(BookMessage.NONE, BookMessage.NONE, BookMessage.NONE, 101, 1));
    List<OrderBookDelta> deltas =
        rows.stream()
            .filter(OrderBookDelta.class::isInstance)
            .map(OrderBookDelta.class::cast)
            .toList();
    assertThat(deltas)
        .extracting(OrderBookDelta::price, OrderBookDelta::quantity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(101.0, 1.0),
            org.assertj.core.groups.Tuple.tuple(99.0, 0.0));
    assertThat(deltas).extracting(OrderBookDelta::lastUpdateId).containsOnly(book.bookId());
  }

  @Test
  void aLostStreamMakesTheBookWaitForTheNextSnapshot() {
    BookSync book = book(BookRules.streamSeeded(BookSequence.NONE, IDS));
    send(book, snapshot(BookMessage.NONE, 100, 101));
    book.onStreamLost();
    assertThat(book.state()).isEqualTo(BookSync.State.SYNCING);
    assertThat(book.snapshot(5, 1, 1)).isNull();
    send(book, snapshot(BookMessage.NONE, 100, 101));
    assertThat(book.state()).isEqualTo(BookSync.State.LIVE);
  }

  /** A test checksum: CRC32 of "bid:qty|ask:qty" over the best level of each side. */
  private static long topChecksum(OrderBook book) {
    return checksumOf(
        book.priceText(BookSide.BID, 0) + ":" + book.quantityText(BookSide.BID, 0),
        book.priceText(BookSide.ASK, 0) + ":" + book.quantityText(BookSide.ASK, 0));
  }

  private static long checksumOf(String bid, String ask) {
    CRC32 crc = new CRC32();
    crc.update((bid + "|" + ask).getBytes(StandardCharsets.US_ASCII));
    return crc.getValue();
  }

  private static final BookRules STREAM_OR_REST =
      BookRules.streamSeeded(BookSequence.LINKED, IDS).withRestFallback();

  @Test
  void aBookSeededFromTheStreamOrRestBuffersUpdatesUntilARestSnapshotStitchesThem() {
    BookSync book = book(STREAM_OR_REST);
    send(book, bids(BookMessage.NONE, 110, 100, 50_000, 1));
    send(book, bids(BookMessage.NONE, 120, 110, 50_001, 2));
    book.onSnapshot(snapshot(110, 49_000, 51_000), clock++, rows);

    assertThat(seedRequests).containsExactly(0L);
    assertThat(book.state()).isEqualTo(BookSync.State.LIVE);
    assertThat(book.bookId()).isEqualTo(120);
    assertThat(book.streamSeeded()).isFalse();
    assertThat(book.book().quantity(BookSide.BID, 50_001)).isEqualTo(2);
    assertThat(book.book().quantity(BookSide.BID, 50_000)).isZero();
  }

  @Test
  void aBookSeededFromTheStreamOrRestLoadsTheStreamSnapshotWhenOneComes() {
    BookSync book = book(STREAM_OR_REST);
    send(book, snapshot(100, 49_000, 51_000));
    send(book, bids(BookMessage.NONE, 110, 100, 50_000, 1));

    assertThat(seedRequests).isEmpty();
    assertThat(book.streamSeeded()).isTrue();
    assertThat(book.state()).isEqualTo(BookSync.State.LIVE);
    assertThat(events()).containsExactly(StreamEventType.RESYNC);
  }

  @Test
  void booksWithoutIdsCannotBeSeededFromRest() {
    assertThatThrownBy(() -> BookRules.streamSeeded(BookSequence.NONE, IDS).withRestFallback())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid book rules: a REST snapshot cannot be stitched to messages without ids");
  }

  @Test
  void aChangeNumberedAtOrBeforeTheBooksIdIsNotAppliedAndOnesPastItAre() {
    BookSync book = book(BookRules.restSeeded(BookSequence.CONTIGUOUS, IDS));
    BookMessage straddling = message(6, 9, BookMessage.NONE);
    straddling.bids.add(100, 5, 7);
    straddling.asks.add(101, 4, 9);
    send(book, straddling);

    book.onSnapshot(message(BookMessage.NONE, 8, BookMessage.NONE, 100, 9, 101, 1), clock++, rows);

    assertThat(book.state()).isEqualTo(BookSync.State.LIVE);
    assertThat(book.book().quantity(BookSide.BID, 100)).as("seq 7 is in the snapshot").isEqualTo(9);
    assertThat(book.book().quantity(BookSide.ASK, 101)).as("seq 9 is past it").isEqualTo(4);
  }

  @Test
  void aSeedNoteIsAddedToTheResyncRowOfARestSeed() {
    BookSync book =
        book(BookRules.restSeeded(BookSequence.CONTIGUOUS, IDS).withSeedNote("top 100 only"));
    send(book, bids(9, 9, BookMessage.NONE, 100, 1));
    book.onSnapshot(message(BookMessage.NONE, 8, BookMessage.NONE, 100, 9, 101, 1), clock++, rows);

    assertThat(event(StreamEventType.RESYNC).detail())
        .isEqualTo("book loaded from a snapshot of 1 bids and 1 asks at update id 8; top 100 only");
  }

  @Test
  void aRestSeedThatSaysItsCoverKeepsTheBookToItsDepthAndNotesItInPlaceOfTheRules() {
    BookSync book = book(BookRules.restSeeded(BookSequence.CONTIGUOUS, IDS));
    send(book, bids(9, 9, BookMessage.NONE, 100, 1));
    BookMessage seed = message(BookMessage.NONE, 8, BookMessage.NONE, 100, 9, 101, 1);
    seed.bids.add(99, 1);
    book.onSnapshot(seed, new BookRules.SeedCover(1, "top 1 only"), clock++, rows);
    send(book, bids(10, 10, BookMessage.NONE, 98, 5));

    assertThat(event(StreamEventType.RESYNC).detail()).endsWith("at update id 8; top 1 only");
    assertThat(book.book().levels(BookSide.BID)).containsExactly(new PriceLevel(100, 1));
  }
}
