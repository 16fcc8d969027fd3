package dev.lake.exchanges.binance;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.SnapshotSource;
import dev.lake.core.model.StreamEventType;
import dev.lake.exchanges.book.OrderBook;
import dev.lake.exchanges.book.StreamEvents;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Keeps one Binance order book in sync by Binance's documented procedure, and turns every depth
 * event into {@code orderbook_delta} rows.
 *
 * <p>Every event is stored. Continuity is checked on every event against the previous one (spot:
 * {@code U == previous u + 1}; futures: {@code pu == previous u}); a break is a {@code gap} row
 * with the missing id range (a {@code restart_gap} for the first event after a restart, measured
 * from the last id persisted before it) and resyncs this book alone: events are buffered, a deep
 * REST snapshot is fetched, events older than it are dropped from the book (spot: {@code u <=
 * lastUpdateId}; futures: {@code u < lastUpdateId}), the first applied event must straddle it
 * (spot: {@code U <= lastUpdateId + 1 <= u}; futures: {@code U <= lastUpdateId <= u}), and the
 * snapshot is written as {@code is_snapshot} rows with a {@code resync} event. An event whose
 * {@code u} is not past the last one stored is a duplicate: rejected, not stored.
 *
 * <p>Not thread-safe: one instance per symbol, used on its connection's event loop.
 */
final class BinanceBookSync {
  /** Fetches a snapshot and hands it to {@link #onSnapshot}, on the book's event loop. */
  interface SnapshotRequester {
    void request(BinanceBookSync sync, long delayMillis);
  }

  enum State {
    /** Waiting for a snapshot; events are buffered. */
    SYNCING,
    /** A snapshot is loaded; waiting for the first event that straddles it. */
    ALIGNING,
    /** Every event is applied to the book. */
    LIVE
  }

  private static final int MAX_BUFFERED = 20_000;

  private final String symbol;
  private final MarketType market;
  private final boolean futures;
  private final StreamEvents events;
  private final SnapshotRequester requester;
  private final OrderBook book = new OrderBook();
  private final ArrayDeque<BinanceMessages.DepthUpdate> buffer = new ArrayDeque<>();
  private State state = State.SYNCING;
  private long lastId;
  private boolean restart;
  private boolean requestPending;
  private long bookId = -1;
  private long snapshotId = -1;

  private long validated;
  private long gaps;
  private long duplicates;
  private long resyncs;

  /**
   * @param persistedLastId the last update id persisted for this book before a restart, or null
   */
  BinanceBookSync(
      String symbol, MarketType market, Long persistedLastId, SnapshotRequester requester) {
    this.symbol = symbol;
    this.market = market;
    this.futures = market == MarketType.FUTURE;
    this.events = new StreamEvents(BinanceVenue.NAME, market, OrderBookDelta.TABLE);
    this.requester = requester;
    this.lastId = persistedLastId == null ? -1 : persistedLastId;
    this.restart = persistedLastId != null;
  }

  String symbol() {
    return symbol;
  }

  State state() {
    return state;
  }

  OrderBook book() {
    return book;
  }

  /** The id of the last event applied to the book (or of the loaded snapshot). */
  long bookId() {
    return bookId;
  }

  long lastId() {
    return lastId;
  }

  long validated() {
    return validated;
  }

  long gaps() {
    return gaps;
  }

  long duplicates() {
    return duplicates;
  }

  long resyncs() {
    return resyncs;
  }

  /** Handles one depth event: checks it, stores its rows, applies or buffers it. */
  void onUpdate(BinanceMessages.DepthUpdate update, long receivedMicros, List<LakeRow> rows) {
    if (futures && !update.hasPrevId) {
      rows.add(
          events.rejected(
              symbol,
              "futures depth event without pu (previous u), u " + update.lastId,
              null,
              receivedMicros));
      return;
    }
    if (lastId >= 0 && update.lastId <= lastId) {
      duplicates++;
      rows.add(
          events.rejected(
              symbol,
              "duplicate depth event: u "
                  + update.lastId
                  + " is not past the last stored u "
                  + lastId,
              null,
              receivedMicros));
      return;
    }
    if (lastId >= 0) {
      if (continues(update)) {
        validated++;
      } else {
        recordGap(update, receivedMicros, rows);
      }
    }
    restart = false;
    addDeltaRows(update, receivedMicros, rows);
    lastId = update.lastId;
    switch (state) {
      case LIVE -> apply(update);
      case ALIGNING -> align(update);
      case SYNCING -> buffer(update);
    }
  }

  private boolean continues(BinanceMessages.DepthUpdate update) {
    return futures ? update.prevId == lastId : update.firstId <= lastId + 1;
  }

  private void recordGap(
      BinanceMessages.DepthUpdate update, long receivedMicros, List<LakeRow> rows) {
    gaps++;
    long from = lastId + 1;
    long to = futures && update.hasPrevId ? update.prevId : update.firstId - 1;
    String detail =
        (restart ? "first event after restart" : "event")
            + " U="
            + update.firstId
            + (futures ? " pu=" + (update.hasPrevId ? update.prevId : "missing") : "")
            + " does not follow u="
            + lastId;
    rows.add(
        events.event(
            restart ? StreamEventType.RESTART_GAP : StreamEventType.GAP,
            symbol,
            detail,
            from,
            Math.max(from, to),
            update.eventTime * 1000,
            receivedMicros));
    if (state != State.SYNCING) {
      state = State.SYNCING;
      book.clear();
      bookId = -1;
    }
    buffer.clear();
  }

