package dev.lake.testing.kraken;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lake.testing.venue.Answer;
import dev.lake.testing.venue.FakeExchangeServer;
import dev.lake.testing.venue.Request;
import dev.lake.testing.venue.RestRoute;
import dev.lake.testing.venue.WebSocketConnection;
import dev.lake.testing.venue.WebSocketSession;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Kraken in the test JVM, on the shared {@link FakeExchangeServer}, following Kraken's
 * public docs. Spot: WebSocket v2 {@code /v2} ({@code status} greeting, {@code subscribe} and
 * {@code unsubscribe} with their acknowledgements and errors, {@code ping}/{@code pong}, {@code
 * heartbeat}, {@code book} at the subscribed depth with JSON-number prices and quantities carrying
 * trailing zeros, no delete for levels pushed out of the depth, and CRC32 checksums computed here;
 * {@code trade} with sequential {@code trade_id}s) and REST {@code /0/public/AssetPairs} and {@code
 * /0/public/Depth} with Kraken's {@code {"error":[..],"result":{..}}} bodies and legacy pair names.
 * Kraken Futures: WebSocket {@code /ws/v1} ({@code info} greeting, {@code subscribed}, {@code
 * book_snapshot} then single-level {@code book} deltas with {@code seq} + 1 per product, {@code
 * trade} with fills and liquidations, {@code ticker}) and REST {@code
 * /derivatives/api/v3/instruments} and {@code orderbook} with {@code {"result":"success",..}}
 * bodies; rate limits answer {@code EAPI:Rate limit exceeded} and {@code apiLimitExceeded}.
 * Thread-safe; publishing is serialised so each connection gets messages in the order published.
 */
public final class FakeKraken implements AutoCloseable {
  public static final String SPOT_WS = "/v2";
  public static final String FUTURES_WS = "/ws/v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Pair(String symbol, String restName, String wsname, KrakenBook book) {}

  private record Product(String symbol, String type, KrakenBook book, long[] seq) {}

  private final FakeExchangeServer server;
  private final Map<String, Pair> pairs = new ConcurrentHashMap<>();
  private final Map<String, Product> products = new ConcurrentHashMap<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final Map<String, Long> tradeIds = new ConcurrentHashMap<>();
  private final AtomicInteger rateLimited = new AtomicInteger();
  private final Map<String, Integer> rateLimitedPaths = new ConcurrentHashMap<>();
  private final Object publishLock = new Object();
  private volatile boolean badChecksumNext;

  private FakeKraken(FakeExchangeServer.Builder builder) {
    builder.route("GET", "/0/public/AssetPairs", limited(this::assetPairs, false));
    builder.route("GET", "/0/public/Depth", limited(this::depth, false));
    builder.route("GET", "/derivatives/api/v3/instruments", limited(this::instruments, true));
    builder.route("GET", "/derivatives/api/v3/orderbook", limited(this::orderbook, true));
    builder.failures(
        (request, status, retryAfter) ->
            request.path().startsWith("/derivatives")
                ? Answer.json(
                    status, futuresError(status == 429 ? "apiLimitExceeded" : "unavailable"))
                : Answer.json(
                    status,
                    spotError(
                        status == 429 ? "EAPI:Rate limit exceeded" : "EService:Unavailable")));
    builder.fallback(request -> Answer.json(404, spotError("EGeneral:Unknown method")));
    builder.webSocket(
        "spot",
        upgrade ->
            upgrade.path().equals(SPOT_WS)
                ? Optional.<WebSocketSession>of(new Session(false))
                : Optional.empty());
    builder.webSocket(
        "futures",
        upgrade ->
            upgrade.path().equals(FUTURES_WS)
                ? Optional.<WebSocketSession>of(new Session(true))
                : Optional.empty());
    this.server = builder.start();
  }

  /** Starts the fake on 127.0.0.1 and an ephemeral port. */
  public static FakeKraken start() {
    return new FakeKraken(FakeExchangeServer.builder("Kraken").pingEvery(Duration.ofHours(1)));
  }

  public String httpBase() {
    return server.httpBase();
  }

