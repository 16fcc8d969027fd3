package dev.lake.exchanges.bybit;

import dev.lake.core.model.OrderBookDelta;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.book.BookSync;
import dev.lake.exchanges.stream.BookStreams;
import dev.lake.exchanges.stream.StreamGroup;
import java.util.Collection;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Bybit's order-book streams on the shared {@link BookStreams}: the topic {@code
 * orderbook.{depth}.{symbol}} and Bybit's frames. Books follow {@link BybitBooks}' rules and are
 * seeded by the snapshot Bybit sends after each subscribe, so a break subscribes the topic again;
 * connections, resubscription and the {@code source: book} grid are shared.
 */
final class BybitBookStreams implements BookStreams.Spec {
  private final BybitMarket market;
  private final int depth;
  private final BookStreams streams;

  /**
   * @param bookSnapshots the snapshot feed when its source is the local book, else null
   */
  BybitBookStreams(BybitMarket market, FeedSettings feed, FeedSettings bookSnapshots) {
    this.market = market;
    this.depth = BybitVenue.depth(feed);
    this.streams =
        new BookStreams(
            BybitVenue.NAME,
            market.market,
            market.name(),
            BybitBooks.RULES,
            this,
            market.streams(feed.url(), "books"),
            market.transport,
            market.context.sink(),
            market.events(OrderBookDelta.TABLE),
            market.counters(),
            market.context.persistedUpdateIds(),
            bookSnapshots);
  }

  void add(Collection<String> symbols) {
    streams.add(symbols);
  }

  void close() {
    streams.close();
  }

  int openConnections() {
    return streams.openConnections();
  }

  long failedConnections() {
    return streams.failedConnections();
  }

  long sum(ToLongFunction<BookSync> counter) {
    return streams.sum(counter);
  }

  /** For tests: the book syncs by symbol (read on their event loops only). */
  Map<String, BookSync> syncs() {
    return streams.syncs();
  }

  @Override
  public String topic(String symbol) {
    return "orderbook." + depth + "." + symbol;
  }

  @Override
  public StreamGroup.Handler reader(BookStreams.Books books) {
    BybitFrames frames =
        new BybitFrames(
            market.name(),
            BybitMessages.Kind.BOOK,
            (parsed, frame, rows) -> books.onMessage(parsed.book, frame, rows),
            parsed -> books.carries(parsed.book.symbol) ? parsed.book.symbol : null);
    return frames::read;
  }
}
