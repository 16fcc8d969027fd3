package dev.lake.exchanges;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.StreamEventType;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.transport.RestClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

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

  /** The counters, with what the streams count themselves. */
  public ConnectorStats stats(
      IntSupplier openConnections,
      long failedConnections,
      long validated,
      long gaps,
      long resyncs,
      long rejectedInBooks) {
    return new ConnectorStats(
        openConnections.getAsInt(),
        failedConnections,
        messages.get(),
        validated,
        gaps,
        resyncs,
        rejected.get() + rejectedInBooks,
        rateLimited.get());
  }

  /**
   * The counters of a market whose streams are its book streams (or null) and event feeds, with
   * what the books count themselves.
   */
  public ConnectorStats stats(
      dev.lake.exchanges.stream.BookStreams books,
      java.util.List<dev.lake.exchanges.stream.EventFeed> feeds) {
    return stats(
        () ->
            (books == null ? 0 : books.openConnections())
                + feeds.stream()
                    .mapToInt(dev.lake.exchanges.stream.EventFeed::openConnections)
                    .sum(),
        (books == null ? 0 : books.failedConnections())
            + feeds.stream()
                .mapToLong(dev.lake.exchanges.stream.EventFeed::failedConnections)
                .sum(),
        books == null ? 0 : books.sum(dev.lake.exchanges.book.BookSync::validated),
        books == null ? 0 : books.sum(dev.lake.exchanges.book.BookSync::gaps),
        books == null ? 0 : books.sum(dev.lake.exchanges.book.BookSync::resyncs),
        books == null ? 0 : books.sum(dev.lake.exchanges.book.BookSync::duplicates));
  }
}