  public String spotUrl() {
    return server.wsBase() + SPOT_WS;
  }

  public String futuresUrl() {
    return server.wsBase() + FUTURES_WS;
  }

  /**
   * Lists a spot pair: its v2 symbol ({@code BTC/USD}), REST name ({@code XXBTZUSD}) and v1 {@code
   * wsname} ({@code XBT/USD}), with a book of {@code levels} levels each side.
   */
  public void addPair(String symbol, String restName, String wsname, int levels) {
    KrakenBook book =
        new KrakenBook(
            symbol.hashCode(), new BigDecimal("60000.0"), new BigDecimal("0.1"), false, levels);
    pairs.put(symbol, new Pair(symbol, restName, wsname, book));
  }

  /** Lists a futures product ({@code PF_XBTUSD}: flexible_futures, PI_: futures_inverse). */
  public void addProduct(String symbol, int levels) {
    KrakenBook book =
        new KrakenBook(
            symbol.hashCode(), new BigDecimal("3000.0"), new BigDecimal("0.5"), true, levels);
    String type =
        symbol.startsWith("PI_") || symbol.startsWith("FI_")
            ? "futures_inverse"
            : "flexible_futures";
    products.put(
        symbol,
        new Product(symbol, type, book, new long[] {1000 + Math.abs(symbol.hashCode() % 1000)}));
  }

  /** The fake's whole book of a spot pair or futures product. */
  public KrakenBook book(String symbol) {
    Pair pair = pairs.get(symbol);
    if (pair != null) {
      return pair.book;
    }
    return product(symbol).book;
  }

  /** A futures product's last {@code seq}. */
  public long seq(String symbol) {
    return product(symbol).seq[0];
  }

  private Product product(String symbol) {
    Product product = products.get(symbol);
    if (product == null) {
      throw new IllegalArgumentException("Invalid symbol: " + symbol + " (not listed)");
    }
    return product;
  }

  private Pair pair(String symbol) {
    Pair pair = pairs.get(symbol);
    if (pair == null) {
      throw new IllegalArgumentException("Invalid pair: " + symbol + " (not listed)");
    }
    return pair;
  }

  /** The next spot book update carries a wrong checksum. */
  public void badChecksumNext() {
    badChecksumNext = true;
  }

  /** The next {@code count} REST requests answer Kraken's rate limit (HTTP 200). */
  public void rateLimitNext(int count) {
    rateLimited.set(count);
  }

  /** The next {@code count} REST requests of a path answer Kraken's rate limit (HTTP 200). */
  public void rateLimitNext(String path, int count) {
    rateLimitedPaths.put(path, count);
  }

  /**
   * Changes random levels of a spot pair and sends each subscriber its update at its depth.
   *
   * @return how many updates were sent (none to a subscriber whose top did not change)
   */
  public int publishSpotBook(String symbol, int changes) {
    synchronized (publishLock) {
      Pair pair = pair(symbol);
      Map<Session, List<List<KrakenBook.Level>>> before = spotBefore(symbol, pair.book);
      List<KrakenBook.Change> applied = pair.book.randomChanges(changes);
      return sendSpotUpdates(symbol, pair.book, before, applied);
    }
  }

  /** Sets one spot level (quantity "0" removes it) and sends the update. */
  public void publishSpotLevel(String symbol, boolean bid, String price, String qty) {
    synchronized (publishLock) {
      Pair pair = pair(symbol);
      Map<Session, List<List<KrakenBook.Level>>> before = spotBefore(symbol, pair.book);
      KrakenBook.Change change = new KrakenBook.Change(bid, new KrakenBook.Level(price, qty));
      pair.book.apply(change);
      sendSpotUpdates(symbol, pair.book, before, List.of(change));
    }
  }

  /** Changes a spot book without sending anything: subscribers' checksums stop matching. */
  public void dropSpotBook(String symbol, int changes) {
    synchronized (publishLock) {
      pair(symbol).book.randomChanges(changes);
    }
  }

