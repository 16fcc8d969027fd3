package dev.lake.cli;

import static org.apache.iceberg.expressions.Expressions.and;
import static org.apache.iceberg.expressions.Expressions.equal;
import static org.apache.iceberg.expressions.Expressions.greaterThanOrEqual;
import static org.apache.iceberg.expressions.Expressions.in;
import static org.apache.iceberg.expressions.Expressions.isNull;
import static org.apache.iceberg.expressions.Expressions.lessThan;
import static org.apache.iceberg.expressions.Expressions.or;

import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.read.TableRows;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.TableManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The completeness of a period, from the tables alone: per book (exchange, market, symbol) the rows
 * of every table, the gaps, restart gaps, checksum mismatches and resyncs, and the time its deltas
 * were validated. Times are exchange times (the {@code timestamp} column, which the tables are
 * partitioned by), so that only the partitions of the period are read.
 *
 * <p>A book is validated from a resync (a full book loaded) until the next break of its sequence: a
 * {@code gap}, {@code restart_gap} or {@code checksum_mismatch} of the book, or a {@code dropped}
 * or {@code wal_truncated} of lake (rows of unknown books lost). The validated time before a break
 * ends at the book's last row received before it, because the updates the break reports missing lie
 * between that row and the break; a resync with no break before it (a venue's new snapshot, a
 * restart that lost no id) does not interrupt it. At the end of the period it ends at the book's
 * last row: the tables cannot tell whether a quiet book was still watched after it.
 */
final class StatusReport {
  private static final Set<StreamEventType> BREAKS =
      EnumSet.of(
          StreamEventType.GAP,
          StreamEventType.RESTART_GAP,
          StreamEventType.CHECKSUM_MISMATCH,
          StreamEventType.DROPPED,
          StreamEventType.WAL_TRUNCATED);

  private static final Comparator<StreamEvent> ORDER =
      Comparator.comparingLong(StreamEvent::timestampMicros)
          .thenComparingLong(StreamEvent::localTimestampMicros)
          // a break and the resync it caused can share a time: the break comes first
          .thenComparingInt(event -> BREAKS.contains(event.event()) ? 0 : 1);

  /** What to report on: a period and optional filters (null: every value). */
  record Scope(
      long sinceMicros,
      long untilMicros,
      long lookbackMicros,
      String exchange,
      String market,
      String symbol) {}

  /** The key of a book: its exchange, market and symbol. */
  record BookKey(String exchange, String market, String symbol) implements Comparable<BookKey> {
    private static final Comparator<BookKey> ORDER =
        Comparator.comparing(BookKey::exchange)
            .thenComparing(BookKey::market)
            .thenComparing(BookKey::symbol);

    @Override
    public int compareTo(BookKey other) {
      return ORDER.compare(this, other);
    }
  }

  /**
   * A span of the period in which a book's deltas were not validated, and why.
   *
   * @param cause the break that began it, or null when the book was not validated at the start of
   *     the period, or had no row after its last validated one
   */
  record Span(long fromMicros, long toMicros, StreamEvent cause) {}

  /** What the period holds for one book. */
  static final class Book {
    final BookKey key;
    final Map<String, Long> rows = new LinkedHashMap<>();
    final List<StreamEvent> events = new ArrayList<>();
    final List<Span> unvalidated = new ArrayList<>();
    private final List<StreamEvent> bookEvents = new ArrayList<>();
    private long[] breaks = new long[0];
    private long[] lastRowBefore = {Long.MIN_VALUE};
    private boolean hasDeltas;
    long validatedMicros;

    Book(BookKey key) {
      this.key = key;
      for (TableDefinition<?> table : LakeTables.all()) {
        if (table != LakeTables.STREAM_EVENTS) {
          rows.put(table.name(), 0L);
        }
      }
    }

    /** True when the book has an order book feed in the tables (rows, resyncs or gaps). */
    boolean hasBook() {
      return hasDeltas;
    }

    long count(StreamEventType type) {
      return events.stream().filter(event -> event.event() == type).count();
    }

