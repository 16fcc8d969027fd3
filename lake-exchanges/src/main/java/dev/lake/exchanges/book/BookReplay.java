package dev.lake.exchanges.book;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.OrderBookDelta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Rebuilds one order book (one exchange, market and symbol) from {@code orderbook_delta} rows
 * alone, as a reader of the table would, by one rule that serves every venue:
 *
 * <ol>
 *   <li><b>Snapshot.</b> Among the book's snapshots ({@code is_snapshot} rows sharing one {@code
 *       last_update_id} and one {@code local_timestamp}) at or before T, take the one received
 *       last: S, with id L and receive time R. S' is the snapshot received before it (id L',
 *       receive time R'), if any.
 *   <li><b>Candidates.</b> The non-snapshot rows at or before T received after R'; but when L &lt;
 *       L' (the venue started its ids over at S), only those received at or after R. They are taken
 *       in receive order: {@code local_timestamp}, then {@code last_update_id}, then bid before
 *       ask, then {@code level}.
 *   <li><b>Apply.</b> Start from S's levels, skip the candidates before the first whose {@code
 *       last_update_id >= L}, and apply that one and every one after it (quantity 0 removes a
 *       level).
 * </ol>
 *
 * <p>Why: a book seeded from REST (Binance, KuCoin) is stitched to messages received before its
 * snapshot, hence "received after R'" with the id filter; a book seeded from its stream starts at
 * its snapshot and may see ids go down later (OKX after maintenance), hence only the stale prefix
 * is skipped and everything after it is applied in receive order; a venue reset (Bybit {@code u =
 * 1}) restarts ids, hence the L &lt; L' case. Quantities are absolute, so applying the message at
 * id L again is harmless (it is already in the snapshot), which is why {@code >= L} serves every
 * venue.
 *
 * <p>T is exchange time ({@code timestamp}) or, with {@link #rebuildByReceiveTime}, receive time
 * ({@code local_timestamp}): the same rule with that column for the cut-off and the choice of S.
 * The rows given must be the book's rows (one exchange, market and symbol); a caller reading a
 * large table may leave out rows that cannot change the result (see {@code lake book}).
 */
public final class BookReplay {
  /** The order in which rows were received, and so are applied. */
  private static final Comparator<OrderBookDelta> RECEIVE_ORDER =
      Comparator.comparingLong(OrderBookDelta::localTimestampMicros)
          .thenComparingLong(OrderBookDelta::lastUpdateId)
          .thenComparing(OrderBookDelta::side)
          .thenComparingInt(OrderBookDelta::level);

  private BookReplay() {}

  /**
   * A snapshot of a book in the table: the {@code is_snapshot} rows sharing one update id and one
   * receive time.
   *
   * @param updateId its {@code last_update_id}
   * @param timestampMicros its exchange time, epoch microseconds
   * @param localTimestampMicros its receive time, epoch microseconds
   */
  public record Snapshot(long updateId, long timestampMicros, long localTimestampMicros) {
    static Snapshot of(OrderBookDelta row) {
      return new Snapshot(row.lastUpdateId(), row.timestampMicros(), row.localTimestampMicros());
    }

    boolean contains(OrderBookDelta row) {
      return row.isSnapshot()
          && row.lastUpdateId() == updateId
          && row.localTimestampMicros() == localTimestampMicros;
    }

    /** Received after another; the same receive time is broken by the larger id. */
    boolean receivedAfter(Snapshot other) {
      return localTimestampMicros != other.localTimestampMicros
          ? localTimestampMicros > other.localTimestampMicros
          : updateId > other.updateId;
    }
  }

  /**
   * A rebuilt book and where it stands.
   *
   * @param book the book
   * @param snapshot the snapshot it was rebuilt from (S)
   * @param updateId the id of the last row applied, or the snapshot's when none was
   * @param updateTimestampMicros the exchange time of that row (or of the snapshot)
   * @param rowsApplied the non-snapshot rows applied on top of the snapshot
   */
  public record Rebuilt(
      OrderBook book,
      Snapshot snapshot,
      long updateId,
      long updateTimestampMicros,
      long rowsApplied) {
    public Rebuilt {
      requireNonNull(book, "book is null");
      requireNonNull(snapshot, "snapshot is null");
    }
  }

  /**
   * The book after all the given rows of one book.
   *
   * @param rows the book's rows, in any order
   * @return the rebuilt book, or empty when the rows hold no snapshot
   */
  public static Optional<Rebuilt> rebuild(List<OrderBookDelta> rows) {
    return rebuild(rows, OrderBookDelta::timestampMicros, Long.MAX_VALUE);
  }

  /**
   * The book as of an exchange time ({@code timestamp}), by the rule above.
   *
   * @param rows the book's rows, in any order
   * @param atMicros T, epoch microseconds; rows at T are included
   * @return the rebuilt book, or empty when the rows hold no snapshot at or before T
   */
  public static Optional<Rebuilt> rebuild(List<OrderBookDelta> rows, long atMicros) {
    return rebuild(rows, OrderBookDelta::timestampMicros, atMicros);
  }

  /**
   * The book as of a receive time ({@code local_timestamp}): the same rule with receive time for
   * the cut-off and the choice of the snapshot.
   *
   * @param rows the book's rows, in any order
   * @param atMicros T, epoch microseconds; rows received at T are included
   * @return the rebuilt book, or empty when the rows hold no snapshot received at or before T
   */
  public static Optional<Rebuilt> rebuildByReceiveTime(List<OrderBookDelta> rows, long atMicros) {
    return rebuild(rows, OrderBookDelta::localTimestampMicros, atMicros);
  }

  /**
   * The book after all the given rows of one book, or an empty book when they hold no snapshot.
   *
   * @param rows the book's rows, in any order
   * @param inclusive ignored: the rule applies from the first row with {@code last_update_id >= L}
   *     for every venue
   * @deprecated use {@link #rebuild(List)}, which also says which snapshot the book stands on
   */
  @Deprecated
  public static OrderBook rebuild(List<OrderBookDelta> rows, boolean inclusive) {
    return rebuild(rows).map(Rebuilt::book).orElseGet(OrderBook::new);
  }

  /**
   * The snapshot the rule starts from at an exchange time T (S): the one received last among those
   * at or before T.
   *
   * @param rows the book's rows, or only its snapshot rows, in any order
   * @return S, or empty when no snapshot is at or before T
   */
  public static Optional<Snapshot> snapshotAt(List<OrderBookDelta> rows, long atMicros) {
    return Optional.ofNullable(latest(rows, OrderBookDelta::timestampMicros, atMicros));
  }

  /** As {@link #snapshotAt}, for a receive time T ({@link #rebuildByReceiveTime}). */
  public static Optional<Snapshot> snapshotReceivedAt(List<OrderBookDelta> rows, long atMicros) {
    return Optional.ofNullable(latest(rows, OrderBookDelta::localTimestampMicros, atMicros));
  }

  /**
   * The snapshot received last before a given one, whatever its time (S' of S).
   *
   * @param rows the book's rows, or only its snapshot rows, in any order
   * @return S', or empty when no snapshot was received before S
   */
  public static Optional<Snapshot> snapshotBefore(List<OrderBookDelta> rows, Snapshot snapshot) {
    return Optional.ofNullable(receivedBefore(rows, snapshot));
  }

  private static Optional<Rebuilt> rebuild(
      List<OrderBookDelta> rows, ToLongFunction<OrderBookDelta> time, long at) {
    Snapshot snapshot = latest(rows, time, at);
    if (snapshot == null) {
      return Optional.empty();
    }
    Snapshot previous = receivedBefore(rows, snapshot);
    boolean idsStartedOver = previous != null && snapshot.updateId() < previous.updateId();
    List<OrderBookDelta> candidates = new ArrayList<>();
    OrderBook book = new OrderBook();
    for (OrderBookDelta row : rows) {
      if (snapshot.contains(row)) {
        book.set(row.side(), row.price(), row.quantity());
      } else if (!row.isSnapshot()
          && time.applyAsLong(row) <= at
          && (idsStartedOver
              ? row.localTimestampMicros() >= snapshot.localTimestampMicros()
              : previous == null || row.localTimestampMicros() > previous.localTimestampMicros())) {
        candidates.add(row);
      }
    }
    candidates.sort(RECEIVE_ORDER);
    long updateId = snapshot.updateId();
    long updateTimestamp = snapshot.timestampMicros();
    long applied = 0;
    boolean applying = false;
    for (OrderBookDelta row : candidates) {
      applying = applying || row.lastUpdateId() >= snapshot.updateId();
      if (applying) {
        book.set(row.side(), row.price(), row.quantity());
        updateId = row.lastUpdateId();
        updateTimestamp = row.timestampMicros();
        applied++;
      }
    }
    return Optional.of(new Rebuilt(book, snapshot, updateId, updateTimestamp, applied));
  }

  /** The snapshot received last among those at or before T by the time column, or null. */
  private static Snapshot latest(
      List<OrderBookDelta> rows, ToLongFunction<OrderBookDelta> time, long at) {
    Snapshot latest = null;
    for (OrderBookDelta row : rows) {
      if (row.isSnapshot() && time.applyAsLong(row) <= at) {
        Snapshot snapshot = Snapshot.of(row);
        if (latest == null || snapshot.receivedAfter(latest)) {
          latest = snapshot;
        }
      }
    }
    return latest;
  }

  /** The snapshot received last before the given one (whatever its time), or null. */
  private static Snapshot receivedBefore(List<OrderBookDelta> rows, Snapshot snapshot) {
    Snapshot previous = null;
    for (OrderBookDelta row : rows) {
      if (row.isSnapshot() && !snapshot.contains(row)) {
        Snapshot candidate = Snapshot.of(row);
        if (snapshot.receivedAfter(candidate)
            && (previous == null || candidate.receivedAfter(previous))) {
          previous = candidate;
        }
      }
    }
    return previous;
  }
}