  private Map<Session, List<List<KrakenBook.Level>>> spotBefore(String symbol, KrakenBook book) {
    Map<Session, List<List<KrakenBook.Level>>> before = new java.util.HashMap<>();
    for (Session session : sessions) {
      Integer depth = session.depths.get(symbol);
      if (depth != null) {
        before.put(session, List.of(book.top(true, depth), book.top(false, depth)));
      }
    }
    return before;
  }

  private int sendSpotUpdates(
      String symbol,
      KrakenBook book,
      Map<Session, List<List<KrakenBook.Level>>> before,
      List<KrakenBook.Change> changes) {
    boolean bad = badChecksumNext;
    badChecksumNext = false;
    int sent = 0;
    for (Map.Entry<Session, List<List<KrakenBook.Level>>> entry : before.entrySet()) {
      int depth = entry.getKey().depths.get(symbol);
      List<KrakenBook.Level> bids = book.update(true, entry.getValue().get(0), depth, changes);
      List<KrakenBook.Level> asks = book.update(false, entry.getValue().get(1), depth, changes);
      if (bids.isEmpty() && asks.isEmpty()) {
        continue;
      }
      long checksum = Integer.toUnsignedLong(book.checksum(depth)) + (bad ? 1 : 0);
      entry.getKey().connection.send(spotBook("update", symbol, bids, asks, checksum, true));
      sent++;
    }
    return sent;
  }

  private static String spotBook(
      String type,
      String symbol,
      List<KrakenBook.Level> bids,
      List<KrakenBook.Level> asks,
      long checksum,
      boolean timestamp) {
    StringBuilder text = new StringBuilder(256);
    text.append("{\"channel\":\"book\",\"type\":\"")
        .append(type)
        .append("\",\"data\":[{\"symbol\":\"");
    text.append(symbol).append("\",\"bids\":");
    levels(text, bids);
    text.append(",\"asks\":");
    levels(text, asks);
    text.append(",\"checksum\":").append(checksum);
    if (timestamp) {
      text.append(",\"timestamp\":\"").append(Instant.now()).append('"');
    }
    return text.append("}]}").toString();
  }

  /** Levels as JSON numbers written exactly as their text (trailing zeros kept). */
  private static void levels(StringBuilder text, List<KrakenBook.Level> levels) {
    text.append('[');
    for (int i = 0; i < levels.size(); i++) {
      text.append(i == 0 ? "" : ",").append("{\"price\":").append(levels.get(i).price());
      text.append(",\"qty\":").append(levels.get(i).qty()).append('}');
    }
    text.append(']');
  }

  /**
   * Changes random levels of a futures product: one {@code book} delta each, seq + 1.
   *
   * @return the seqs of the deltas a subscriber was sent (none while nobody is subscribed)
   */
  public List<Long> publishFuturesBook(String symbol, int changes) {
    synchronized (publishLock) {
      Product product = product(symbol);
      List<Long> delivered = new ArrayList<>();
      for (KrakenBook.Change change : product.book.randomChanges(changes)) {
        if (sendFuturesDelta(product, change, true)) {
          delivered.add(product.seq[0]);
        }
      }
      return delivered;
    }
  }

  /** Changes a futures book without sending: subscribers see the next {@code seq} jump. */
  public void dropFuturesBook(String symbol, int changes) {
    synchronized (publishLock) {
      Product product = product(symbol);
      for (KrakenBook.Change change : product.book.randomChanges(changes)) {
        sendFuturesDelta(product, change, false);
      }
    }
  }

  private boolean sendFuturesDelta(Product product, KrakenBook.Change change, boolean send) {
    long seq = ++product.seq[0];
    if (!send) {
      return false;
    }
    String text =
        "{\"feed\":\"book\",\"product_id\":\""
            + product.symbol
            + "\",\"side\":\""
            + (change.bid() ? "buy" : "sell")
            + "\",\"seq\":"
            + seq
            + ",\"price\":"
            + change.level().price()
            + ",\"qty\":"
            + (new BigDecimal(change.level().qty()).signum() == 0 ? "0.0" : change.level().qty())
            + ",\"timestamp\":"
            + System.currentTimeMillis()
            + "}";
    boolean delivered = false;
    for (Session session : sessions) {
      delivered |= session.sendIf("book:" + product.symbol, text);
    }
    return delivered;
  }

