package dev.lake.exchanges;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.StreamEventType;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.stream.BookStreams;
import dev.lake.exchanges.stream.EventFeed;
import dev.lake.exchanges.transport.RestClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters and the request ledger of one venue market, shared by its streams and polls:
 * messages received, messages rejected, rate limits met, and the {@code stream_events} rows of
 * rejected answers and rate limits. Thread-safe.
 */
public final class MarketLedger {
  private final String exchange;
  private final MarketType market;
  private final MicrosClock clock;
  private final Outlet outlet;
  private final AtomicLong messages = new AtomicLong();
  // a bounded set: one entry per feed (table) the market collects, made when the feed is
  private final Map<String, AtomicLong> messagesByFeed = new ConcurrentHashMap<>();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();

  /**
   * A ledger writing its rows to a sink.
   *
   * @param exchange the venue's name, as in the {@code exchange} column
   */
  public MarketLedger(String exchange, MarketType market, MicrosClock clock, RowSink sink) {
    this.exchange = requireNonNull(exchange, "exchange is null");
    this.market = requireNonNull(market, "market is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.outlet = new Outlet(sink);
  }

  /** The market as people read it, e.g. {@code binance spot}. */
  public String name() {
    return exchange + " " + market.text();
  }

  public MarketType market() {
    return market;
  }

  /** Where rows that need no back-pressure go (poll answers, ledger rows). */
  public Outlet outlet() {
    return outlet;
  }

  /** Messages and REST answers received. */
  public AtomicLong messages() {
    return messages;
  }

  /**
   * The counter of the messages and answers of one feed, named by its table (e.g. {@code trades});
   * made on the first call. A feed asks once, when it is made, and increments it with {@link
   * #messages()}, so that the feeds' counts add up to that one.
   */
  public AtomicLong feedMessages(String feed) {
    requireNonNull(feed, "feed is null");
    return messagesByFeed.computeIfAbsent(feed, name -> new AtomicLong());
  }

  /** Messages and answers received per feed (table) so far, read now. */
  public Map<String, Long> messagesByFeed() {
    Map<String, Long> counts = new HashMap<>();
    messagesByFeed.forEach((feed, count) -> counts.put(feed, count.get()));
    return counts;
  }

  /** Messages and answers rejected. */
  public AtomicLong rejected() {
    return rejected;
  }

  public StreamEvents events(String table) {
    return new StreamEvents(exchange, market, table);
  }

  public long nowMicros() {
    return clock.nowMicros();
  }

  /**
   * Counts a rate limit and records it as a {@code rate_limited} row of the table and symbol its
   * request was for ({@code all} and no symbol when it names none).
   */
  public void rateLimited(RestClient.RateLimit limit) {
    rateLimited.incrementAndGet();
    String table = limit.request().table() == null ? "all" : limit.request().table();
    outlet.emit(
        List.<LakeRow>of(
            events(table)
                .event(
                    StreamEventType.RATE_LIMITED,
                    limit.request().symbol(),
                    limit.detail(),
                    nowMicros())));
  }

  /** Counts a malformed answer and records it as a {@code rejected_message} row. */
  public void rejectedAnswer(String table, String symbol, String reason) {
    rejected.incrementAndGet();
    outlet.emit(
        List.<LakeRow>of(
            events(table).event(StreamEventType.REJECTED_MESSAGE, symbol, reason, nowMicros())));
  }

  /**
   * The counters of a market whose books are carried by {@code books} (null without books) and
   * whose other streams are {@code feeds}. Safe from any thread (a metrics scrape), also while
   * symbols and connections are added: see {@link BookStreams#totals()}.
   */
  public ConnectorStats stats(BookStreams books, List<EventFeed> feeds) {
    int open = feeds.stream().mapToInt(EventFeed::openConnections).sum();
    long failed = feeds.stream().mapToLong(EventFeed::failedConnections).sum();
    long reconnects = feeds.stream().mapToLong(EventFeed::reconnects).sum();
    if (books == null) {
      return new ConnectorStats(
          open,
          failed,
          messages.get(),
          0,
          0,
          0,
          rejected.get(),
          rateLimited.get(),
          0,
          0,
          0,
          reconnects,
          messagesByFeed());
    }
    BookStreams.Totals totals = books.totals();
    return new ConnectorStats(
        open + books.openConnections(),
        failed + books.failedConnections(),
        messages.get(),
        totals.validated(),
        totals.gaps(),
        totals.resyncs(),
        rejected.get() + totals.duplicates(),
        rateLimited.get(),
        totals.books(),
        totals.booksInSync(),
        totals.checksumMismatches(),
        reconnects + books.reconnects(),
        messagesByFeed());
  }
}
