package dev.lake.exchanges.kucoin;

import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.exchanges.ContractSize;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.Venue;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.book.BookRules;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.stream.BookStreams;
import dev.lake.exchanges.stream.MessageFrames;
import dev.lake.exchanges.stream.StreamGroup;
import dev.lake.exchanges.transport.QueryString;
import dev.lake.exchanges.transport.RestException;
import dev.lake.exchanges.transport.RestRequest;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KuCoin's book topics on the shared {@link BookStreams}: {@code /market/level2:{symbol}} (spot)
 * and {@code /contractMarket/level2:{symbol}} (futures), their frames, and the REST snapshot that
 * seeds a book: spot {@code level2_100} (public, top 100 levels only: the book is exact near the
 * top, and levels beyond the seeded depth are not known) or, with credentials, the signed
 * full-depth {@code /api/v3/market/orderbook/level2}; futures {@code level2/snapshot} (full depth).
 * Futures sizes are converted from contracts by the contract's multiplier.
 *
 * <p>When KuCoin refuses the signed request (wrong key, secret or passphrase, a clock off, an IP
 * not whitelisted), lake records it once (a warning and one {@code rejected_message} row saying
 * what to fix) and seeds every book of the market from the public snapshot from then on, kept to
 * its depth: collecting the top of the book beats collecting nothing.
 */
final class KucoinBookStreams implements BookStreams.Spec {
  private static final Logger LOG = LoggerFactory.getLogger(KucoinBookStreams.class);

  private final KucoinMarket market;
  private final boolean spot;
  private final URI signedSeed;
  private final URI publicSeed;
  private final AtomicReference<String> refused = new AtomicReference<>();

  private KucoinBookStreams(KucoinMarket market, FeedSettings feed) {
    this.market = market;
    this.spot = market.market() == MarketType.SPOT;
    URI seed = feed.snapshotUrl();
    this.signedSeed =
        market.signsBookSeeds()
            ? Venue.sameHost(seed, URI.create(KucoinVenue.SPOT_REST + KucoinVenue.FULL_BOOK))
            : null;
    this.publicSeed =
        signedSeed != null && KucoinVenue.maxLevels(seed) == 0
            ? Venue.sameHost(
                seed, URI.create(KucoinVenue.SPOT_REST + "/api/v1/market/orderbook/level2_100"))
            : seed;
  }

  /** Where books are seeded from: the signed full-depth book with credentials, else the feed's. */
  private URI firstSeed() {
    return signedSeed != null ? signedSeed : publicSeed;
  }

  /**
   * The books of a market's delta feed.
   *
   * @param bookSnapshots the snapshot feed when its source is the local book, else null
   */
  static BookStreams create(KucoinMarket market, FeedSettings feed, FeedSettings bookSnapshots) {
    KucoinBookStreams spec = new KucoinBookStreams(market, feed);
    return new BookStreams(
        KucoinVenue.NAME,
        market.market(),
        market.name(),
        KucoinBooks.rules(market.market(), spec.firstSeed()),
        spec,
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
    if (signedSeed == null) {
      return fetch(publicSeed, symbol, multiplier, null);
    }
    if (refused.get() != null) {
      return fetch(publicSeed, symbol, multiplier, fallbackCover());
    }
    return fetch(signedSeed, symbol, multiplier, BookRules.SeedCover.FULL)
        .exceptionallyCompose(
            error -> {
              String refusal = KucoinRest.refusal(unwrap(error));
              if (refusal == null) {
                return CompletableFuture.failedFuture(error);
              }
              recordRefusal(symbol, refusal);
              return fetch(publicSeed, symbol, multiplier, fallbackCover());
            });
  }

  private CompletableFuture<BookStreams.Seed> fetch(
      URI seed, String symbol, ContractSize multiplier, BookRules.SeedCover cover) {
    URI uri = QueryString.of("symbol", symbol).appendTo(seed);
    return market
        .rest()
        .send(RestRequest.get(uri, spot ? 4 : 3).about(OrderBookDelta.TABLE, symbol))
        .thenApply(
            response ->
                new BookStreams.Seed(
                    KucoinRest.book(market.market(), symbol, response.body(), multiplier),
                    response.receivedMicros(),
                    cover));
  }

  /** The public seed's cover once the signed one was refused, the refusal named in each resync. */
  private BookRules.SeedCover fallbackCover() {
    BookRules.SeedCover cover = KucoinBooks.cover(publicSeed);
    return new BookRules.SeedCover(
        cover.depth(),
        cover.note() + " (KuCoin refused the signed full-depth seed: " + refused.get() + ")");
  }

  /** The first refusal of the market is a warning and one rejected_message row; later ones none. */
  private void recordRefusal(String symbol, String refusal) {
    if (!refused.compareAndSet(null, refusal)) {
      return;
    }
    String detail =
        "KuCoin refused the signed full-depth book request ("
            + refusal
            + "): expected source."
            + KucoinVenue.NAME
            + ".spot.credentials to hold the key, secret and passphrase of one KuCoin API key"
            + " (version 2); seeding every book from the public "
            + publicSeed.getPath()
            + " instead, exact near the top only";
    LOG.warn("{}: {}", market.name(), detail);
    market.rejected().incrementAndGet();
    market
        .polls()
        .emit(
            List.of(
                market
                    .events(OrderBookDelta.TABLE)
                    .rejected(symbol, detail, null, market.nowMicros())));
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  @Override
  public long retryFloorMillis(Throwable cause) {
    return cause instanceof RestException rest && rest.rateLimited()
        ? market.rest().delayFor(1)
        : 0;
  }
}