  /** Sends a spot trade with the pair's next {@code trade_id}; {@code side} is the taker's. */
  public long publishSpotTrade(String symbol, String side, String price, String qty) {
    synchronized (publishLock) {
      pair(symbol);
      long id = tradeIds.merge(symbol, 1L, Long::sum) + 4_665_000;
      sendSpotTrade(symbol, side, price, qty, id);
      return id;
    }
  }

  /** Skips a spot trade id: subscribers see a gap. */
  public void skipSpotTrade(String symbol) {
    tradeIds.merge(symbol, 1L, Long::sum);
  }

  private void sendSpotTrade(String symbol, String side, String price, String qty, long id) {
    String text =
        "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\""
            + symbol
            + "\",\"side\":\""
            + side
            + "\",\"price\":"
            + price
            + ",\"qty\":"
            + qty
            + ",\"ord_type\":\"limit\",\"trade_id\":"
            + id
            + ",\"timestamp\":\""
            + Instant.now()
            + "\"}]}";
    for (Session session : sessions) {
      session.sendIf("trade:" + symbol, text);
    }
  }

  /**
   * Sends a futures trade of a type ({@code fill}, {@code liquidation}, ...) with the product's
   * next trade {@code seq}; returns its {@code uid}.
   */
  public String publishFuturesTrade(
      String symbol, String type, String side, String price, String qty) {
    synchronized (publishLock) {
      product(symbol);
      long seq = tradeIds.merge(symbol, 1L, Long::sum) + 41_000;
      String uid = UUID.randomUUID().toString();
      String text =
          "{\"feed\":\"trade\",\"product_id\":\""
              + symbol
              + "\",\"uid\":\""
              + uid
              + "\",\"side\":\""
              + side
              + "\",\"type\":\""
              + type
              + "\",\"seq\":"
              + seq
              + ",\"time\":"
              + System.currentTimeMillis()
              + ",\"qty\":"
              + qty
              + ",\"price\":"
              + price
              + "}";
      for (Session session : sessions) {
        session.sendIf("trade:" + symbol, text);
      }
      return uid;
    }
  }

  /**
   * Sends a futures ticker; perpetuals ({@code PI_}, {@code PF_}) carry funding: the absolute
   * {@code funding_rate} and the {@code relative_funding_rate} lake stores.
   */
  public void publishTicker(
      String symbol, String openInterest, String relativeFundingRate, long nextFundingTime) {
    synchronized (publishLock) {
      product(symbol);
      ObjectNode ticker = JSON.createObjectNode();
      ticker.put("time", System.currentTimeMillis()).put("product_id", symbol);
      boolean perpetual = symbol.startsWith("PI_") || symbol.startsWith("PF_");
      if (perpetual) {
        ticker.put(
            "funding_rate", new BigDecimal(relativeFundingRate).multiply(new BigDecimal("3000")));
        ticker.put("funding_rate_prediction", 0.0);
        ticker.put("relative_funding_rate", new BigDecimal(relativeFundingRate));
        ticker.put("relative_funding_rate_prediction", 0.0);
        ticker.put("next_funding_rate_time", nextFundingTime);
      }
      ticker.put("feed", "ticker").put("bid", 2999.5).put("ask", 3000.5);
      ticker.put("tag", perpetual ? "perpetual" : "month").put("pair", "ETH:USD");
      ticker.put("openInterest", new BigDecimal(openInterest)).put("markPrice", 3000.0);
      String text = write(ticker);
      for (Session session : sessions) {
        session.sendIf("ticker:" + symbol, text);
      }
    }
  }

  /** Sends a spot {@code heartbeat} to every spot connection. */
  public void heartbeat() {
    sendRaw(false, "{\"channel\":\"heartbeat\"}");
  }

  /** Sends a text frame verbatim to every open connection of a market. */
  public void sendRaw(boolean futures, String text) {
    synchronized (publishLock) {
      for (Session session : sessions) {
        if (session.futures == futures) {
          session.connection.send(text);
        }
      }
    }
  }

