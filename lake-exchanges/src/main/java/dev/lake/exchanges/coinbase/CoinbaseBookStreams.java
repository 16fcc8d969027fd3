package dev.lake.exchanges.coinbase;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.stream.BookStreams;
import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.StreamGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Coinbase's {@code level2} channel on the shared {@link BookStreams}: a topic is a product id; an
 * {@code l2_data} message's product events go to their books; a break in the connection's {@code
 * sequence_num} (on any channel, a heartbeat included) and a lost connection resync every book of
 * that connection, each with a {@code gap} row ({@link BookStreams.Books#onConnectionBreak}).
 */
final class CoinbaseBookStreams implements BookStreams.Spec {
  private final CoinbaseMarket market;

  private CoinbaseBookStreams(CoinbaseMarket market) {
    this.market = market;
  }

  /**
   * The books of a market's delta feed.
   *
   * @param bookSnapshots the snapshot feed when its source is the local book, else null
   */
  static BookStreams create(CoinbaseMarket market, FeedSettings feed, FeedSettings bookSnapshots) {
    return new BookStreams(
        CoinbaseVenue.NAME,
        market.market(),
        market.name(),
        CoinbaseBooks.RULES,
        new CoinbaseBookStreams(market),
        market.streams(feed.url(), "level2", List.of("LEVEL2")),
        market.transport(),
        market.context().sink(),
        market.events(OrderBookDelta.TABLE),
        market.counters(),
        market.context().persistedUpdateIds(),
        bookSnapshots);
  }

  @Override
  public String topic(String symbol) {
    return symbol;
  }

  @Override
  public StreamGroup.Handler reader(BookStreams.Books books) {
    CoinbaseFrames frames =
        new CoinbaseFrames(
            market.name(),
            market.parser(),
            Set.of(CoinbaseMessages.Channel.L2_DATA),
            new CoinbaseFrames.Reader() {
              @Override
              public void read(
                  CoinbaseMessages.WsMessage message, Frame frame, List<LakeRow> rows) {
                for (int i = 0; i < message.bookCount; i++) {
                  books.onMessage(message.books[i], frame, rows);
                }
              }

              @Override
              public void onBreak(String detail, Frame frame, List<LakeRow> rows) {
                books.onConnectionBreak(detail, frame.receivedMicros(), rows);
              }
            });
    return new StreamGroup.Handler() {
      @Override
      public void onFrame(Frame frame, List<LakeRow> rows) {
        frames.read(frame, rows);
      }

      @Override
      public void onClose(String connectionId) {
        frames.onClose(connectionId);
        List<LakeRow> rows = new ArrayList<>();
        books.onConnectionBreak(
            "connection " + connectionId + " closed: its messages until the next snapshot are lost",
            market.transport().clock().nowMicros(),
            rows);
        books.emit(rows);
      }
    };
  }
}
