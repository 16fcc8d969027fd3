package dev.lake.testing.binance;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.MarketType;
import dev.lake.testing.venue.FakeExchangeServer;
import dev.lake.testing.venue.Request;
import dev.lake.testing.venue.WebSocketConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fake Binance in the test JVM: spot and USD-M futures public market data over plain HTTP and
 * {@code ws://} on one loopback port, faithful to Binance's protocol (REST paths, bodies and error
 * codes, the {@code /ws}, {@code /stream}, {@code /public} and {@code /market} WebSocket routes,
 * subscription requests, diff-depth sequencing, pings). It keeps a real order book per symbol and
 * lets a test drop, repeat, garble, reorder or hold back messages, fail REST requests and cut
 * connections. It runs on the shared {@link FakeExchangeServer}; this class and its package hold
 * only Binance's wire format, endpoints and rules.
 *
 * <p>Thread-safe: every method may be called from any thread. Publishing methods are serialised, so
 * each connection receives events in the order they were published.
 */
public final class FakeBinance implements AutoCloseable {
  /** Binance spot's ping interval, the default here. */
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(20);

  private final FakeExchangeServer server;
  private final Listings listings;
  private final StreamHub hub;
  private final Object publishLock = new Object();

  private FakeBinance(FakeExchangeServer server, Listings listings, StreamHub hub) {
    this.server = server;
    this.listings = listings;
    this.hub = hub;
  }

  /** Starts a server on 127.0.0.1 and an ephemeral port, pinging every 20 s. */
  public static FakeBinance start() {
    return start(DEFAULT_PING_INTERVAL);
  }

  /** Starts a server on 127.0.0.1 and an ephemeral port, pinging each connection at an interval. */
  public static FakeBinance start(Duration pingInterval) {
    requireNonNull(pingInterval, "pingInterval is null");
    Listings listings = new Listings();
    StreamHub hub = new StreamHub();
    FakeExchangeServer.Builder builder =
        FakeExchangeServer.builder("Binance").pingEvery(pingInterval);
    new RestApi(listings).addTo(builder);
    hub.addTo(builder);
    FakeExchangeServer server = builder.start();
    hub.serve(server);
    return new FakeBinance(server, listings, hub);
  }

  /** The port the server listens on. */
  public int port() {
    return server.port();
  }

  /** The REST base URL, {@code http://127.0.0.1:<port>}; append {@code /api/v3/...}. */
  public String httpBase() {
    return server.httpBase();
  }

  /** The WebSocket base URL, {@code ws://127.0.0.1:<port>}; append {@code /ws}, etc. */
  public String wsBase() {
    return server.wsBase();
  }

  /**
   * Lists a symbol on a market (shown by exchangeInfo) with a book of {@code levelsPerSide} seeded
   * random levels each side around 60000 (base BTC) or 3000, tick 0.01.
   *
   * @throws IllegalArgumentException when the symbol is listed on that market already or the level
   *     count is below 1
   */
  public void addSymbol(
      MarketType market, String symbol, String baseAsset, String quoteAsset, int levelsPerSide) {
    requireNonNull(market, "market is null");
    requireNonNull(symbol, "symbol is null");
    requireNonNull(baseAsset, "baseAsset is null");
    requireNonNull(quoteAsset, "quoteAsset is null");
    if (levelsPerSide < 1) {
      throw new IllegalArgumentException("Invalid levels per side: " + levelsPerSide);
    }
    listings.add(Listing.create(market, symbol, baseAsset, quoteAsset, levelsPerSide));
  }

  /**
   * The server's book of a symbol.
   *
   * @throws IllegalArgumentException when the symbol is not listed on that market
   */
  public FakeBook book(MarketType market, String symbol) {
    return listings.get(market, symbol).book();
  }

  /**
   * Changes {@code changes} random levels of the book (removals, new levels, new sizes), advances
   * the update ids and sends the event to every connection subscribed to the symbol's depth.
   *
   * @return the event sent
   * @throws IllegalArgumentException when the symbol is not listed on that market or {@code
   *     changes} is negative
   */
  public DepthEvent publishDepth(MarketType market, String symbol, int changes) {
    checkChanges(changes);
    Listing listing = listings.get(market, symbol);
    synchronized (publishLock) {
      DepthEvent event = listing.depth.next(changes, System.currentTimeMillis());
      send(listing, event);
      return event;
    }
  }

