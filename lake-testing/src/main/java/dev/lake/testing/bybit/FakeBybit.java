package dev.lake.testing.bybit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lake.core.model.MarketType;
import dev.lake.testing.venue.Answer;
import dev.lake.testing.venue.FakeExchangeServer;
import dev.lake.testing.venue.Request;
import dev.lake.testing.venue.WebSocketConnection;
import dev.lake.testing.venue.WebSocketSession;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fake Bybit v5 in the test JVM: spot and linear public market data over plain HTTP and {@code
 * ws://} on one loopback port, following Bybit's docs (exchanges.md section 2): REST {@code
 * /v5/market/orderbook}, {@code instruments-info} (linear paged by {@code nextPageCursor}), {@code
 * tickers} and {@code open-interest}, every answer HTTP 200 with {@code retCode} (10006 for a rate
 * limit, with {@code X-Bapi-Limit-Reset-Timestamp}); WebSocket {@code /v5/public/spot} and {@code
 * /v5/public/linear} with {@code subscribe}/{@code unsubscribe} and their acknowledgements (spot
 * refuses a request of more than 10 topics, whole), {@code ping}/pong, the book snapshot after each
 * subscribe then deltas with {@code u} one more each, trades, liquidations and tickers (snapshot,
 * then deltas of changed fields only). A book holds at most the subscribed depth's levels, so
 * Bybit's deletes of levels leaving the depth never arise. It runs on the shared {@link
 * FakeExchangeServer}; nothing here uses lake's production code.
 *
 * <p>Thread-safe: publishing and subscribing are serialised, so each connection gets a book's
 * snapshot and its deltas in order.
 */
