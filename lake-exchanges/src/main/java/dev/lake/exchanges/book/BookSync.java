package dev.lake.exchanges.book;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.SnapshotSource;
import dev.lake.core.model.StreamEventType;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Keeps one order book of any venue in sync by that venue's {@link BookRules}, and turns every
 * message into {@code orderbook_delta} rows.
 *
 * <p>Every message is stored, including while the book is out of sync. Continuity is checked on
 * every message against the one before it ({@link BookSequence}); a break is a {@code gap} row with
 * the missing id range (a {@code restart_gap} for the first message after a restart, measured from
 * the last id persisted before it), and the book is seeded again: from a REST snapshot stitched to
 * the messages buffered meanwhile ({@link BookRules.Seed#REST}), or from the snapshot the venue
 * sends after subscribing again ({@link BookRules.Seed#STREAM}); the {@link Seeder} does either. A
 * checksum that does not match the book is a {@code checksum_mismatch} row and seeds the book
 * again. Every full book loaded (the first, a resync, a venue's reset) is written as {@code
 * is_snapshot} rows with a {@code resync} row saying why. A message already stored (a duplicate by
 * the sequence's rule) is a {@code rejected_message} row and is not stored again; a heartbeat or a
 * reset is never taken for a duplicate.
 *
 * <p>Where the venue has no ids ({@link BookSequence#NONE}) lake assigns each message {@code
 * max(previous id + 1, receive time in microseconds)}.
 *
 * <p>Not thread-safe: one instance per book, used on its connection's event loop.
 */
public final class BookSync {
  /** Asks for a full book: a REST snapshot, or a new subscription, as the venue's feed does. */
  @FunctionalInterface
  public interface Seeder {
    /**
     * Requests a full book for a book, after a delay; the answer comes back through {@link
     * #onSnapshot} (REST) or as a snapshot message in the stream.
     */
    void request(BookSync book, long delayMillis);
  }

  /** Where a book stands. */
  public enum State {
    /** Waiting for a full book; messages are stored (and buffered for a REST seed). */
    SYNCING,
    /** A REST snapshot is loaded; waiting for the first message that straddles it. */
    ALIGNING,
    /** Every message is applied to the book. */
    LIVE
  }

  private static final int MAX_BUFFERED = 20_000;

  private final String exchange;
  private final MarketType market;
  private final String symbol;
  private final BookRules rules;
  private final Seeder seeder;
  private final StreamEvents events;
  private final OrderBook book;
  private final ArrayDeque<BookMessage> buffer = new ArrayDeque<>();
  private State state = State.SYNCING;
  private boolean hasLast;
  private long lastId;
  private long lastPrevious = BookMessage.NONE;
  private boolean restart;
  private boolean requestPending;
  private long bookId = -1;
  private long snapshotId = -1;
  private boolean streamSeeded;
  // The rules' depth and seed note, or those of the last REST snapshot that said its own cover.
  private int depth;
  private String seedNote;

  private long validated;
  private long gaps;
  private long duplicates;
  private long resyncs;
  private long checksumMismatches;

  /**
   * @param persistedLastId the last update id persisted for this book before a restart, or null
   */
  public BookSync(
      String exchange,
      MarketType market,
      String symbol,
      BookRules rules,
      Long persistedLastId,
      Seeder seeder) {
    this.exchange = requireNonNull(exchange, "exchange is null");
    this.market = requireNonNull(market, "market is null");
    this.symbol = requireNonNull(symbol, "symbol is null");
    this.rules = requireNonNull(rules, "rules is null");
    this.seeder = requireNonNull(seeder, "seeder is null");
    this.events = new StreamEvents(exchange, market, OrderBookDelta.TABLE);
    this.book = rules.checksum() != null ? OrderBook.keepingWireText() : new OrderBook();
    this.depth = rules.depth();
    this.seedNote = rules.seedNote();
    if (persistedLastId != null) {
      hasLast = true;
      lastId = persistedLastId;
      restart = true;
    }
  }

  public String symbol() {
    return symbol;
  }

  public State state() {
    return state;
  }

  /** The local book (read on the book's event loop only). */
  public OrderBook book() {
    return book;
  }

  /** The id of the last message applied to the book (or of the loaded snapshot); -1 when none. */
  public long bookId() {
    return bookId;
  }

  /** The id of the last message stored, or null before the first. */
  public Long lastId() {
    return hasLast ? lastId : null;
  }

  /** Whether the last full book loaded came from the stream (not from a REST snapshot). */
  public boolean streamSeeded() {
    return streamSeeded;
  }

  /** Messages whose continuity (or checksum, where there are no ids) was checked and held. */
  public long validated() {
    return validated;
  }

  public long gaps() {
    return gaps;
  }

  public long duplicates() {
    return duplicates;
  }

  /** Full books loaded: the first, every resync and every reset. */
  public long resyncs() {
    return resyncs;
  }

  public long checksumMismatches() {
    return checksumMismatches;
  }

  /** Handles one message of the stream: checks it, stores its rows, applies or buffers it. */
  public void onMessage(BookMessage message, long receivedMicros, List<LakeRow> rows) {
    if (rules.sequence() == BookSequence.NONE) {
      message.lastId = hasLast ? Math.max(lastId + 1, receivedMicros) : receivedMicros;
    }
    if (message.snapshot || rules.resets().test(message)) {
      onStreamSnapshot(message, receivedMicros, rows);
      return;
    }
    if (message.prevId == BookMessage.NONE
        && (rules.sequence() == BookSequence.LINKED
            || rules.sequence() == BookSequence.LINKED_INCREASING)) {
      rows.add(
          events.rejected(
              symbol,
              "depth event without "
                  + rules.ids().previous()
                  + " (the previous message's id), "
                  + rules.ids().last()
                  + " "
                  + message.lastId,
              null,
              receivedMicros));
      return;
    }
    if (hasLast && rules.sequence().duplicate(message, lastId, lastPrevious)) {
      duplicates++;
      rows.add(
          events.rejected(
              symbol,
              "duplicate depth event: "
                  + rules.ids().last()
                  + " "
                  + message.lastId
                  + " is not past the last stored "
                  + rules.ids().last()
                  + " "
                  + lastId,
              null,
              receivedMicros));
      return;
    }
    if (hasLast && rules.sequence() != BookSequence.NONE) {
      if (rules.sequence().follows(message, lastId, lastPrevious)) {
        validated++;
      } else {
        recordGap(message, receivedMicros, rows);
      }
    }
    restart = false;
    addDeltaRows(message, receivedMicros, rows);
    hasLast = true;
    lastId = message.lastId;
    lastPrevious = message.prevId;
    switch (state) {
      case LIVE -> apply(message, receivedMicros, rows);
      case ALIGNING -> align(message, receivedMicros, rows);
      case SYNCING -> waitForSeed(message);
    }
  }

  /** A REST snapshot asked for through the {@link Seeder}: loads it when it fits the buffer. */
  public void onSnapshot(BookMessage snapshot, long receivedMicros, List<LakeRow> rows) {
    onSnapshot(snapshot, null, receivedMicros, rows);
  }

  /**
   * A REST snapshot asked for through the {@link Seeder}, covering what {@code cover} says: when it
   * loads, the book is kept to the cover's depth and its {@code resync} row carries the cover's
   * note from then on (null: the rules' own).
   */
  public void onSnapshot(
      BookMessage snapshot, BookRules.SeedCover cover, long receivedMicros, List<LakeRow> rows) {
    requestPending = false;
    if (state != State.SYNCING) {
      return;
    }
    long id = snapshot.lastId;
    while (!buffer.isEmpty() && rules.sequence().before(buffer.peekFirst(), id)) {
      buffer.removeFirst();
    }
    if (!buffer.isEmpty() && !rules.sequence().straddles(buffer.peekFirst(), id)) {
      requestSeed(500);
      return;
    }
    streamSeeded = false;
    if (cover != null) {
      depth = cover.depth();
      seedNote = cover.note();
    }
    load(
        snapshot,
        receivedMicros,
        rows,
        "book loaded from a snapshot of "
            + snapshot.bids.count
            + " bids and "
            + snapshot.asks.count
            + " asks at update id "
            + id
            + (seedNote == null ? "" : "; " + seedNote));
    state = State.ALIGNING;
    while (!buffer.isEmpty()) {
      align(buffer.removeFirst(), receivedMicros, rows);
    }
  }

  /** A requested full book could not be had; ask again after a while. */
  public void onSnapshotFailed(long retryMillis) {
    requestPending = false;
    requestSeed(retryMillis);
  }

  /**
   * The connection carrying this book was lost or its venue-wide sequence broke (Coinbase): the
   * book is out of sync until the next full book, which is asked for on the next connection.
   */
  public void onStreamLost() {
    loseBook();
    requestPending = false;
  }

  /**
   * The venue's sequence over the whole connection carrying this book broke (Coinbase {@code
   * sequence_num}), or that connection was lost: whatever this book missed cannot be told, so it
   * records a {@code gap} row (ids from the last stored one on, open-ended) when it had stored
   * anything, drops its book and asks for a new full book at once.
   *
   * @param detail what broke, for the row, e.g. {@code "sequence_num 12 after 10 on c1"}
   */
  public void onConnectionBreak(String detail, long receivedMicros, List<LakeRow> rows) {
    if (hasLast) {
      gaps++;
      rows.add(
          events.event(
              StreamEventType.GAP,
              symbol,
              detail,
              lastId + 1,
              null,
              receivedMicros,
              receivedMicros));
    }
    loseBook();
    requestPending = false;
    requestSeed(0);
  }

  /**
   * The top of the validated book as a snapshot row, or null while the book is out of sync. A book
   * just loaded from a snapshot with no newer message yet is valid: it is the book at that id.
   */
  public OrderBookSnapshot snapshot(int levels, long timestampMs, long localMicros) {
    if (state == State.SYNCING) {
      return null;
    }
    return new OrderBookSnapshot(
        exchange,
        market,
        symbol,
        timestampMs,
        book.top(BookSide.BID, levels),
        book.top(BookSide.ASK, levels),
        localMicros,
        bookId,
        SnapshotSource.BOOK);
  }

  private void onStreamSnapshot(BookMessage message, long receivedMicros, List<LakeRow> rows) {
    boolean reset = state != State.SYNCING;
    if (restart) {
      recordRestartGap(message, receivedMicros, rows);
    } else if (hasLast
        && rules.sequence() == BookSequence.CONTIGUOUS
        && message.lastId > lastId + 1) {
      gaps++;
      rows.add(
          events.event(
              StreamEventType.GAP,
              symbol,
              "ids after "
                  + rules.ids().last()
                  + "="
                  + lastId
                  + " were not received before the venue's snapshot at "
                  + message.lastId,
              lastId + 1,
              message.lastId,
              message.timestampMicros,
              receivedMicros));
    }
    restart = false;
    buffer.clear();
    String why;
    if (hasLast && message.lastId < lastId && rules.sequence() != BookSequence.NONE) {
      why = "the venue reset the book: a snapshot at " + message.lastId + " after " + lastId;
    } else if (reset) {
      why = "the venue sent a new snapshot mid-stream at " + message.lastId;
    } else {
      why = "book loaded from the stream's snapshot at " + message.lastId;
    }
    streamSeeded = true;
    load(
        message,
        receivedMicros,
        rows,
        why + " (" + message.bids.count + " bids, " + message.asks.count + " asks)");
    hasLast = true;
    lastId = message.lastId;
    lastPrevious = message.prevId;
    requestPending = false;
    state = State.LIVE;
    truncate(message, receivedMicros, rows);
    verify(message, receivedMicros, rows);
  }

  private void recordRestartGap(BookMessage message, long receivedMicros, List<LakeRow> rows) {
    boolean contiguous = rules.sequence() == BookSequence.CONTIGUOUS;
    if (contiguous && message.lastId <= lastId) {
      return;
    }
    gaps++;
    long from = lastId + 1;
    rows.add(
        events.event(
            StreamEventType.RESTART_GAP,
            symbol,
            "first snapshot after restart at "
                + message.lastId
                + "; last stored "
                + rules.ids().last()
                + " before it "
                + lastId,
            from,
            Math.max(from, message.lastId - 1),
            message.timestampMicros,
            receivedMicros));
  }

  private void recordGap(BookMessage message, long receivedMicros, List<LakeRow> rows) {
    gaps++;
    long from = lastId + 1;
    long to = rules.sequence().missingTo(message, lastId);
    String detail =
        (restart ? "first event after restart" : "event")
            + describeIds(message)
            + " does not follow "
            + rules.ids().last()
            + "="
            + lastId;
    rows.add(
        events.event(
            restart ? StreamEventType.RESTART_GAP : StreamEventType.GAP,
            symbol,
            detail,
            from,
            Math.max(from, to),
            message.timestampMicros,
            receivedMicros));
    loseBook();
  }

  private String describeIds(BookMessage message) {
    BookRules.IdNames names = rules.ids();
    return switch (rules.sequence()) {
      case CONTIGUOUS ->
          message.firstId != message.lastId
              ? " " + names.first() + "=" + message.firstId
              : " " + names.last() + "=" + message.lastId;
      case LINKED_INCREASING ->
          " "
              + names.first()
              + "="
              + message.firstId
              + " "
              + names.previous()
              + "="
              + message.prevId;
      case LINKED ->
          " " + names.previous() + "=" + message.prevId + " " + names.last() + "=" + message.lastId;
      case NONE -> "";
    };
  }

  private void loseBook() {
    if (state != State.SYNCING) {
      state = State.SYNCING;
      book.clear();
      bookId = -1;
    }
    buffer.clear();
  }

  private void waitForSeed(BookMessage message) {
    if (rules.seed() != BookRules.Seed.STREAM) {
      if (buffer.size() >= MAX_BUFFERED) {
        buffer.removeFirst();
      }
      buffer.addLast(message.copy());
    }
    requestSeed(0);
  }

  private void requestSeed(long delayMillis) {
    if (!requestPending) {
      requestPending = true;
      seeder.request(this, delayMillis);
    }
  }

  private void align(BookMessage message, long receivedMicros, List<LakeRow> rows) {
    if (state == State.LIVE) {
      apply(message, receivedMicros, rows);
    } else if (rules.sequence().before(message, snapshotId)) {
      return;
    } else if (rules.sequence().straddles(message, snapshotId)) {
      state = State.LIVE;
      apply(message, receivedMicros, rows);
    } else {
      loseBook();
      waitForSeed(message);
    }
  }

  private void apply(BookMessage message, long receivedMicros, List<LakeRow> rows) {
    setAfter(BookSide.BID, message.bids, bookId);
    setAfter(BookSide.ASK, message.asks, bookId);
    bookId = message.lastId;
    truncate(message, receivedMicros, rows);
    if (verify(message, receivedMicros, rows) && rules.sequence() == BookSequence.NONE) {
      validated++;
    }
  }

  private void set(BookSide side, BookMessage.Levels levels) {
    setAfter(side, levels, Long.MIN_VALUE);
  }

  /**
   * Sets the levels of a message, skipping those the venue numbered at or before the book's id (the
   * changes of a message straddling a REST snapshot that the snapshot holds already).
   */
  private void setAfter(BookSide side, BookMessage.Levels levels, long after) {
    long[] sequences = levels.sequences;
    for (int i = 0; i < levels.count; i++) {
      if (sequences == null || sequences[i] > after) {
        book.set(
            side,
            levels.prices[i],
            levels.quantities[i],
            levels.priceText(i),
            levels.quantityText(i));
      }
    }
  }

  /**
   * Keeps the subscribed depth. The venue sends no delete for a level pushed out of it, so each is
   * written as a quantity-0 row of the message that pushed it out: the book rebuilt from the table
   * by the one rule (BookReplay) then drops it too, and a level coming back into scope later comes
   * as an update of its own.
   */
  private void truncate(BookMessage message, long receivedMicros, List<LakeRow> rows) {
    if (depth == 0) {
      return;
    }
    removeBeyondDepth(BookSide.BID, message, receivedMicros, rows);
    removeBeyondDepth(BookSide.ASK, message, receivedMicros, rows);
    book.truncate(depth);
  }

  private void removeBeyondDepth(
      BookSide side, BookMessage message, long receivedMicros, List<LakeRow> rows) {
    int levels = book.depth(side);
    for (int i = depth; i < levels; i++) {
      rows.add(
          new OrderBookDelta(
              exchange,
              market,
              symbol,
              message.timestampMicros,
              message.lastId,
              side,
              book.price(side, i),
              0,
              i,
              receivedMicros,
              message.firstId == BookMessage.NONE ? null : message.firstId,
              message.prevId == BookMessage.NONE ? null : message.prevId,
              false));
    }
  }

  /** Checks the venue's checksum, when it sent one; a mismatch seeds the book again. */
  private boolean verify(BookMessage message, long receivedMicros, List<LakeRow> rows) {
    if (rules.checksum() == null || !message.hasChecksum) {
      return rules.checksum() == null;
    }
    long computed = rules.checksum().compute(book);
    if (computed == message.checksum) {
      return true;
    }
    checksumMismatches++;
    rows.add(
        events.event(
            StreamEventType.CHECKSUM_MISMATCH,
            symbol,
            "checksum "
                + message.checksum
                + " sent, "
                + computed
                + " computed from the book after "
                + rules.ids().last()
                + " "
                + message.lastId
                + "; seeding the book again",
            message.lastId,
            message.lastId,
            message.timestampMicros,
            receivedMicros));
    loseBook();
    requestSeed(0);
    return false;
  }

  private void load(BookMessage snapshot, long receivedMicros, List<LakeRow> rows, String why) {
    resyncs++;
    book.clear();
    set(BookSide.BID, snapshot.bids);
    set(BookSide.ASK, snapshot.asks);
    long id = snapshot.lastId;
    long timestamp = snapshot.timestampMicros;
    addRows(BookSide.BID, snapshot.bids, id, timestamp, null, null, true, receivedMicros, rows);
    addRows(BookSide.ASK, snapshot.asks, id, timestamp, null, null, true, receivedMicros, rows);
    rows.add(
        events.event(StreamEventType.RESYNC, symbol, why, null, id, timestamp, receivedMicros));
    snapshotId = id;
    bookId = id;
  }

  private void addDeltaRows(BookMessage message, long receivedMicros, List<LakeRow> rows) {
    Long first = message.firstId == BookMessage.NONE ? null : message.firstId;
    Long previous = message.prevId == BookMessage.NONE ? null : message.prevId;
    long id = message.lastId;
    long timestamp = message.timestampMicros;
    addRows(
        BookSide.BID, message.bids, id, timestamp, first, previous, false, receivedMicros, rows);
    addRows(
        BookSide.ASK, message.asks, id, timestamp, first, previous, false, receivedMicros, rows);
  }

  /** One {@code orderbook_delta} row per level of a side, {@code level} its position. */
  private void addRows(
      BookSide side,
      BookMessage.Levels levels,
      long id,
      long timestamp,
      Long first,
      Long previous,
      boolean isSnapshot,
      long receivedMicros,
      List<LakeRow> rows) {
    for (int i = 0; i < levels.count; i++) {
      rows.add(
          new OrderBookDelta(
              exchange,
              market,
              symbol,
              timestamp,
              id,
              side,
              levels.prices[i],
              levels.quantities[i],
              i,
              receivedMicros,
              first,
              previous,
              isSnapshot));
    }
  }
}