  private void addDeltaRows(
      BinanceMessages.DepthUpdate update, long receivedMicros, List<LakeRow> rows) {
    long timestamp = update.eventTime * 1000;
    Long first = update.firstId;
    Long previous = futures && update.hasPrevId ? update.prevId : null;
    for (int i = 0; i < update.bidCount; i++) {
      rows.add(
          new OrderBookDelta(
              BinanceVenue.NAME,
              market,
              symbol,
              timestamp,
              update.lastId,
              BookSide.BID,
              update.bidPrices[i],
              update.bidQuantities[i],
              i,
              receivedMicros,
              first,
              previous,
              false));
    }
    for (int i = 0; i < update.askCount; i++) {
      rows.add(
          new OrderBookDelta(
              BinanceVenue.NAME,
              market,
              symbol,
              timestamp,
              update.lastId,
              BookSide.ASK,
              update.askPrices[i],
              update.askQuantities[i],
              i,
              receivedMicros,
              first,
              previous,
              false));
    }
  }

  private void buffer(BinanceMessages.DepthUpdate update) {
    if (buffer.size() >= MAX_BUFFERED) {
      buffer.removeFirst();
    }
    buffer.addLast(update.copy());
    if (!requestPending) {
      requestPending = true;
      requester.request(this, 0);
    }
  }

  /** A requested snapshot failed; try again later. */
  void onSnapshotFailed(long retryMillis) {
    requestPending = true;
    requester.request(this, retryMillis);
  }

  /** Loads a snapshot when it fits the buffered events; otherwise asks for a newer one. */
  void onSnapshot(DepthSnapshot snapshot, List<LakeRow> rows) {
    requestPending = false;
    if (state != State.SYNCING) {
      return;
    }
    long id = snapshot.lastUpdateId();
    while (!buffer.isEmpty() && isBefore(buffer.peekFirst(), id)) {
      buffer.removeFirst();
    }
    if (!buffer.isEmpty() && !straddles(buffer.peekFirst(), id)) {
      requestPending = true;
      requester.request(this, 500);
      return;
    }
    load(snapshot, rows);
    state = State.ALIGNING;
    while (!buffer.isEmpty()) {
      align(buffer.removeFirst());
    }
  }

  private boolean isBefore(BinanceMessages.DepthUpdate update, long snapshotId) {
    return futures ? update.lastId < snapshotId : update.lastId <= snapshotId;
  }

  private boolean straddles(BinanceMessages.DepthUpdate update, long snapshotId) {
    return futures
        ? update.firstId <= snapshotId && update.lastId >= snapshotId
        : update.firstId <= snapshotId + 1 && update.lastId >= snapshotId + 1;
  }

  private void align(BinanceMessages.DepthUpdate update) {
    if (state == State.LIVE) {
      apply(update);
    } else if (isBefore(update, snapshotId)) {
      return;
    } else if (straddles(update, snapshotId)) {
      state = State.LIVE;
      apply(update);
    } else {
      state = State.SYNCING;
      book.clear();
      bookId = -1;
      buffer(update);
    }
  }

  private void load(DepthSnapshot snapshot, List<LakeRow> rows) {
    resyncs++;
    book.clear();
    long timestamp = snapshot.timestampMicros();
    long id = snapshot.lastUpdateId();
    for (int i = 0; i < snapshot.bidPrices().length; i++) {
      book.set(BookSide.BID, snapshot.bidPrices()[i], snapshot.bidQuantities()[i]);
      rows.add(
          snapshotRow(
              BookSide.BID,
              i,
              snapshot.bidPrices()[i],
              snapshot.bidQuantities()[i],
              id,
              timestamp,
              snapshot.receivedMicros()));
    }
    for (int i = 0; i < snapshot.askPrices().length; i++) {
      book.set(BookSide.ASK, snapshot.askPrices()[i], snapshot.askQuantities()[i]);
      rows.add(
          snapshotRow(
              BookSide.ASK,
              i,
              snapshot.askPrices()[i],
              snapshot.askQuantities()[i],
              id,
              timestamp,
              snapshot.receivedMicros()));
    }
    rows.add(
        events.event(
            StreamEventType.RESYNC,
            symbol,
            "book loaded from a snapshot of "
                + snapshot.bidPrices().length
                + " bids and "
                + snapshot.askPrices().length
                + " asks at update id "
                + id,
            null,
            id,
            timestamp,
            snapshot.receivedMicros()));
    snapshotId = id;
    bookId = id;
  }

  private OrderBookDelta snapshotRow(
      BookSide side,
      int level,
      double price,
      double quantity,
      long id,
      long timestamp,
      long received) {
    return new OrderBookDelta(
        BinanceVenue.NAME,
        market,
        symbol,
        timestamp,
        id,
        side,
        price,
        quantity,
        level,
        received,
        null,
        null,
        true);
  }

  private void apply(BinanceMessages.DepthUpdate update) {
    for (int i = 0; i < update.bidCount; i++) {
      book.set(BookSide.BID, update.bidPrices[i], update.bidQuantities[i]);
    }
    for (int i = 0; i < update.askCount; i++) {
      book.set(BookSide.ASK, update.askPrices[i], update.askQuantities[i]);
    }
    bookId = update.lastId;
  }

  /**
   * The top of the validated book as a snapshot row, or null while the book is resyncing. A book
   * just loaded from a snapshot with no newer event yet is valid: it is the book at that id.
   */
  OrderBookSnapshot snapshot(int levels, long timestampMs, long localMicros) {
    if (state == State.SYNCING) {
      return null;
    }
    return new OrderBookSnapshot(
        BinanceVenue.NAME,
        market,
        symbol,
        timestampMs,
        book.top(BookSide.BID, levels),
        book.top(BookSide.ASK, levels),
        localMicros,
        bookId,
        SnapshotSource.BOOK);
  }
}
