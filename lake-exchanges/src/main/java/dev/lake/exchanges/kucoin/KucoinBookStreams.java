package dev.lake.exchanges.kucoin;

import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.exchanges.ContractSize;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.stream.BookStreams;
import dev.lake.exchanges.stream.MessageFrames;
import dev.lake.exchanges.stream.StreamGroup;
import dev.lake.exchanges.transport.QueryString;
import dev.lake.exchanges.transport.RestException;
import dev.lake.exchanges.transport.RestRequest;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * KuCoin's book topics on the shared {@link BookStreams}: {@code /market/level2:{symbol}} (spot)
 * and {@code /contractMarket/level2:{symbol}} (futures), their frames, and the REST snapshot that
 * seeds a book: spot {@code level2_100} (public, top 100 levels only: the book is exact near the
 * top, and levels beyond the seeded depth are not known), futures {@code level2/snapshot} (full
 * depth). Futures sizes are converted from contracts by the contract's multiplier.
 */
final class KucoinBookStreams implements BookStreams.Spec {
  private final KucoinMarket market;
  private final FeedSettings feed;
  private final boolean spot;

  private KucoinBookStreams(KucoinMarket market, FeedSettings feed) {
    this.market = market;
    this.feed = feed;
    this.spot = market.market() == MarketType.SPOT;
  }

  /**
   * The books of a market's delta feed.
   *
   * @param bookSnapshots the snapshot feed when its source is the local book, else null
   */
  static BookStreams create(KucoinMarket market, FeedSettings feed, FeedSettings bookSnapshots) {
    return new BookStreams(
        KucoinVenue.NAME,
        market.market(),
        market.name(),
        KucoinBooks.rules(market.market(), feed.snapshotUrl()),
        new KucoinBookStreams(market, feed),
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
    return (spot ? "/market/level2:" : "/contractMarket/level2:") + symbol;
  }

  @Override
  public StreamGroup.Handler reader(BookStreams.Books books) {
    MessageFrames<KucoinMessages.WsMessage> frames =
        KucoinFrames.reader(
            market.name(),
            spot ? KucoinMessages.Kind.SPOT_BOOK : KucoinMessages.Kind.FUTURE_BOOK,
            (message, frame, rows) -> {
              BookMessage book = message.book;
              if (book.timestampMicros == 0) {
                book.timestampMicros = frame.receivedMicros();
              }
              if (!spot) {
                ContractSize multiplier = market.multiplier(book.symbol);
                if (multiplier == null) {
                  frame.reject(book.symbol, "no multiplier known (not listed)", rows);
                  return;
                }
                BookMessage.Levels levels = book.bids.count > 0 ? book.bids : book.asks;
                levels.quantities[0] = multiplier.apply(levels.quantities[0]);
              }
              books.onMessage(book, frame, rows);
            });
    return frames::read;
  }

  @Override
  public CompletableFuture<BookStreams.Seed> fetchSeed(String symbol) {
    ContractSize multiplier = market.multiplier(symbol);
    if (multiplier == null) {
      return CompletableFuture.failedFuture(
          new MessageException("no multiplier known for " + symbol + " (not listed)"));
    }
    URI uri = QueryString.of("symbol", symbol).appendTo(feed.snapshotUrl());
    return market
        .rest()
        .send(RestRequest.get(uri, spot ? 4 : 3).about(OrderBookDelta.TABLE, symbol))
        .thenApply(
            response ->
                new BookStreams.Seed(
                    KucoinRest.book(market.market(), symbol, response.body(), multiplier),
                    response.receivedMicros()));
  }

  @Override
  public long retryFloorMillis(Throwable cause) {
    return cause instanceof RestException rest && rest.rateLimited()
        ? market.rest().delayFor(1)
        : 0;
  }
}