  /** The open connections of a market. */
  public List<WebSocketConnection> connections(boolean futures) {
    return server.connections(futures ? "futures" : "spot");
  }

  /** Every connection of a market drops at once (no close frame). */
  public void disconnectAll(boolean futures) {
    connections(futures).forEach(WebSocketConnection::disconnect);
  }

  /** Garbles the next {@code count} messages of every connection of a market. */
  public void garbleNext(boolean futures, int count) {
    connections(futures).forEach(connection -> connection.garbleNext(count));
  }

  public int restRequests(String path) {
    return server.requests(path).size();
  }

  public int pingsReceived() {
    return sessions.stream().mapToInt(session -> session.pings).sum();
  }

  /** Waits until a topic ({@code book:BTC/USD}, {@code trade:PF_XBTUSD}) is subscribed. */
  public void awaitSubscribed(String topic, Duration timeout) {
    FakeExchangeServer.await(
        () -> sessions.stream().anyMatch(session -> session.topics.contains(topic)),
        timeout,
        "subscription to " + topic,
        () -> sessions.stream().map(session -> session.topics).toList());
  }

  /** How many subscribe requests a topic got, over every connection. */
  public int subscriptions(String topic) {
    return sessions.stream().mapToInt(session -> session.subscribes.getOrDefault(topic, 0)).sum()
        + closedSubscribes.getOrDefault(topic, 0);
  }

  private final Map<String, Integer> closedSubscribes = new ConcurrentHashMap<>();

  @Override
  public void close() {
    server.close();
  }

  private Answer assetPairs(Request request) {
    ObjectNode result = JSON.createObjectNode();
    for (Pair pair : pairs.values()) {
      ObjectNode entry = result.putObject(pair.restName);
      int slash = pair.wsname.indexOf('/');
      entry.put("altname", pair.wsname.replace("/", "")).put("wsname", pair.wsname);
      entry.put("aclass_base", "currency").put("base", "X" + pair.wsname.substring(0, slash));
      entry.put("aclass_quote", "currency").put("quote", "Z" + pair.wsname.substring(slash + 1));
      entry.put("lot", "unit").put("cost_decimals", 5).put("pair_decimals", 1);
      entry.put("lot_decimals", 8).put("lot_multiplier", 1).put("tick_size", "0.1");
      entry.put("ordermin", "0.0001").put("costmin", "0.5").put("status", "online");
    }
    return Answer.ok(spotOk(result));
  }

  private Answer depth(Request request) {
    String name = request.parameter("pair").orElse("");
    Pair pair =
        pairs.values().stream()
            .filter(p -> p.restName.equals(name) || p.wsname.replace("/", "").equals(name))
            .findFirst()
            .orElse(null);
    if (pair == null) {
      return Answer.ok(spotError("EQuery:Unknown asset pair"));
    }
    int count = Integer.parseInt(request.parameter("count").orElse("100"));
    ObjectNode book = JSON.createObjectNode();
    long now = System.currentTimeMillis() / 1000;
    synchronized (publishLock) {
      for (boolean bid : new boolean[] {false, true}) {
        ArrayNode side = book.putArray(bid ? "bids" : "asks");
        for (KrakenBook.Level level : pair.book.top(bid, count)) {
          side.addArray().add(level.price()).add(level.qty()).add(now);
        }
      }
    }
    ObjectNode result = JSON.createObjectNode();
    result.set(pair.restName, book);
    return Answer.ok(spotOk(result));
  }

  private Answer instruments(Request request) {
    ArrayNode list = JSON.createArrayNode();
    for (Product product : products.values()) {
      String base = product.symbol.substring(3, product.symbol.length() - 3).replace("XBT", "BTC");
      list.addObject()
          .put("symbol", product.symbol)
          .put("type", product.type)
          .put("tickSize", 0.5)
          .put("contractSize", 1)
          .put("tradeable", true)
          .put("base", base)
          .put("quote", "USD")
          .put("pair", base + ":USD");
    }
    ObjectNode body = JSON.createObjectNode().put("result", "success");
    body.set("instruments", list);
    body.put("serverTime", Instant.now().toString());
    return Answer.ok(write(body));
  }

