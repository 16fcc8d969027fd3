package dev.lake.cli;

import static org.apache.iceberg.expressions.Expressions.and;
import static org.apache.iceberg.expressions.Expressions.equal;
import static org.apache.iceberg.expressions.Expressions.greaterThan;
import static org.apache.iceberg.expressions.Expressions.greaterThanOrEqual;
import static org.apache.iceberg.expressions.Expressions.in;
import static org.apache.iceberg.expressions.Expressions.isNull;
import static org.apache.iceberg.expressions.Expressions.lessThan;
import static org.apache.iceberg.expressions.Expressions.lessThanOrEqual;
import static org.apache.iceberg.expressions.Expressions.or;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.read.TableRows;
import dev.lake.exchanges.book.BookReplay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Reads from the tables what {@link BookReplay} needs to rebuild one book at one time, and the
 * {@code stream_events} rows that say whether that book can be trusted. A busy book writes millions
 * of rows an hour, so only rows that can change the result are read: the snapshot S, one row of the
 * snapshot before it (S'), and the non-snapshot rows received from the first one the rule would
 * apply. Every read is an Iceberg scan filtered by exchange, market and symbol (the partition
 * columns), so other books' files are never opened.
 */
final class BookRows {
  /** The column T is compared with. */
  enum Clock {
    /** The venue's time ({@code timestamp}). */
    EXCHANGE("timestamp"),
    /** lake's receive time ({@code local_timestamp}). */
    RECEIVE("local_timestamp");

    final String column;

    Clock(String column) {
      this.column = column;
    }
  }

  private static final String RECEIVED = "local_timestamp";
  private static final String ID = "last_update_id";
  private static final String IS_SNAPSHOT = "is_snapshot";
  private static final String[] COLUMNS = {
    "timestamp", ID, "side", "price", "quantity", "level", RECEIVED, IS_SNAPSHOT
  };

  private final Table deltas;
  private final Table events;
  private final String exchange;
  private final MarketType market;
  private final String symbol;
  private final Clock clock;

  BookRows(
      Table deltas, Table events, String exchange, MarketType market, String symbol, Clock clock) {
    this.deltas = deltas;
    this.events = events;
    this.exchange = exchange;
    this.market = market;
    this.symbol = symbol;
    this.clock = clock;
  }

  /**
   * The rows that rebuild the book at T exactly as all of its rows would, or empty when no snapshot
   * is at or before T within the lookback.
   */
  Optional<List<OrderBookDelta>> rowsAt(long at, long lookbackMicros) {
    Map<BookReplay.Snapshot, OrderBookDelta> heads =
        snapshotHeads(
            and(
                greaterThanOrEqual(clock.column, at - lookbackMicros),
                lessThanOrEqual(clock.column, at)));
    List<OrderBookDelta> headRows = new ArrayList<>(heads.values());
    Optional<BookReplay.Snapshot> chosen =
        clock == Clock.EXCHANGE
            ? BookReplay.snapshotAt(headRows, at)
            : BookReplay.snapshotReceivedAt(headRows, at);
    if (chosen.isEmpty()) {
      return Optional.empty();
    }
    BookReplay.Snapshot snapshot = chosen.get();
    long received = snapshot.localTimestampMicros();
    // S' may be older than the lookback, or even (clocks disagreeing) outside it by exchange time
    Optional<BookReplay.Snapshot> inWindow = BookReplay.snapshotBefore(headRows, snapshot);
    Expression earlier = lessThan(RECEIVED, received);
    if (inWindow.isPresent()) {
      earlier = and(earlier, greaterThanOrEqual(RECEIVED, inWindow.get().localTimestampMicros()));
    }
    Map<BookReplay.Snapshot, OrderBookDelta> before = snapshotHeads(earlier);
    OrderBookDelta previous =
        BookReplay.snapshotBefore(new ArrayList<>(before.values()), snapshot)
            .map(before::get)
            .orElse(null);

    List<OrderBookDelta> rows =
        read(
            and(
                equal(IS_SNAPSHOT, true),
                equal(ID, snapshot.updateId()),
                equal(RECEIVED, received)));
    if (previous != null) {
      rows.add(previous);
    }
    Expression changes = and(equal(IS_SNAPSHOT, false), lessThanOrEqual(clock.column, at));
    long from = firstApplied(changes, snapshot, previous);
    rows.addAll(read(and(changes, greaterThanOrEqual(RECEIVED, from))));
    return Optional.of(rows);
  }

  /**
   * The receive time from which rows can change the result: the rule skips every candidate before
   * the first with an id at or past the snapshot's, and those received before S are few (a REST
   * seed's buffer), so they are found by id first and only then read in full.
   */
  private long firstApplied(
      Expression changes, BookReplay.Snapshot snapshot, OrderBookDelta previous) {
    long received = snapshot.localTimestampMicros();
    if (previous != null && snapshot.updateId() < previous.lastUpdateId()) {
      return received; // the venue started its ids over at S
    }
    Expression early =
        and(changes, greaterThanOrEqual(ID, snapshot.updateId()), lessThan(RECEIVED, received));
    if (previous != null) {
      early = and(early, greaterThan(RECEIVED, previous.localTimestampMicros()));
    }
    long[] first = {received};
    forEach(early, row -> first[0] = Math.min(first[0], row.localTimestampMicros()));
    return first[0];
  }

  /**
   * The book's gaps, restart gaps and checksum mismatches, and its market's disconnects, that make
   * the book at T doubtful: those received after the snapshot and at or before T, and gaps after T
   * noticed before any later row of the book was received (a gap is recorded when the message after
   * it arrives, so the messages it misses may lie before T). A disconnect at or before T counts
   * only when no row of the book was received after it up to T: the first message after a reconnect
   * is checked against the last one before it, so a book that went on lost nothing unnoticed; what
   * a disconnect loses comes after it, so one after T does not count. In the order received.
   */
  List<StreamEvent> eventsAfter(BookReplay.Snapshot snapshot, long at) {
    long received = snapshot.localTimestampMicros();
    Expression filter =
        and(
            equal("exchange", exchange),
            equal("market_type", market.text()),
            greaterThan(RECEIVED, received),
            or(
                and(
                    equal("symbol", symbol),
                    in(
                        "event",
                        StreamEventType.GAP.text(),
                        StreamEventType.RESTART_GAP.text(),
                        StreamEventType.CHECKSUM_MISMATCH.text())),
                and(isNull("symbol"), equal("event", StreamEventType.DISCONNECT.text()))));
    List<StreamEvent> after =
        TableRows.read(events, filter).stream()
            .map(StreamEvent.class::cast)
            .sorted(
                Comparator.comparingLong(StreamEvent::localTimestampMicros)
                    .thenComparingLong(StreamEvent::timestampMicros))
            .toList();
    List<StreamEvent> doubtful = new ArrayList<>();
    boolean bookWentOn = false;
    for (StreamEvent event : after) {
      long time = clock == Clock.EXCHANGE ? event.timestampMicros() : event.localTimestampMicros();
      if (event.event() == StreamEventType.DISCONNECT) {
        // the first message of the book after a reconnect is checked against the last one before
        // it (or the book is seeded again): a disconnect the book went on after, up to T, lost
        // nothing unnoticed
        if (time <= at
            && !anyRow(
                and(
                    lessThanOrEqual(clock.column, at),
                    greaterThan(RECEIVED, event.localTimestampMicros())))) {
          doubtful.add(event);
        }
      } else if (time <= at) {
        doubtful.add(event);
      } else if (!bookWentOn) {
        bookWentOn =
            anyRow(
                and(
                    greaterThan(clock.column, at),
                    greaterThan(RECEIVED, received),
                    lessThan(RECEIVED, event.localTimestampMicros())));
        if (!bookWentOn) {
          doubtful.add(event);
        }
      }
    }
    return doubtful;
  }

  /** One row of each snapshot matching a filter, by snapshot. */
  private Map<BookReplay.Snapshot, OrderBookDelta> snapshotHeads(Expression filter) {
    Map<BookReplay.Snapshot, OrderBookDelta> heads = new LinkedHashMap<>();
    forEach(
        and(equal(IS_SNAPSHOT, true), filter),
        row ->
            heads.putIfAbsent(
                new BookReplay.Snapshot(
                    row.lastUpdateId(), row.timestampMicros(), row.localTimestampMicros()),
                row));
    return heads;
  }

  private boolean anyRow(Expression filter) {
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(deltas).where(and(book(), filter)).select(RECEIVED).build()) {
      return records.iterator().hasNext();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + deltas.name(), e);
    }
  }

  private List<OrderBookDelta> read(Expression filter) {
    List<OrderBookDelta> rows = new ArrayList<>();
    forEach(filter, rows::add);
    return rows;
  }

  private void forEach(Expression filter, Consumer<OrderBookDelta> consumer) {
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(deltas).where(and(book(), filter)).select(COLUMNS).build()) {
      for (Record record : records) {
        consumer.accept(row(record));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + deltas.name(), e);
    }
  }

  private Expression book() {
    return and(
        equal("exchange", exchange), equal("market", market.text()), equal("symbol", symbol));
  }

  /** A row of the book; its text columns are the book's own, shared rather than read. */
  private OrderBookDelta row(Record record) {
    return new OrderBookDelta(
        exchange,
        market,
        symbol,
        micros(record.getField("timestamp")),
        (Long) record.getField(ID),
        side((String) record.getField("side")),
        (Double) record.getField("price"),
        (Double) record.getField("quantity"),
        (Integer) record.getField("level"),
        micros(record.getField(RECEIVED)),
        null,
        null,
        Boolean.TRUE.equals(record.getField(IS_SNAPSHOT)));
  }

  private static BookSide side(String text) {
    for (BookSide side : BookSide.values()) {
      if (side.text().equals(text)) {
        return side;
      }
    }
    throw new IllegalStateException(
        "Cannot read orderbook_delta: side is " + text + " (expected bid or ask)");
  }

  private static long micros(Object value) {
    OffsetDateTime time = (OffsetDateTime) value;
    return time.toEpochSecond() * 1_000_000L + time.getNano() / 1_000;
  }
}