public final class FakeBybit implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REST = "/v5/market/";

  private final FakeExchangeServer server;
  private final Map<MarketType, Map<String, Listing>> listings = new ConcurrentHashMap<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> rateLimited = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private final AtomicInteger pings = new AtomicInteger();
  private volatile int instrumentsPageSize = 1000;
  private long nextTradeId = 1000;

  /** One symbol of one market. */
  private static final class Listing {
    final MarketType market;
    final String symbol;
    final String base;
    final String quote;
    final BybitBook book;
    String openInterest = "1000";
    String fundingRate = "0.0001";
    long nextFundingTime = 1_767_225_600_000L;
    final Set<Long> delivered = ConcurrentHashMap.newKeySet();

    Listing(MarketType market, String symbol, String base, String quote, BybitBook book) {
      this.market = market;
      this.symbol = symbol;
      this.base = base;
      this.quote = quote;
      this.book = book;
    }
  }

  private FakeBybit(FakeExchangeServer.Builder builder) {
    for (MarketType market : MarketType.values()) {
      listings.put(market, new LinkedHashMap<>());
    }
    builder
        .route("GET", REST + "orderbook", this::orderbook)
        .route("GET", REST + "instruments-info", this::instruments)
        .route("GET", REST + "tickers", this::tickers)
        .route("GET", REST + "open-interest", this::openInterest)
        .fallback(request -> Answer.json(404, "{\"retCode\":404,\"retMsg\":\"Not Found\"}"))
        .failures(
            (request, status, retryAfter) ->
                Answer.json(status, "{\"retCode\":" + status + ",\"retMsg\":\"scripted\"}"))
        .webSocket("spot", upgrade -> session(upgrade, "/v5/public/spot", MarketType.SPOT))
        .webSocket("linear", upgrade -> session(upgrade, "/v5/public/linear", MarketType.FUTURE));
    this.server = builder.start();
  }

  /** Starts a server on 127.0.0.1 and an ephemeral port. Bybit does not ping: clients do. */
  public static FakeBybit start() {
    return new FakeBybit(FakeExchangeServer.builder("Bybit"));
  }

  public String httpBase() {
    return server.httpBase();
  }

  public String wsBase() {
    return server.wsBase();
  }

  /** The stream URL of a market: {@code ws://127.0.0.1:<port>/v5/public/spot} or {@code linear}. */
  public String streamUrl(MarketType market) {
    return wsBase() + "/v5/public/" + (market == MarketType.SPOT ? "spot" : "linear");
  }

  /**
   * Lists a symbol with a book of {@code levelsPerSide} levels a side around 60000 (base BTC) or
   * 3000, tick 0.1, first {@code u} 1000.
   */
  public void addSymbol(
      MarketType market, String symbol, String base, String quote, int levelsPerSide) {
    BigDecimal mid = new BigDecimal("BTC".equals(base) ? "60000" : "3000");
    synchronized (lock) {
      listings
          .get(market)
          .put(
              symbol,
              new Listing(
                  market,
                  symbol,
                  base,
                  quote,
                  new BybitBook(symbol.hashCode() + market.ordinal(), mid, levelsPerSide, 1000)));
    }
  }

  /** The server's book of a symbol. */
  public BybitBook book(MarketType market, String symbol) {
    return listing(market, symbol).book;
  }

  /** Linear instruments-info answers at most this many per page (default Bybit's 1000). */
  public void instrumentsPageSize(int size) {
    instrumentsPageSize = size;
  }

  /** Changes levels of a book and sends the delta ({@code u} + 1); returns its {@code u}. */
  public long publishDepth(MarketType market, String symbol, int changes) {
    Listing listing = listing(market, symbol);
    synchronized (lock) {
      String data = listing.book.nextDelta(symbol, changes);
      publishBook(listing, "delta", depth -> data);
      return listing.book.lastUpdateId();
    }
  }

  /** Like {@link #publishDepth} but nothing is sent: subscribers see a gap in {@code u}. */
  public long dropNextDepth(MarketType market, String symbol, int changes) {
    Listing listing = listing(market, symbol);
    synchronized (lock) {
      listing.book.nextDelta(symbol, changes);
      return listing.book.lastUpdateId();
    }
  }

  /** Sends the book again as a snapshot mid-stream, at its current {@code u}, as Bybit may. */
  public void publishSnapshot(MarketType market, String symbol) {
    Listing listing = listing(market, symbol);
    synchronized (lock) {
      publishBook(listing, "snapshot", depth -> listing.book.snapshotData(symbol, depth));
    }
  }

  /**
   * Bybit's service restart: the book's ids start over and the whole book comes as a {@code delta}
   * with {@code u = 1}, which the docs say to treat as a snapshot.
   */
  public void restart(MarketType market, String symbol) {
    Listing listing = listing(market, symbol);
    synchronized (lock) {
      String data = listing.book.restart(symbol);
      publishBook(listing, "delta", depth -> data);
    }
  }

  private void publishBook(
      Listing listing, String type, java.util.function.IntFunction<String> data) {
    long ts = System.currentTimeMillis();
    boolean delivered = false;
    for (Session session : sessions) {
      for (String topic : session.topics) {
        int depth = bookDepth(topic, listing);
        if (depth > 0 && session.market == listing.market && session.connection.isOpen()) {
          session.connection.send(bookMessage(topic, type, data.apply(depth), ts));
          delivered = true;
        }
      }
    }
    if (delivered && "delta".equals(type)) {
      listing.delivered.add(listing.book.lastUpdateId());
    }
  }

  /**
   * The {@code u} of every delta of a book sent to at least one subscribed connection (those
   * published while nobody was subscribed, e.g. during a resubscribe, are not).
   */
  public Set<Long> deliveredDeltas(MarketType market, String symbol) {
    return Set.copyOf(listing(market, symbol).delivered);
  }

  private static String bookMessage(String topic, String type, String data, long ts) {
    return "{\"topic\":\""
        + topic
        + "\",\"type\":\""
        + type
        + "\",\"ts\":"
        + ts
        + ",\"data\":"
        + data
        + ",\"cts\":"
        + (ts - 2)
        + "}";
  }

  /** The depth of a book topic of the listing, or 0 when the topic is another. */
  private static int bookDepth(String topic, Listing listing) {
    if (!topic.startsWith("orderbook.") || !topic.endsWith("." + listing.symbol)) {
      return 0;
    }
    String depth =
        topic.substring("orderbook.".length(), topic.length() - listing.symbol.length() - 1);
    return Integer.parseInt(depth);
  }

  /**
   * Sends a trade on {@code publicTrade.{symbol}}; returns its id {@code i}.
   *
   * @param takerSide {@code Buy} or {@code Sell}
   */
  public String publishTrade(
      MarketType market, String symbol, String takerSide, String price, String size, long timeMs) {
    Listing listing = listing(market, symbol);
    synchronized (lock) {
      String id =
          market == MarketType.SPOT
              ? Long.toString(++nextTradeId)
              : "a1b2c3d4-0000-5000-8000-" + String.format("%012d", ++nextTradeId);
      String entry =
          "{\"T\":"
              + timeMs
              + ",\"s\":\""
              + symbol
              + "\",\"S\":\""
              + takerSide
              + "\",\"v\":\""
              + size
              + "\",\"p\":\""
              + price
              + "\",\"L\":\"PlusTick\",\"i\":\""
              + id
              + "\",\"BT\":false}";
      send(listing.market, "publicTrade." + symbol, "snapshot", "[" + entry + "]", null);
      return id;
    }
  }

  /**
   * Sends a liquidation on {@code allLiquidation.{symbol}} (linear).
   *
   * @param positionSide Bybit's {@code S}: the liquidated position's side, {@code Buy} for a long
   */
  public void publishLiquidation(
      String symbol, String positionSide, String price, String size, long timeMs) {
    listing(MarketType.FUTURE, symbol);
    String entry =
        "{\"T\":"
            + timeMs
            + ",\"s\":\""
            + symbol
            + "\",\"S\":\""
            + positionSide
            + "\",\"v\":\""
            + size
            + "\",\"p\":\""
            + price
            + "\"}";
    synchronized (lock) {
      send(MarketType.FUTURE, "allLiquidation." + symbol, "snapshot", "[" + entry + "]", null);
    }
  }

  /** Sets the ticker fields REST and a new subscription's snapshot report. */
  public void setTicker(
      String symbol, String openInterest, String fundingRate, long nextFundingTimeMs) {
    Listing listing = listing(MarketType.FUTURE, symbol);
    synchronized (lock) {
      listing.openInterest = openInterest;
      listing.fundingRate = fundingRate;
      listing.nextFundingTime = nextFundingTimeMs;
    }
  }

  /**
   * Sends a {@code tickers} delta carrying only the given fields (e.g. {@code openInterest}), and
   * keeps them for later snapshots.
   */
  public void publishTickerDelta(String symbol, Map<String, String> fields) {
    Listing listing = listing(MarketType.FUTURE, symbol);
    synchronized (lock) {
      StringBuilder data = new StringBuilder("{\"symbol\":\"" + symbol + "\"");
      fields.forEach(
          (name, value) -> {
            data.append(",\"").append(name).append("\":\"").append(value).append('"');
            switch (name) {
              case "openInterest" -> listing.openInterest = value;
              case "fundingRate" -> listing.fundingRate = value;
              case "nextFundingTime" -> listing.nextFundingTime = Long.parseLong(value);
              default -> {}
            }
          });
      send(MarketType.FUTURE, "tickers." + symbol, "delta", data.append('}').toString(), 1L);
    }
  }

  private String tickerData(Listing listing) {
    return "{\"symbol\":\""
        + listing.symbol
        + "\",\"lastPrice\":\"60000.0\",\"markPrice\":\"60000.5\",\"indexPrice\":\"60001.0\","
        + "\"openInterest\":\""
        + listing.openInterest
        + "\",\"openInterestValue\":\"1\",\"fundingRate\":\""
        + listing.fundingRate
        + "\",\"nextFundingTime\":\""
        + listing.nextFundingTime
        + "\",\"bid1Price\":\"59999.9\",\"bid1Size\":\"1\"}";
  }

  private void send(MarketType market, String topic, String type, String data, Long cs) {
    String text =
        "{\"topic\":\""
            + topic
            + "\",\"type\":\""
            + type
            + "\",\"ts\":"
            + System.currentTimeMillis()
            + ",\"data\":"
            + data
            + (cs == null ? "" : ",\"cs\":" + System.nanoTime())
            + "}";
    for (Session session : sessions) {
      if (session.market == market && session.topics.contains(topic)) {
        session.connection.send(text);
      }
    }
  }

  /** Sends a text frame verbatim to every open connection of a market. */
  public void sendRaw(MarketType market, String text) {
    synchronized (lock) {
      forEach(market, connection -> connection.send(text));
    }
  }

  /** Closes every connection of a market abruptly (no close frame). */
  public void disconnectAll(MarketType market) {
    synchronized (lock) {
      forEach(market, WebSocketConnection::disconnect);
    }
  }

  /** On every open connection of a market, sends half of each of the next messages. */
  public void garbleNext(MarketType market, int count) {
    synchronized (lock) {
      forEach(market, connection -> connection.garbleNext(count));
    }
  }

  private void forEach(MarketType market, Consumer<WebSocketConnection> action) {
    for (Session session : sessions) {
      if (session.market == market && session.connection.isOpen()) {
        action.accept(session.connection);
      }
    }
  }

  /**
   * Answers the next {@code count} requests to a path ({@code /v5/market/...}) with HTTP 200 and
   * {@code retCode} 10006 ("Too many visits!"), resetting 500 ms later.
   */
  public void rateLimitNext(String path, int count) {
    rateLimited.computeIfAbsent(path, p -> new AtomicInteger()).set(count);
  }

  /** Answers the next {@code count} requests to a path with an HTTP error status. */
  public void failNextRequests(String path, int count, int status) {
    server.failNext(path, count, status, null);
  }

  /** REST requests received for a path. */
  public List<Request> requests(String path) {
    return server.requests(path);
  }

  /** Topics subscribed on the open connections of a market. */
  public Set<String> subscriptions(MarketType market) {
    Set<String> topics = ConcurrentHashMap.newKeySet();
    for (Session session : sessions) {
      if (session.market == market && session.connection.isOpen()) {
        topics.addAll(session.topics);
      }
    }
    return topics;
  }

  /** Open connections of a market. */
  public int openConnections(MarketType market) {
    return (int) sessions.stream().filter(s -> s.market == market && s.connection.isOpen()).count();
  }

  /** Connections ever opened on a market's stream endpoint (reconnections included). */
  public int connectionsOpened(MarketType market) {
    return opened.get(market).get();
  }

  private final Map<MarketType, AtomicInteger> opened =
      Map.of(MarketType.SPOT, new AtomicInteger(), MarketType.FUTURE, new AtomicInteger());

  /** {@code {"op":"ping"}} requests received from clients. */
  public int pingsReceived() {
    return pings.get();
  }

  /** Subscribe requests refused (e.g. more than 10 topics in one spot request). */
  public int refusedRequests() {
    return sessions.stream().mapToInt(s -> s.refused).sum() + closedRefused.get();
  }

  private final AtomicInteger closedRefused = new AtomicInteger();

  /** Waits until an open connection of the market is subscribed to a topic. */
  public void awaitSubscribed(MarketType market, String topic, Duration timeout) {
    FakeExchangeServer.await(
        () -> subscriptions(market).contains(topic),
        timeout,
        "subscription to " + topic,
        () -> "subscribed: " + subscriptions(market));
  }

  @Override
  public void close() {
    server.close();
  }

  private Listing listing(MarketType market, String symbol) {
    Listing listing = listings.get(requireNonNull(market, "market is null")).get(symbol);
    if (listing == null) {
      throw new IllegalArgumentException(
          "Invalid symbol: " + symbol + " (not listed on " + market + ")");
    }
    return listing;
  }

  // ---- WebSocket sessions ----

  private Optional<WebSocketSession> session(Request upgrade, String path, MarketType market) {
    return upgrade.path().equals(path) ? Optional.of(new Session(market)) : Optional.empty();
  }

  /** One client connection: its topics and its requests. */
  private final class Session implements WebSocketSession {
    final MarketType market;
    final Set<String> topics = ConcurrentHashMap.newKeySet();
    WebSocketConnection connection;
    volatile int refused;

    Session(MarketType market) {
      this.market = market;
    }

    @Override
    public void opened(WebSocketConnection value) {
      connection = value;
      sessions.add(this);
      opened.get(market).incrementAndGet();
    }

    @Override
    public void closed(WebSocketConnection value) {
      sessions.remove(this);
      closedRefused.addAndGet(refused);
    }

    @Override
    public void received(WebSocketConnection value, String text) {
      JsonNode request;
      try {
        request = JSON.readTree(text);
      } catch (IOException e) {
        value.send(reply(false, "Invalid request: not JSON", "", ""));
        return;
      }
      String op = request.path("op").asText();
      String reqId = request.path("req_id").asText("");
      switch (op) {
        case "ping" -> {
          pings.incrementAndGet();
          value.send(
              "{\"success\":true,\"ret_msg\":\"pong\",\"conn_id\":\""
                  + connId()
                  + "\""
                  + (market == MarketType.SPOT ? "" : ",\"req_id\":\"" + reqId + "\"")
                  + ",\"op\":\"ping\"}");
        }
        case "subscribe" -> subscribe(request.path("args"), reqId);
        case "unsubscribe" -> {
          synchronized (lock) {
            request.path("args").forEach(arg -> topics.remove(arg.asText()));
          }
          value.send(reply(true, market == MarketType.SPOT ? "unsubscribe" : "", reqId, op));
        }
        default -> value.send(reply(false, "Invalid op: " + op, reqId, op));
      }
    }

    private void subscribe(JsonNode args, String reqId) {
      if (market == MarketType.SPOT && args.size() > 10) {
        refused++;
        connection.send(reply(false, "args size >10", reqId, "subscribe"));
        return;
      }
      synchronized (lock) {
        for (JsonNode arg : args) {
          if (!known(arg.asText())) {
            refused++;
            connection.send(
                reply(false, "error:handler not found,topic:" + arg.asText(), reqId, "subscribe"));
            return;
          }
        }
        connection.send(
            reply(true, market == MarketType.SPOT ? "subscribe" : "", reqId, "subscribe"));
        for (JsonNode arg : args) {
          String topic = arg.asText();
          topics.add(topic);
          firstMessage(topic);
        }
      }
    }

    private boolean known(String topic) {
      String symbol = topic.substring(topic.lastIndexOf('.') + 1);
      if (!listings.get(market).containsKey(symbol)) {
        return false;
      }
      if (topic.startsWith("orderbook.")) {
        String depth = topic.substring(10, topic.lastIndexOf('.'));
        return List.of("1", "50", "200", "1000").contains(depth);
      }
      return topic.startsWith("publicTrade.")
          || market == MarketType.FUTURE
              && (topic.startsWith("allLiquidation.") || topic.startsWith("tickers."));
    }

    /** What Bybit pushes right after a subscribe: a book's or a ticker's snapshot. */
    private void firstMessage(String topic) {
      Listing listing = listings.get(market).get(topic.substring(topic.lastIndexOf('.') + 1));
      int depth = bookDepth(topic, listing);
      if (depth > 0) {
        connection.send(
            bookMessage(
                topic,
                "snapshot",
                listing.book.snapshotData(listing.symbol, depth),
                System.currentTimeMillis()));
      } else if (topic.startsWith("tickers.")) {
        connection.send(
            "{\"topic\":\""
                + topic
                + "\",\"type\":\"snapshot\",\"data\":"
                + tickerData(listing)
                + ",\"cs\":1,\"ts\":"
                + System.currentTimeMillis()
                + "}");
      }
    }

    private String connId() {
      return "fake-" + Integer.toHexString(System.identityHashCode(this));
    }

    private String reply(boolean success, String message, String reqId, String op) {
      return "{\"success\":"
          + success
          + ",\"ret_msg\":\""
          + message.replace("\"", "'")
          + "\",\"conn_id\":\""
          + connId()
          + "\",\"req_id\":\""
          + reqId
          + "\",\"op\":\""
          + op
          + "\"}";
    }
  }

  // ---- REST ----

  private static String ok(String result) {
    return "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":"
        + result
        + ",\"retExtInfo\":{},\"time\":"
        + System.currentTimeMillis()
        + "}";
  }

  private static Answer error(int code, String message) {
    return Answer.ok(
        "{\"retCode\":"
            + code
            + ",\"retMsg\":\""
            + message
            + "\",\"result\":{},\"retExtInfo\":{},\"time\":"
            + System.currentTimeMillis()
            + "}");
  }

  /** A rate-limit answer when one is scripted for the path, else null. */
  private Answer limited(Request request) {
    AtomicInteger left = rateLimited.get(request.path());
    if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return error(10006, "Too many visits!")
          .withHeader("X-Bapi-Limit", "600")
          .withHeader("X-Bapi-Limit-Status", "0")
          .withHeader("X-Bapi-Limit-Reset-Timestamp", System.currentTimeMillis() + 500);
    }
    return null;
  }

  private MarketType category(Request request) {
    return switch (request.parameter("category").orElse("")) {
      case "spot" -> MarketType.SPOT;
      case "linear" -> MarketType.FUTURE;
      default -> null;
    };
  }

  private Answer orderbook(Request request) {
    Answer limited = limited(request);
    if (limited != null) {
      return limited;
    }
    MarketType market = category(request);
    Listing listing =
        market == null ? null : listings.get(market).get(request.parameter("symbol").orElse(""));
    if (listing == null) {
      return error(10001, "params error: symbol invalid");
    }
    int limit =
        Integer.parseInt(request.parameter("limit").orElse(market == MarketType.SPOT ? "1" : "25"));
    synchronized (lock) {
      String data = listing.book.snapshotData(listing.symbol, limit);
      long ts = System.currentTimeMillis();
      return Answer.ok(
          ok(
              data.substring(0, data.length() - 1)
                  + ",\"ts\":"
                  + ts
                  + ",\"cts\":"
                  + (ts - 1)
                  + "}"));
    }
  }

  private Answer instruments(Request request) {
    Answer limited = limited(request);
    if (limited != null) {
      return limited;
    }
    MarketType market = category(request);
    if (market == null) {
      return error(10001, "params error: category invalid");
    }
    List<Listing> all;
    synchronized (lock) {
      all = new ArrayList<>(listings.get(market).values());
    }
    int from = Integer.parseInt(request.parameter("cursor").map(c -> c.substring(5)).orElse("0"));
    int size =
        market == MarketType.SPOT
            ? all.size()
            : Math.min(
                instrumentsPageSize, Integer.parseInt(request.parameter("limit").orElse("500")));
    int to = Math.min(all.size(), from + size);
    StringBuilder list = new StringBuilder();
    for (Listing listing : all.subList(from, to)) {
      list.append(list.length() == 0 ? "" : ",").append(instrument(listing));
    }
    String cursor = to < all.size() ? "page-" + to : "";
    return Answer.ok(
        ok(
            "{\"category\":\""
                + (market == MarketType.SPOT ? "spot" : "linear")
                + "\",\"list\":["
                + list
                + "],\"nextPageCursor\":\""
                + cursor
                + "\"}"));
  }

  private static String instrument(Listing listing) {
    if (listing.market == MarketType.SPOT) {
      return "{\"symbol\":\""
          + listing.symbol
          + "\",\"baseCoin\":\""
          + listing.base
          + "\",\"quoteCoin\":\""
          + listing.quote
          + "\",\"innovation\":\"0\",\"status\":\"Trading\","
          + "\"lotSizeFilter\":{\"basePrecision\":\"0.000001\",\"minOrderQty\":\"0.000048\"},"
          + "\"priceFilter\":{\"tickSize\":\"0.1\"}}";
    }
    return "{\"symbol\":\""
        + listing.symbol
        + "\",\"contractType\":\"LinearPerpetual\","
        + "\"status\":\"Trading\",\"baseCoin\":\""
        + listing.base
        + "\",\"quoteCoin\":\""
        + listing.quote
        + "\",\"settleCoin\":\""
        + listing.quote
        + "\",\"launchTime\":\"1585526400000\","
        + "\"deliveryTime\":\"0\",\"priceScale\":\"1\",\"priceFilter\":{\"minPrice\":\"0.1\","
        + "\"maxPrice\":\"1999999.8\",\"tickSize\":\"0.1\"},\"lotSizeFilter\":{\"qtyStep\":\"0.001\"},"
        + "\"fundingInterval\":480}";
  }

  private Answer tickers(Request request) {
    Answer limited = limited(request);
    if (limited != null) {
      return limited;
    }
    if (category(request) != MarketType.FUTURE) {
      return error(10001, "params error: category invalid");
    }
    StringBuilder list = new StringBuilder();
    synchronized (lock) {
      for (Listing listing : listings.get(MarketType.FUTURE).values()) {
        list.append(list.length() == 0 ? "" : ",").append(tickerData(listing));
      }
    }
    return Answer.ok(ok("{\"category\":\"linear\",\"list\":[" + list + "]}"));
  }

  private Answer openInterest(Request request) {
    Answer limited = limited(request);
    if (limited != null) {
      return limited;
    }
    Listing listing = listings.get(MarketType.FUTURE).get(request.parameter("symbol").orElse(""));
    if (category(request) != MarketType.FUTURE || listing == null) {
      return error(10001, "params error: symbol invalid");
    }
    long interval = System.currentTimeMillis() / 300_000 * 300_000;
    String openInterest;
    synchronized (lock) {
      openInterest = listing.openInterest;
    }
    return Answer.ok(
        ok(
            "{\"symbol\":\""
                + listing.symbol
                + "\",\"category\":\"linear\",\"list\":[{\"openInterest\":\""
                + openInterest
                + "\",\"timestamp\":\""
                + interval
                + "\"}],\"nextPageCursor\":\"\"}"));
  }
}
