package dev.lake.exchanges.bybit;

import dev.lake.core.model.OrderBookDelta;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.stream.BookStreams;
import dev.lake.exchanges.stream.MessageFrames;
import dev.lake.exchanges.stream.StreamGroup;

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
            market.market(),
            market.name(),
            BybitBooks.RULES,
            this,
            market.streams(feed.url(), "books"),
            market.transport(),
            market.context().sink(),
            market.events(OrderBookDelta.TABLE),
            market.counters(),
            market.context().persistedUpdateIds(),
            bookSnapshots);
  }

  /** The shared streams carrying the books. */
  BookStreams streams() {
    return streams;
  }

  @Override
  public String topic(String symbol) {
    return "orderbook." + depth + "." + symbol;
  }

  @Override
  public StreamGroup.Handler reader(BookStreams.Books books) {
    MessageFrames<BybitMessages.WsMessage> frames =
        BybitFrames.reader(
            market.name(),
            BybitMessages.Kind.BOOK,
            (parsed, frame, rows) -> books.onMessage(parsed.book, frame, rows),
            parsed -> books.carries(parsed.book.symbol) ? parsed.book.symbol : null);
    return frames::read;
  }
}
