package dev.lake.exchanges.binance;

import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.book.BookSync;
import dev.lake.exchanges.stream.BookStreams;
import dev.lake.exchanges.stream.StreamGroup;
import dev.lake.exchanges.transport.QueryString;
import dev.lake.exchanges.transport.RestException;
import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

/**
 * Binance's diff-depth streams on the shared {@link BookStreams}: Binance's stream names, its
 * frames, and the REST {@code /depth} snapshot that seeds a book (within the weight budget; a rate
 * limit waits out Binance's pause). Everything else (books by {@link BinanceBooks}' rules,
 * connections, seeding retries, the {@code source: book} grid) is shared.
 */
final class BinanceBookStreams implements BookStreams.Spec {
  private final BinanceMarket market;
  private final FeedSettings feed;
  private final BookStreams streams;

  /**
   * @param bookSnapshots the snapshot feed when its source is the local book, else null
   */
  BinanceBookStreams(BinanceMarket market, FeedSettings feed, FeedSettings bookSnapshots) {
    this.market = market;
    this.feed = feed;
    this.streams =
        new BookStreams(
            BinanceVenue.NAME,
            market.market(),
            market.name(),
            BinanceBooks.rules(market.market()),
            this,
            new BinanceStreams(
                feed.url(),
                market.context().streamsPerConnection(),
                WebSocketSession.Options.defaults(market.name() + " depth")),
            market.transport(),
            market.context().sink(),
            market.events(OrderBookDelta.TABLE),
            market.counters(),
            market.context().persistedUpdateIds(),
            bookSnapshots);
  }

  /** Starts collecting symbols, filling connections up to the streams each may carry. */
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

  /** The shared streams carrying the books. */
  BookStreams streams() {
    return streams;
  }

  /** Sums a counter over every book. */
  long sum(ToLongFunction<BookSync> counter) {
    return streams.sum(counter);
  }

  /** For tests: the book syncs by symbol (read on their event loops only). */
  Map<String, BookSync> syncs() {
    return streams.syncs();
  }

  /** The stream name of a symbol at the configured update speed. */
  @Override
  public String topic(String symbol) {
    long speed = feed.intervalMs();
    boolean standard = market.market() == MarketType.SPOT ? speed == 1000 : speed == 250;
    return symbol.toLowerCase(Locale.ROOT) + "@depth" + (standard ? "" : "@" + speed + "ms");
  }

  @Override
  public StreamGroup.Handler reader(BookStreams.Books books) {
    BinanceFrames frames =
        new BinanceFrames(
            market.name(),
            BinanceMessages.Kind.DEPTH,
            (parsed, frame, rows) -> books.onMessage(parsed.depth, frame, rows),
            parsed -> books.carries(parsed.depth.symbol) ? parsed.depth.symbol : null);
    return frames::read;
  }

  @Override
  public CompletableFuture<BookStreams.Seed> fetchSeed(String symbol) {
    int limit = feed.snapshotLimit();
    URI uri = QueryString.of("symbol", symbol).and("limit", limit).appendTo(feed.snapshotUrl());
    return market
        .rest()
        .get(uri, BinanceRest.depthWeight(market.market(), limit))
        .thenApply(
            response -> {
              BinanceDepthSnapshot snapshot =
                  BinanceRest.depth(response.body(), response.receivedMicros());
              return new BookStreams.Seed(
                  snapshot.toBookMessage(symbol), snapshot.receivedMicros());
            });
  }

  @Override
  public long retryFloorMillis(Throwable cause) {
    return cause instanceof RestException rest && rest.rateLimited()
        ? market.rest().delayFor(BinanceRest.depthWeight(market.market(), feed.snapshotLimit()))
        : 0;
  }
}
