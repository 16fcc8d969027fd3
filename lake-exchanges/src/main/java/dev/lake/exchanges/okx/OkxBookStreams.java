package dev.lake.exchanges.okx;

import dev.lake.core.model.OrderBookDelta;
import dev.lake.exchanges.ContractSize;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.stream.BookStreams;
import dev.lake.exchanges.stream.StreamGroup;
import dev.lake.exchanges.transport.QueryString;
import dev.lake.exchanges.transport.RestException;
import dev.lake.exchanges.transport.RestRequest;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * OKX's {@code books} channel on the shared {@link BookStreams}: its topics, its frames, and the
 * REST {@code /api/v5/market/books} answer (with {@code seqId}) that seeds a book when no snapshot
 * comes in the stream. Everything else (books by {@link OkxBooks}' rules, resubscribing, seeding
 * retries, the {@code source: book} grid) is shared.
 */
final class OkxBookStreams implements BookStreams.Spec {
  private final OkxMarket market;
  private final FeedSettings feed;

  private OkxBookStreams(OkxMarket market, FeedSettings feed) {
    this.market = market;
    this.feed = feed;
  }

  /**
   * The books of a market's delta feed.
   *
   * @param bookSnapshots the snapshot feed when its source is the local book, else null
   */
  static BookStreams create(OkxMarket market, FeedSettings feed, FeedSettings bookSnapshots) {
    return new BookStreams(
        OkxVenue.NAME,
        market.market(),
        market.name(),
        OkxBooks.RULES,
        new OkxBookStreams(market, feed),
        market.streams(feed.url(), "books"),
        market.transport(),
        market.context().sink(),
        market.events(OrderBookDelta.TABLE),
        market.counters(),
        market.context().persistedUpdateIds(),
        bookSnapshots);
  }

  @Override
  public String topic(String symbol) {
    return OkxStreams.topic("books", symbol);
  }

  @Override
  public StreamGroup.Handler reader(BookStreams.Books books) {
    OkxFrames frames =
        new OkxFrames(
            market.name(),
            OkxMessages.Kind.BOOK,
            market.sizes,
            (message, frame, rows) -> {
              if (!message.bookFields.hasSeqId) {
                // Pushes before 2023 had no ids; without them nothing can be checked.
                frame.reject(message.instId, "books push without seqId and prevSeqId", rows);
              } else {
                books.onMessage(message.book, frame, rows);
              }
            });
    return frames::read;
  }

  @Override
  public CompletableFuture<BookStreams.Seed> fetchSeed(String symbol) {
    ContractSize size = market.sizes.of(symbol);
    if (size == null) {
      return CompletableFuture.failedFuture(
          new MessageException("no ctVal known for " + symbol + " (not listed)"));
    }
    URI uri =
        QueryString.of("instId", symbol)
            .and("sz", feed.snapshotLimit())
            .appendTo(feed.snapshotUrl());
    return market
        .rest()
        .send(RestRequest.get(uri, 1).about(OrderBookDelta.TABLE, symbol))
        .thenApply(
            response ->
                new BookStreams.Seed(
                    OkxRest.seed(symbol, response.body(), size), response.receivedMicros()));
  }

  @Override
  public long retryFloorMillis(Throwable cause) {
    return cause instanceof RestException rest && rest.rateLimited()
        ? market.rest().delayFor(1)
        : 0;
  }
}