  private Answer orderbook(Request request) {
    String symbol = request.parameter("symbol").orElse("");
    Product product = products.get(symbol);
    if (product == null) {
      return Answer.ok(futuresError("invalidArgument: symbol"));
    }
    ObjectNode body = JSON.createObjectNode().put("result", "success");
    ObjectNode book = body.putObject("orderBook");
    synchronized (publishLock) {
      for (boolean bid : new boolean[] {true, false}) {
        ArrayNode side = book.putArray(bid ? "bids" : "asks");
        for (KrakenBook.Level level : product.book.top(bid, 1000)) {
          side.addArray().add(new BigDecimal(level.price())).add(new BigDecimal(level.qty()));
        }
      }
    }
    body.put("serverTime", Instant.now().toString());
    return Answer.ok(write(body));
  }

  /** A route that answers Kraken's rate limit (HTTP 200) while one is scripted. */
  private RestRoute limited(RestRoute route, boolean futures) {
    return request ->
        rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                || rateLimitedPaths.getOrDefault(request.path(), 0) > 0
                    && rateLimitedPaths.merge(request.path(), -1, Integer::sum) >= 0
            ? Answer.ok(
                futures ? futuresError("apiLimitExceeded") : spotError("EAPI:Rate limit exceeded"))
            : route.answer(request);
  }