  /**
   * Like {@link #publishDepth} but the event is not sent: the book and ids move on and clients see
   * a gap in the sequence.
   *
   * @return the event that was not sent
   */
  public DepthEvent dropNextDepth(MarketType market, String symbol, int changes) {
    checkChanges(changes);
    Listing listing = listings.get(market, symbol);
    synchronized (publishLock) {
      return listing.depth.next(changes, System.currentTimeMillis());
    }
  }

  /**
   * Sends the last event sent for the symbol once more (a duplicate).
   *
   * @throws IllegalStateException when no event was sent yet
   */
  public void resendLastDepth(MarketType market, String symbol) {
    Listing listing = listings.get(market, symbol);
    synchronized (publishLock) {
      if (listing.lastSent == null) {
        throw new IllegalStateException(
            "Cannot resend depth of " + symbol + " on " + market + ": none was sent yet");
      }
      send(listing, listing.lastSent);
    }
  }

  /**
   * Sends a text frame verbatim (e.g. malformed JSON) to every open connection of a route: {@code
   * ws} for spot (all spot connections), {@code public} or {@code market} for futures.
   *
   * @throws IllegalArgumentException for a route the market does not have
   */
  public void sendRaw(MarketType market, String route, String text) {
    StreamRoute streamRoute = StreamRoute.of(requireNonNull(market, "market is null"), route);
    requireNonNull(text, "text is null");
    synchronized (publishLock) {
      hub.sendRaw(streamRoute, text);
    }
  }

  /**
   * Sends a futures liquidation ({@code forceOrder}, filled in full) to subscribers of {@code
   * <symbol>@forceOrder} and {@code !forceOrder@arr} on the {@code /market} route.
   *
   * @param side the order side, {@code BUY} or {@code SELL} (SELL: a long was liquidated)
   * @throws IllegalArgumentException when the symbol is not listed on futures or the side is wrong
   */
  public void publishForceOrder(
      String symbol, String side, String price, String quantity, long tradeTimeMs) {
    Listing listing = listings.get(MarketType.FUTURE, symbol);
    if (!"BUY".equals(side) && !"SELL".equals(side)) {
      throw new IllegalArgumentException("Invalid side: " + side + " (expected BUY or SELL)");
    }
    requireNonNull(price, "price is null");
    requireNonNull(quantity, "quantity is null");
    String payload =
        StreamMessages.forceOrder(
            listing.symbol, side, price, quantity, tradeTimeMs, System.currentTimeMillis());
    synchronized (publishLock) {
      hub.forceOrder(listing.symbol, payload);
    }
  }

  /**
   * Sends the symbol's next trade to subscribers of {@code <symbol>@trade} (spot, and USD-M's
   * {@code /public} route). Trade ids count from 1 per symbol and market, one per trade.
   *
   * @param buyerIsMaker Binance's {@code m}: true when the buyer was the maker, so the taker sold
   * @return the trade's id ({@code t})
   * @throws IllegalArgumentException when the symbol is not listed on that market
   */
  public long publishTrade(
      MarketType market,
      String symbol,
      String price,
      String quantity,
      long tradeTimeMs,
      boolean buyerIsMaker) {
    Listing listing = listings.get(requireNonNull(market, "market is null"), symbol);
    requireNonNull(price, "price is null");
    requireNonNull(quantity, "quantity is null");
    synchronized (publishLock) {
      long id = ++listing.lastTradeId;
      hub.trade(
          market,
          listing.symbol,
          StreamMessages.trade(
              listing.symbol,
              id,
              price,
              quantity,
              tradeTimeMs,
              buyerIsMaker,
              System.currentTimeMillis()));
      return id;
    }
  }

  /**
   * Takes the symbol's next trade id without sending the trade: clients see a gap in the ids.
   *
   * @return the id not sent
   */
  public long dropNextTrade(MarketType market, String symbol) {
    Listing listing = listings.get(requireNonNull(market, "market is null"), symbol);
    synchronized (publishLock) {
      return ++listing.lastTradeId;
    }
  }

  /** Sets the open interest {@code GET /fapi/v1/openInterest} reports, e.g. {@code "83782.317"}. */
  public void setOpenInterest(String symbol, String openInterest) {
    listings.get(MarketType.FUTURE, symbol).openInterest =
        requireNonNull(openInterest, "openInterest is null");
  }

  /** Sets the funding rate and next funding time {@code GET /fapi/v1/premiumIndex} reports. */
  public void setPremiumIndex(String symbol, String lastFundingRate, long nextFundingTimeMs) {
    requireNonNull(lastFundingRate, "lastFundingRate is null");
    listings.get(MarketType.FUTURE, symbol).funding =
        new Listing.Funding(lastFundingRate, nextFundingTimeMs);
  }