    private void noteDelta(long timestamp) {
      hasDeltas = true;
      // slot k holds rows between break k-1 and break k
      int slot = Arrays.binarySearch(breaks, timestamp);
      slot = slot >= 0 ? slot + 1 : -slot - 1;
      while (slot < breaks.length && breaks[slot] == timestamp) {
        slot++;
      }
      lastRowBefore[slot] = Math.max(lastRowBefore[slot], timestamp);
    }
  }

  /** Every book of the scope, in exchange, market and symbol order, and lake's own events. */
  record Result(Scope scope, List<Book> books, List<StreamEvent> lakeEvents) {}

  private final TableManager tables;
  private final Scope scope;
  private final Map<BookKey, Book> books = new TreeMap<>();
  private final List<StreamEvent> lakeBreaks = new ArrayList<>();
  private final List<StreamEvent> lakeEvents = new ArrayList<>();

  private StatusReport(TableManager tables, Scope scope) {
    this.tables = tables;
    this.scope = scope;
  }

  /** Reads the period's rows and events and works out each book's validated time. */
  static Result of(TableManager tables, Scope scope) {
    StatusReport report = new StatusReport(tables, scope);
    report.readEvents();
    report.placeBreaks();
    for (TableDefinition<?> table : LakeTables.all()) {
      if (table != LakeTables.STREAM_EVENTS && tables.exists(table)) {
        report.countRows(table);
      }
    }
    for (Book book : report.books.values()) {
      if (book.hasBook()) {
        report.validate(book);
      }
    }
    return new Result(scope, List.copyOf(report.books.values()), report.lakeEvents);
  }

  private void readEvents() {
    Expression filter =
        and(
            greaterThanOrEqual(
                TableDefinition.TIME_COLUMN, scope.sinceMicros - scope.lookbackMicros),
            lessThan(TableDefinition.TIME_COLUMN, scope.untilMicros),
            in(
                "event",
                StreamEventType.RESYNC.text(),
                StreamEventType.GAP.text(),
                StreamEventType.RESTART_GAP.text(),
                StreamEventType.CHECKSUM_MISMATCH.text(),
                StreamEventType.DROPPED.text(),
                StreamEventType.WAL_TRUNCATED.text()));
    filter = and(filter, orLake("exchange", scope.exchange, StreamEvent.LAKE));
    filter = and(filter, orLake("market_type", scope.market, StreamEvent.ALL));
    if (scope.symbol != null) {
      filter = and(filter, or(equal("symbol", scope.symbol), isNull("symbol")));
    }
    List<StreamEvent> found = new ArrayList<>();
    TableRows.forEach(
        tables.load(LakeTables.STREAM_EVENTS), filter, row -> found.add((StreamEvent) row));
    found.sort(ORDER);
    for (StreamEvent event : found) {
      boolean inPeriod = event.timestampMicros() >= scope.sinceMicros;
      if (event.exchange().equals(StreamEvent.LAKE)) {
        if (BREAKS.contains(event.event())) {
          lakeBreaks.add(event);
        }
        if (inPeriod) {
          lakeEvents.add(event);
        }
      } else if (event.symbol() != null) {
        Book book = book(new BookKey(event.exchange(), event.marketType(), event.symbol()));
        boolean ofBook = event.dataType().equals(OrderBookDelta.TABLE);
        if (ofBook) {
          book.hasDeltas = true;
          book.bookEvents.add(event);
        }
        if (inPeriod) {
          book.events.add(event);
        }
      }
    }
  }

  private static Expression orLake(String column, String value, String lakeValue) {
    return value == null
        ? Expressions.alwaysTrue()
        : or(equal(column, value), equal(column, lakeValue));
  }

  /** Each book's breaks in the period: where the slots of its last rows end. */
  private void placeBreaks() {
    for (Book book : books.values()) {
      if (!book.hasDeltas) {
        continue;
      }
      book.breaks =
          breaksOf(book).stream()
              .mapToLong(StreamEvent::timestampMicros)
              .filter(time -> time >= scope.sinceMicros)
              .toArray();
      book.lastRowBefore = new long[book.breaks.length + 1];
      Arrays.fill(book.lastRowBefore, Long.MIN_VALUE);
    }
  }