  private static String spotOk(ObjectNode result) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("error");
    body.set("result", result);
    return write(body);
  }

  private static String spotError(String error) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("error").add(error);
    return write(body);
  }

  private static String futuresError(String error) {
    return write(
        JSON.createObjectNode()
            .put("result", "error")
            .put("error", error)
            .put("serverTime", Instant.now().toString()));
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Kraken's side of one connection: its subscriptions (and spot book depths) and dialogue. */
  private final class Session implements WebSocketSession {
    final boolean futures;
    final java.util.Set<String> topics = ConcurrentHashMap.newKeySet();
    final Map<String, Integer> depths = new ConcurrentHashMap<>();
    final Map<String, Integer> subscribes = new ConcurrentHashMap<>();
    WebSocketConnection connection;
    volatile int pings;

    Session(boolean futures) {
      this.futures = futures;
    }

    boolean sendIf(String topic, String text) {
      if (topics.contains(topic)) {
        connection.send(text);
        return true;
      }
      return false;
    }

    @Override
    public void opened(WebSocketConnection opened) {
      this.connection = opened;
      // Sent before a publisher can see the session: the greeting is the first message.
      opened.send(
          futures
              ? "{\"event\":\"info\",\"version\":1}"
              : "{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"api_version\":\"v2\","
                  + "\"connection_id\":"
                  + System.identityHashCode(this)
                  + ",\"system\":\"online\",\"version\":\"2.0.0\"}]}");
      sessions.add(this);
    }

    @Override
    public void received(WebSocketConnection from, String text) {
      JsonNode request;
      try {
        request = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        request = JSON.createObjectNode();
      }
      if (futures) {
        futuresRequest(from, request, text);
      } else {
        spotRequest(from, request, text);
      }
    }

    private void spotRequest(WebSocketConnection from, JsonNode request, String text) {
      String method = request.path("method").asText();
      long reqId = request.path("req_id").asLong();
      String now = Instant.now().toString();
      if (method.equals("ping")) {
        pings++;
        from.send(
            "{\"method\":\"pong\",\"req_id\":"
                + reqId
                + ",\"time_in\":\""
                + now
                + "\",\"time_out\":\""
                + now
                + "\"}");
        return;
      }
      if (!method.equals("subscribe") && !method.equals("unsubscribe")) {
        from.send(
            "{\"error\":\"Unsupported method: "
                + method
                + "\",\"method\":\""
                + method
                + "\",\"success\":false,\"time_in\":\""
                + now
                + "\",\"time_out\":\""
                + now
                + "\"}");
        return;
      }
      JsonNode params = request.path("params");
      String channel = params.path("channel").asText();
      int depth = params.path("depth").asInt(10);
      for (JsonNode node : params.path("symbol")) {
        String symbol = node.asText();
        synchronized (publishLock) {
          Pair pair = pairs.get(symbol);
          if (pair == null || !(channel.equals("book") || channel.equals("trade"))) {
            from.send(
                "{\"error\":\"Currency pair not supported "
                    + symbol
                    + "\",\"method\":\""
                    + method
                    + "\",\"req_id\":"
                    + reqId
                    + ",\"success\":false,\"symbol\":\""
                    + symbol
                    + "\",\"time_in\":\""
                    + now
                    + "\",\"time_out\":\""
                    + now
                    + "\"}");
            continue;
          }
          String topic = channel + ":" + symbol;
          String extra = channel.equals("book") ? ",\"depth\":" + depth : "";
          from.send(
              "{\"method\":\""
                  + method
                  + "\",\"result\":{\"channel\":\""
                  + channel
                  + "\""
                  + extra
                  + ",\"snapshot\":"
                  + channel.equals("book")
                  + ",\"symbol\":\""
                  + symbol
                  + "\"},\"success\":true,\"time_in\":\""
                  + now
                  + "\",\"time_out\":\""
                  + now
                  + "\",\"req_id\":"
                  + reqId
                  + "}");
          if (method.equals("unsubscribe")) {
            topics.remove(topic);
            depths.remove(symbol);
            continue;
          }
          topics.add(topic);
          subscribes.merge(topic, 1, Integer::sum);
          if (channel.equals("book")) {
            depths.put(symbol, depth);
            from.send(
                spotBook(
                    "snapshot",
                    symbol,
                    pair.book.top(true, depth),
                    pair.book.top(false, depth),
                    Integer.toUnsignedLong(pair.book.checksum(depth)),
                    false));
          }
        }
      }
    }

    private void futuresRequest(WebSocketConnection from, JsonNode request, String text) {
      String event = request.path("event").asText();
      if (event.equals("ping")) {
        pings++;
        from.send("{\"event\":\"pong\"}");
        return;
      }
      if (!event.equals("subscribe") && !event.equals("unsubscribe")) {
        from.send("{\"event\":\"error\",\"message\":\"Invalid request\"}");
        return;
      }
      String feed = request.path("feed").asText();
      List<String> ids = new ArrayList<>();
      request.path("product_ids").forEach(node -> ids.add(node.asText()));
      synchronized (publishLock) {
        for (String id : ids) {
          if (!products.containsKey(id)
              || !(feed.equals("book") || feed.equals("trade") || feed.equals("ticker"))) {
            from.send("{\"event\":\"error\",\"message\":\"Invalid product id\"}");
            return;
          }
        }
        ArrayNode list = JSON.createArrayNode();
        ids.forEach(list::add);
        from.send(
            "{\"event\":\""
                + event
                + "d\",\"feed\":\""
                + feed
                + "\",\"product_ids\":"
                + write(list)
                + "}");
        for (String id : ids) {
          String topic = feed + ":" + id;
          if (event.equals("unsubscribe")) {
            topics.remove(topic);
            continue;
          }
          topics.add(topic);
          subscribes.merge(topic, 1, Integer::sum);
          Product product = products.get(id);
          if (feed.equals("book")) {
            StringBuilder snapshot = new StringBuilder(512);
            snapshot.append("{\"feed\":\"book_snapshot\",\"product_id\":\"").append(id);
            snapshot.append("\",\"timestamp\":").append(System.currentTimeMillis());
            snapshot
                .append(",\"seq\":")
                .append(product.seq[0])
                .append(",\"tickSize\":null,\"bids\":");
            levels(snapshot, product.book.top(true, 1000));
            snapshot.append(",\"asks\":");
            levels(snapshot, product.book.top(false, 1000));
            from.send(snapshot.append('}').toString());
          } else if (feed.equals("trade")) {
            from.send("{\"feed\":\"trade_snapshot\",\"product_id\":\"" + id + "\",\"trades\":[]}");
          }
        }
      }
    }

    @Override
    public void closed(WebSocketConnection closed) {
      sessions.remove(this);
      subscribes.forEach((topic, count) -> closedSubscribes.merge(topic, count, Integer::sum));
    }
  }
}