  /** Closes every WebSocket connection of a market abruptly: TCP close, no close frame. */
  public void disconnectAll(MarketType market) {
    requireNonNull(market, "market is null");
    synchronized (publishLock) {
      hub.forEach(market, WebSocketConnection::disconnect);
    }
  }

  /**
   * On every open connection of a market, sends the next message after the one that follows it: the
   * two arrive swapped (e.g. two depth events out of order).
   */
  public void reorderNext(MarketType market) {
    requireNonNull(market, "market is null");
    synchronized (publishLock) {
      hub.forEach(market, WebSocketConnection::reorderNext);
    }
  }

  /**
   * On every open connection of a market, sends only the first half of each of the next {@code
   * count} messages: invalid JSON.
   *
   * @throws IllegalArgumentException when the count is below 1
   */
  public void garbleNext(MarketType market, int count) {
    requireNonNull(market, "market is null");
    synchronized (publishLock) {
      hub.forEach(market, connection -> connection.garbleNext(count));
    }
  }

  /**
   * Sends nothing on the open connections of a market for a while, keeping them open: messages
   * published meanwhile are held and arrive in order when the stall ends; no pings are sent and
   * client pings are not answered.
   *
   * @throws IllegalArgumentException when the duration is not positive
   */
  public void stallStreams(MarketType market, Duration duration) {
    requireNonNull(market, "market is null");
    synchronized (publishLock) {
      hub.forEach(market, connection -> connection.stall(duration));
    }
  }

  /** Like {@link #stallStreams(MarketType, Duration)}, on the connections of every market. */
  public void stallStreams(Duration duration) {
    for (MarketType market : MarketType.values()) {
      stallStreams(market, duration);
    }
  }

  /**
   * Makes the next {@code count} REST requests to a path (e.g. {@code /api/v3/depth}) answer {@code
   * status} with a Binance error body, and a {@code Retry-After} header when given.
   *
   * @param status e.g. 429 (rate limit, code -1003) or 418 (IP ban, code -1003)
   * @param retryAfterSeconds the {@code Retry-After} value, or null for none
   */
  public void failNextRequests(String path, int count, int status, Integer retryAfterSeconds) {
    requireNonNull(path, "path is null");
    server.failNext(path, count, status, retryAfterSeconds);
  }

  /** The number of open WebSocket connections of a market. */
  public int openConnections(MarketType market) {
    return hub.openConnections(requireNonNull(market, "market is null"));
  }

  /** The streams subscribed over all open connections of a market, e.g. btcusdt@depth@100ms. */
  public Set<String> subscriptions(MarketType market) {
    return Set.copyOf(hub.subscriptions(requireNonNull(market, "market is null")));
  }

  /** The number of REST requests received for a path (failed ones included). */
  public int restRequests(String path) {
    return server.requests(requireNonNull(path, "path is null")).size();
  }

  /**
   * The query parameters of every REST request received for a path (failed ones included), in
   * arrival order: one map per request from each decoded parameter name to its decoded values, in
   * the order they were sent, so a parameter sent twice shows two values.
   */
  public List<Map<String, List<String>>> restQueries(String path) {
    return server.requests(requireNonNull(path, "path is null")).stream()
        .map(Request::query)
        .toList();
  }

  /** The number of pong frames received from clients of a market (answers to the server pings). */
  public int pongsReceived(MarketType market) {
    return hub.pongs(requireNonNull(market, "market is null"));
  }

  /**
   * Waits until an open connection of the market is subscribed to the stream.
   *
   * @throws IllegalStateException when none is within the timeout
   */
  public void awaitSubscribed(MarketType market, String stream, Duration timeout) {
    requireNonNull(market, "market is null");
    requireNonNull(stream, "stream is null");
    FakeExchangeServer.await(
        () -> hub.subscribed(market, stream),
        timeout,
        "subscription to " + stream + " on " + market,
        () -> "connections: " + hub.describe());
  }

  /** Closes every connection and stops the server; further calls do nothing. */
  @Override
  public void close() {
    server.close();
  }

  private void send(Listing listing, DepthEvent event) {
    hub.depth(listing.market, listing.symbol, event.json());
    listing.lastSent = event;
  }

  private static void checkChanges(int changes) {
    if (changes < 0) {
      throw new IllegalArgumentException("Invalid number of changes: " + changes);
    }
  }
}
