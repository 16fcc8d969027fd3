package dev.lake.exchanges.kraken;

import dev.lake.core.model.OrderBookDelta;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.stream.BookStreams;
import dev.lake.exchanges.stream.StreamGroup;

/**
 * Kraken's books on the shared {@link BookStreams}: the spot v2 {@code book} channel at the
 * configured depth, or the Kraken Futures {@code book} feed, and their frames. Books follow {@link
 * KrakenBooks}' rules and are seeded by the snapshot in the stream; everything else (resubscribing,
 * the {@code source: book} grid) is shared.
 */
final class KrakenBookStreams implements BookStreams.Spec {
  private final KrakenMarket market;

  private KrakenBookStreams(KrakenMarket market) {
    this.market = market;
  }

  /**
   * The books of a market's delta feed.
   *
   * @param bookSnapshots the snapshot feed when its source is the local book, else null
   */
  static BookStreams create(KrakenMarket market, FeedSettings feed, FeedSettings bookSnapshots) {
    int depth = market.futures ? 0 : KrakenVenue.depth(feed);
    return new BookStreams(
        KrakenVenue.NAME,
        market.market(),
        market.name(),
        market.futures ? KrakenBooks.FUTURES : KrakenBooks.spot(depth),
        new KrakenBookStreams(market),
        market.streams(feed.url(), "book", depth),
        market.transport(),
        market.context().sink(),
        market.events(OrderBookDelta.TABLE),
        market.counters(),
        market.context().persistedUpdateIds(),
        bookSnapshots);
  }

  @Override
  public String topic(String symbol) {
    return KrakenStreams.topic("book", symbol);
  }

  @Override
  public StreamGroup.Handler reader(BookStreams.Books books) {
    KrakenFrames frames =
        new KrakenFrames(
            market,
            KrakenMessages.Kind.BOOK,
            (message, frame, rows) -> {
              if (message.book.timestampMicros == 0) {
                message.book.timestampMicros = frame.receivedMicros(); // v2 snapshots carry none
              }
              books.onMessage(message.book, frame, rows);
            });
    return frames::read;
  }
}