  /** The book's resyncs and breaks and lake's breaks, in time order. */
  private List<StreamEvent> timeline(Book book) {
    List<StreamEvent> timeline = new ArrayList<>(book.bookEvents);
    timeline.addAll(lakeBreaks);
    timeline.sort(ORDER);
    return timeline;
  }

  private List<StreamEvent> breaksOf(Book book) {
    return timeline(book).stream().filter(event -> BREAKS.contains(event.event())).toList();
  }

  private void countRows(TableDefinition<?> table) {
    String market = table.identityPartitionColumns().get(1);
    Expression filter =
        and(
            greaterThanOrEqual(TableDefinition.TIME_COLUMN, scope.sinceMicros),
            lessThan(TableDefinition.TIME_COLUMN, scope.untilMicros));
    filter = and(filter, equalIfSet("exchange", scope.exchange));
    filter = and(filter, equalIfSet(market, scope.market));
    filter = and(filter, equalIfSet(TableDefinition.SYMBOL_COLUMN, scope.symbol));
    boolean deltas = table == LakeTables.ORDERBOOK_DELTA;
    Table loaded = tables.load(table);
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(loaded)
            .where(filter)
            .select("exchange", market, TableDefinition.SYMBOL_COLUMN, TableDefinition.TIME_COLUMN)
            .build()) {
      BookKey last = null;
      Book book = null;
      for (Record record : records) {
        long timestamp = micros(record.getField(TableDefinition.TIME_COLUMN));
        if (timestamp < scope.sinceMicros || timestamp >= scope.untilMicros) {
          continue; // a file's rows outside the period
        }
        String exchange = (String) record.getField("exchange");
        String marketText = (String) record.getField(market);
        String symbol = (String) record.getField(TableDefinition.SYMBOL_COLUMN);
        if (last == null
            || !last.symbol.equals(symbol)
            || !last.market.equals(marketText)
            || !last.exchange.equals(exchange)) {
          last = new BookKey(exchange, marketText, symbol);
          book = book(last);
        }
        book.rows.merge(table.name(), 1L, Long::sum);
        if (deltas) {
          book.noteDelta(timestamp);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + loaded.name(), e);
    }
  }

  private static Expression equalIfSet(String column, String value) {
    return value == null ? Expressions.alwaysTrue() : equal(column, value);
  }

  /** Walks the book's resyncs and breaks through the period, adding up its validated time. */
  private void validate(Book book) {
    boolean validated = false;
    long start = scope.sinceMicros;
    int slot = 0;
    long unvalidatedFrom = scope.sinceMicros;
    StreamEvent cause = null;
    for (StreamEvent event : timeline(book)) {
      boolean isBreak = BREAKS.contains(event.event());
      if (event.timestampMicros() < scope.sinceMicros) {
        validated = !isBreak;
      } else if (isBreak) {
        if (validated) {
          long end = Math.max(start, book.lastRowBefore[slot]);
          book.validatedMicros += end - start;
          unvalidatedFrom = end;
          cause = event;
          validated = false;
        }
        slot++;
      } else if (!validated) {
        addSpan(book, unvalidatedFrom, event.timestampMicros(), cause);
        validated = true;
        start = event.timestampMicros();
      }
    }
    if (validated) {
      long end = Math.max(start, book.lastRowBefore[slot]);
      book.validatedMicros += end - start;
      addSpan(book, end, scope.untilMicros, null);
    } else {
      addSpan(book, unvalidatedFrom, scope.untilMicros, cause);
    }
  }

  private static void addSpan(Book book, long from, long to, StreamEvent cause) {
    if (to > from) {
      book.unvalidated.add(new Span(from, to, cause));
    }
  }

  private Book book(BookKey key) {
    return books.computeIfAbsent(key, Book::new);
  }

  private static long micros(Object value) {
    OffsetDateTime time = (OffsetDateTime) value;
    return time.toEpochSecond() * 1_000_000L + time.getNano() / 1_000;
  }
}
