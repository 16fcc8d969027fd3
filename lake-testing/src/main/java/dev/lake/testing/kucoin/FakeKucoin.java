package dev.lake.testing.kucoin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lake.core.model.MarketType;
import dev.lake.testing.venue.Answer;
import dev.lake.testing.venue.FakeExchangeServer;
import dev.lake.testing.venue.Request;
import dev.lake.testing.venue.WebSocketConnection;
import dev.lake.testing.venue.WebSocketSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A fake KuCoin (spot and futures) in the test JVM, over plain HTTP and {@code ws://} on one
 * loopback port, following KuCoin's public docs (exchanges.md section 4): {@code POST
 * /api/v1/bullet-public} hands out a token and the endpoint ({@code /spot} or {@code /futures}
 * here, as the real hosts differ); a connection with a token it did not hand out gets an {@code
 * error} frame (401) and is closed; a good one gets {@code welcome}, then {@code subscribe} with
 * comma-joined symbols is acknowledged, {@code ping} is answered by {@code pong}. Spot books push
 * {@code trade.l2update} with {@code sequenceStart..sequenceEnd} and per-change sequences (and,
 * when asked, price "0" placeholders); futures books push one {@code level2} change per message,
 * {@code sequence} + 1. REST: {@code level2_100}, the full-depth {@code
 * /api/v3/market/orderbook/level2} (signed requests only, checked as KuCoin does: {@link
 * #issueApiKey}), {@code level2/snapshot}, {@code depth100}, {@code /api/v2/symbols}, {@code
 * /api/v1/contracts/active}, {@code funding-rate/{symbol}/current}; errors are HTTP 200 with a
 * {@code code} other than 200000, 429000 for a rate limit, and HTTP 401 with KuCoin's code for a
 * refused signature. Nothing here uses lake's production code.
 */
public final class FakeKucoin implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String MULTIPLIER = "0.001";

  /** KuCoin's full-depth spot book, served to signed requests only. */
  public static final String FULL_BOOK = "/api/v3/market/orderbook/level2";

  private final Map<MarketType, FakeExchangeServer> servers = new ConcurrentHashMap<>();
  private final Map<MarketType, Map<String, Book>> books = new ConcurrentHashMap<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final Map<String, String[]> apiKeys = new ConcurrentHashMap<>();
  private final AtomicInteger tokenCount = new AtomicInteger();
  private final AtomicInteger bulletFailures = new AtomicInteger();
  private final AtomicInteger rateLimits = new AtomicInteger();
  private final AtomicInteger pings = new AtomicInteger();
  private final AtomicInteger signedBooks = new AtomicInteger();
  private final AtomicLong tradeSequence = new AtomicLong(5000);
  private volatile boolean rejectTokens;
  private final Object lock = new Object();

  /** One book: levels price to size (sizes in contracts on futures), and its sequence. */
  public static final class Book {
    public final NavigableMap<Double, Double> bids = new TreeMap<>();
    public final NavigableMap<Double, Double> asks = new TreeMap<>();
    public long sequence;
    private int step;

    Book(double mid, long sequence, int levels) {
      for (int i = 1; i <= levels; i++) {
        bids.put(mid - i, (double) i);
        asks.put(mid + i, (double) i);
      }
      this.sequence = sequence;
    }
  }

  private FakeKucoin() {
    for (MarketType market : MarketType.values()) {
      books.put(market, new ConcurrentSkipListMap<>()); // the venue's order: by symbol
      servers.put(market, newServer(market));
    }
  }

  /** One host per market, as KuCoin's: api.kucoin.com and api-futures.kucoin.com. */
  private FakeExchangeServer newServer(MarketType market) {
    boolean spot = market == MarketType.SPOT;
    FakeExchangeServer.Builder builder =
        FakeExchangeServer.builder(spot ? "KuCoin spot" : "KuCoin futures")
            .route("POST", "/api/v1/bullet-public", r -> bullet(market, r))
            .fallback(r -> Answer.json(404, "{\"code\":\"404000\",\"msg\":\"Not Found\"}"))
            .failures(
                (request, status, retryAfter) ->
                    Answer.json(
                        status,
                        status == 429
                            ? "{\"code\":\"429000\",\"msg\":\"Too Many Requests\"}"
                            : "{\"code\":\"" + status + "000\",\"msg\":\"scripted\"}"))
            .webSocket("endpoint", upgrade -> session(upgrade, market));
    if (spot) {
      builder
          .route("GET", "/api/v1/market/orderbook/level2_100", r -> book(market, r))
          .route("GET", "/api/v1/market/orderbook/level2_20", r -> book(market, r))
          .route("GET", FULL_BOOK, r -> signedBook(market, r))
          .route("GET", "/api/v2/symbols", r -> symbols());
    } else {
      builder
          .route("GET", "/api/v1/level2/snapshot", r -> book(market, r))
          .route("GET", "/api/v1/level2/depth100", r -> book(market, r))
          .route("GET", "/api/v1/contracts/active", r -> contracts())
          .route("GET", "/api/v1/funding-rate/{symbol}/current", this::funding);
    }
    return builder.start();
  }

  public static FakeKucoin start() {
    return new FakeKucoin();
  }

  /** The REST host of a market, e.g. {@code http://127.0.0.1:1234}. */
  public String httpBase(MarketType market) {
    return servers.get(market).httpBase();
  }

  public FakeExchangeServer server(MarketType market) {
    return servers.get(market);
  }

  /** Lists a symbol with 30 levels a side around {@code mid}, first sequence 1000. */
  public void addSymbol(MarketType market, String symbol, double mid) {
    addSymbol(market, symbol, mid, 30);
  }

  /**
   * Lists a symbol with {@code levels} levels a side, 1 apart around {@code mid} (more than 100
   * tells the full-depth book from the public top 100), first sequence 1000.
   */
  public void addSymbol(MarketType market, String symbol, double mid, int levels) {
    books.get(market).put(symbol, new Book(mid, 1000, levels));
  }

  /**
   * Issues a KuCoin API key (version 2): signed requests of {@code /api/v3/market/orderbook/level2}
   * must carry it, signed with its secret and passphrase.
   */
  public void issueApiKey(String key, String secret, String passphrase) {
    apiKeys.put(key, new String[] {secret, passphrase});
  }

  public Book book(MarketType market, String symbol) {
    return books.get(market).get(symbol);
  }

  /** Tokens handed out so far. */
  public int tokensIssued() {
    return tokenCount.get();
  }

  /** Client pings answered. */
  public int pings() {
    return pings.get();
  }

  /** The next {@code count} bullet requests answer an error code (HTTP 200, code 400100). */
  public void failBullets(int count) {
    bulletFailures.set(count);
  }

  /** The next {@code count} REST requests of any book endpoint answer 429000. */
  public void rateLimitBooks(int count) {
    rateLimits.set(count);
  }

  /** Whether connections are refused their token (error 401 and close), as on an expired one. */
  public void rejectTokens(boolean value) {
    rejectTokens = value;
  }

  /** The open connections of a market. */
  public List<WebSocketConnection> connections(MarketType market) {
    return servers.get(market).connections("endpoint");
  }

  /** Waits until a topic (e.g. {@code /market/level2:BTC-USDT}) is subscribed. */
  public void awaitSubscribed(String topic, Duration timeout) {
    FakeExchangeServer.await(
        () -> sessions.stream().anyMatch(s -> s.connection.isOpen() && s.topics.contains(topic)),
        timeout,
        "subscription to " + topic,
        () -> sessions);
  }

  private Answer bullet(MarketType market, Request request) {
    if (bulletFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Answer.ok("{\"code\":\"400100\",\"msg\":\"bullet service unavailable\"}");
    }
    String token = "tok" + tokenCount.incrementAndGet() + "SECRET" + market.ordinal();
    tokens.add(token);
    return Answer.ok(
        "{\"code\":\"200000\",\"data\":{\"token\":\""
            + token
            + "\",\"instanceServers\":[{\"endpoint\":\""
            + servers.get(market).wsBase()
            + "/endpoint\",\"encrypt\":false,\"protocol\":\"websocket\",\"pingInterval\":1000,"
            + "\"pingTimeout\":10000}]}}");
  }

  private Optional<WebSocketSession> session(Request upgrade, MarketType market) {
    if (!upgrade.path().equals("/endpoint")) {
      return Optional.empty();
    }
    String token = upgrade.parameter("token").orElse("");
    boolean valid = !rejectTokens && tokens.contains(token);
    Session session = new Session(market, valid, upgrade.parameter("connectId").orElse(""));
    return Optional.of(session);
  }

  /** Changes levels of a book and pushes them; returns the new sequence. */
  public long publishDepth(MarketType market, String symbol) {
    synchronized (lock) {
      String text = nextDepth(market, symbol, false);
      send(market, topicOf(market, symbol), text);
      return book(market, symbol).sequence;
    }
  }

  /** Like {@link #publishDepth} but nothing is sent: subscribers see a gap. */
  public long dropDepth(MarketType market, String symbol) {
    synchronized (lock) {
      nextDepth(market, symbol, false);
      return book(market, symbol).sequence;
    }
  }

  /** A spot push whose only change is a price "0" placeholder: the sequence advances. */
  public long publishPlaceholder(String symbol) {
    synchronized (lock) {
      Book book = book(MarketType.SPOT, symbol);
      long seq = ++book.sequence;
      send(
          MarketType.SPOT,
          topicOf(MarketType.SPOT, symbol),
          spotPush(symbol, seq, seq, "[[\"0\",\"0\",\"" + seq + "\"]]", "[]"));
      return seq;
    }
  }

  /**
   * A spot push covering {@code sequence - back + 1 .. sequence + 1} whose new change (a bid) is
   * listed first and the changes already sent after it, with their old sequences and a stale size
   * at the same price: only the sequences tell which is the latest. Returns its end.
   */
  public long publishStraddling(String symbol, int back) {
    synchronized (lock) {
      Book book = book(MarketType.SPOT, symbol);
      long start = book.sequence - back + 1;
      long end = ++book.sequence;
      double price = book.bids.lastKey() - 0.5;
      book.bids.put(price, 7.0);
      StringBuilder bids = new StringBuilder("[");
      bids.append("[\"").append(number(price)).append("\",\"7\",\"").append(end).append("\"]");
      for (long s = start; s < end; s++) {
        bids.append(",[\"").append(number(price)).append("\",\"999\",\"").append(s).append("\"]");
      }
      bids.append(']');
      send(
          MarketType.SPOT,
          topicOf(MarketType.SPOT, symbol),
          spotPush(symbol, start, end, "[]", bids.toString()));
      return end;
    }
  }

  /** Publishes a trade. */
  public void publishTrade(
      MarketType market, String symbol, String side, double price, double size) {
    long seq = tradeSequence.incrementAndGet();
    long nanos = System.currentTimeMillis() * 1_000_000L;
    String data =
        market == MarketType.SPOT
            ? "{\"sequence\":\""
                + seq
                + "\",\"type\":\"match\",\"symbol\":\""
                + symbol
                + "\",\"side\":\""
                + side
                + "\",\"price\":\""
                + number(price)
                + "\",\"size\":\""
                + number(size)
                + "\",\"tradeId\":\"t"
                + seq
                + "\",\"time\":\""
                + nanos
                + "\"}"
            : "{\"symbol\":\""
                + symbol
                + "\",\"sequence\":"
                + seq
                + ",\"side\":\""
                + side
                + "\",\"size\":"
                + number(size)
                + ",\"price\":"
                + number(price)
                + ",\"tradeId\":\"t"
                + seq
                + "\",\"ts\":"
                + nanos
                + "}";
    String topic =
        (market == MarketType.SPOT ? "/market/match:" : "/contractMarket/execution:") + symbol;
    String subject = market == MarketType.SPOT ? "trade.l3match" : "match";
    send(
        market,
        topic,
        "{\"type\":\"message\",\"topic\":\""
            + topic
            + "\",\"subject\":\""
            + subject
            + "\",\"data\":"
            + data
            + "}");
  }

  /** Sends raw text on every open connection of a market. */
  public void sendRaw(MarketType market, String text) {
    for (Session session : sessions) {
      if (session.market == market && session.connection != null && session.connection.isOpen()) {
        session.connection.send(text);
      }
    }
  }

  private static String topicOf(MarketType market, String symbol) {
    return (market == MarketType.SPOT ? "/market/level2:" : "/contractMarket/level2:") + symbol;
  }

  private String nextDepth(MarketType market, String symbol, boolean unused) {
    Book book = book(market, symbol);
    int step = book.step++;
    boolean bid = step % 2 == 0;
    NavigableMap<Double, Double> side = bid ? book.bids : book.asks;
    double price =
        (bid ? side.firstKey() : side.lastKey()) + (step % 3 == 0 ? 0 : (bid ? 1 : -1)) * 0;
    // alternate: change a size, remove a level, add a level
    double size;
    switch (step % 3) {
      case 0 -> {
        price = bid ? side.lastKey() : side.firstKey();
        size = 1 + step % 7;
      }
      case 1 -> {
        price = bid ? side.firstKey() : side.lastKey();
        size = 0;
      }
      default -> {
        price = bid ? side.firstKey() - 1 : side.lastKey() + 1;
        size = 2;
      }
    }
    if (size == 0) {
      side.remove(price);
    } else {
      side.put(price, size);
    }
    long seq = ++book.sequence;
    if (market == MarketType.SPOT) {
      String change = "[[\"" + number(price) + "\",\"" + number(size) + "\",\"" + seq + "\"]]";
      return spotPush(symbol, seq, seq, bid ? "[]" : change, bid ? change : "[]");
    }
    return "{\"type\":\"message\",\"topic\":\""
        + topicOf(market, symbol)
        + "\",\"subject\":\"level2\",\"data\":{\"sequence\":"
        + seq
        + ",\"change\":\""
        + number(price)
        + ","
        + (bid ? "buy" : "sell")
        + ","
        + number(size)
        + "\",\"timestamp\":"
        + System.currentTimeMillis()
        + "}}";
  }

  private static String spotPush(String symbol, long start, long end, String asks, String bids) {
    return "{\"type\":\"message\",\"topic\":\"/market/level2:"
        + symbol
        + "\",\"subject\":\"trade.l2update\",\"data\":{\"changes\":{\"asks\":"
        + asks
        + ",\"bids\":"
        + bids
        + "},\"sequenceEnd\":"
        + end
        + ",\"sequenceStart\":"
        + start
        + ",\"symbol\":\""
        + symbol
        + "\",\"time\":"
        + System.currentTimeMillis()
        + "}}";
  }

  private void send(MarketType market, String topic, String text) {
    for (Session session : sessions) {
      if (session.market == market
          && session.connection != null
          && session.connection.isOpen()
          && session.topics.contains(topic)) {
        session.connection.send(text);
      }
    }
  }

  private Answer rateLimited() {
    return rateLimits.getAndUpdate(n -> Math.max(0, n - 1)) > 0
        ? Answer.ok("{\"code\":\"429000\",\"msg\":\"Too Many Requests\"}")
        : null;
  }

  private Answer book(MarketType market, Request request) {
    Answer limited = rateLimited();
    if (limited != null) {
      return limited;
    }
    String symbol = request.parameter("symbol").orElse("");
    Book book = books.get(market).get(symbol);
    if (book == null) {
      return Answer.ok("{\"code\":\"400100\",\"msg\":\"symbol not exists\"}");
    }
    synchronized (lock) {
      StringBuilder text = new StringBuilder("{\"code\":\"200000\",\"data\":{");
      if (market == MarketType.SPOT) {
        text.append("\"time\":").append(System.currentTimeMillis());
        text.append(",\"sequence\":\"").append(book.sequence).append('"');
      } else {
        text.append("\"symbol\":\"").append(symbol).append('"');
        text.append(",\"sequence\":").append(book.sequence);
        text.append(",\"ts\":").append(System.currentTimeMillis() * 1_000_000L);
      }
      boolean strings = market == MarketType.SPOT;
      int depth =
          request.path().endsWith("_20") || request.path().endsWith("depth20")
              ? 20
              : request.path().endsWith("100") ? 100 : Integer.MAX_VALUE;
      text.append(",\"bids\":").append(levels(book.bids.descendingMap(), strings, depth));
      text.append(",\"asks\":").append(levels(book.asks, strings, depth));
      return Answer.ok(text.append("}}").toString());
    }
  }

  /**
   * The full-depth spot book, for requests KuCoin accepts as signed (its API docs, key version 2):
   * the four {@code KC-API-*} headers, a key it issued, {@code KC-API-PASSPHRASE} = Base64 of
   * HMAC-SHA256(secret, passphrase), a {@code KC-API-TIMESTAMP} within 5 s, {@code KC-API-SIGN} =
   * Base64 of HMAC-SHA256(secret, timestamp + method + path?query as sent + body). Anything else is
   * HTTP 401 with KuCoin's code: 400001 (header missing), 400002 (timestamp), 400003 (key), 400004
   * (passphrase), 400005 (signature).
   */
  private Answer signedBook(MarketType market, Request request) {
    Optional<String> key = request.header("KC-API-KEY");
    Optional<String> sign = request.header("KC-API-SIGN");
    Optional<String> timestamp = request.header("KC-API-TIMESTAMP");
    Optional<String> passphrase = request.header("KC-API-PASSPHRASE");
    if (key.isEmpty() || sign.isEmpty() || timestamp.isEmpty() || passphrase.isEmpty()) {
      return refused(
          "400001",
          "Please check the header of your request for KC-API-KEY, KC-API-SIGN, KC-API-TIMESTAMP, KC-API-PASSPHRASE");
    }
    long sent;
    try {
      sent = Long.parseLong(timestamp.get());
    } catch (NumberFormatException e) {
      return refused("400002", "KC-API-TIMESTAMP Invalid");
    }
    if (Math.abs(System.currentTimeMillis() - sent) > 5000) {
      return refused(
          "400002",
          "KC-API-TIMESTAMP Invalid -- Time differs from server time by more than 5 seconds");
    }
    String[] issued = apiKeys.get(key.get());
    if (issued == null) {
      return refused("400003", "KC-API-KEY not exists");
    }
    boolean version2 = request.header("KC-API-KEY-VERSION").orElse("1").equals("2");
    if (!version2 || !hmac(issued[0], issued[1]).equals(passphrase.get())) {
      return refused("400004", "Invalid KC-API-PASSPHRASE");
    }
    String signed = timestamp.get() + request.method() + request.uri() + request.body();
    if (!hmac(issued[0], signed).equals(sign.get())) {
      return refused("400005", "Invalid KC-API-SIGN");
    }
    signedBooks.incrementAndGet();
    return book(market, request);
  }

  /** Full-depth books served to signed requests so far. */
  public int signedBooksServed() {
    return signedBooks.get();
  }

  private static Answer refused(String code, String message) {
    return Answer.json(401, "{\"code\":\"" + code + "\",\"msg\":\"" + message + "\"}");
  }

  private static String hmac(String secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String levels(Map<Double, Double> side, boolean strings, int depth) {
    StringBuilder text = new StringBuilder("[");
    int count = 0;
    for (Map.Entry<Double, Double> level : side.entrySet()) {
      if (count++ == depth) {
        break;
      }
      text.append(text.length() > 1 ? "," : "").append('[');
      String q = strings ? "\"" : "";
      text.append(q).append(number(level.getKey())).append(q).append(',');
      text.append(q).append(number(level.getValue())).append(q).append(']');
    }
    return text.append(']').toString();
  }

  static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private Answer symbols() {
    StringBuilder text = new StringBuilder("{\"code\":\"200000\",\"data\":[");
    int i = 0;
    for (String symbol : books.get(MarketType.SPOT).keySet()) {
      String[] parts = symbol.split("-");
      text.append(i++ > 0 ? "," : "")
          .append("{\"symbol\":\"" + symbol + "\",\"name\":\"" + symbol + "\",\"baseCurrency\":\"")
          .append(parts[0])
          .append("\",\"quoteCurrency\":\"")
          .append(parts[1])
          .append(
              "\",\"baseIncrement\":\"0.00000001\",\"priceIncrement\":\"0.1\","
                  + "\"baseMinSize\":\"0.00001\",\"enableTrading\":true}");
    }
    return Answer.ok(text.append("]}").toString());
  }

  private Answer contracts() {
    StringBuilder text = new StringBuilder("{\"code\":\"200000\",\"data\":[");
    int i = 0;
    for (String symbol : books.get(MarketType.FUTURE).keySet()) {
      boolean inverse = symbol.endsWith("USDM");
      text.append(i++ > 0 ? "," : "")
          .append("{\"symbol\":\"" + symbol + "\",\"rootSymbol\":\"USDT\",\"type\":\"FFWCSX\",")
          .append("\"baseCurrency\":\"XBT\",\"quoteCurrency\":\"" + (inverse ? "USD" : "USDT"))
          .append("\",\"settleCurrency\":\"USDT\",\"multiplier\":" + MULTIPLIER + ",")
          .append("\"tickSize\":0.1,\"isInverse\":" + inverse + ",\"status\":\"Open\",")
          .append("\"fundingFeeRate\":0.0001,\"openInterest\":\"9876432\",")
          .append("\"nextFundingRateTime\":25242841}");
    }
    return Answer.ok(text.append("]}").toString());
  }

  private Answer funding(Request request) {
    String symbol = request.pathParameters().get("symbol");
    return Answer.ok(
        "{\"code\":\"200000\",\"data\":{\"symbol\":\"."
            + symbol
            + "FPI8H\",\"granularity\":28800000,\"timePoint\":1767225600000,\"value\":0.0001,"
            + "\"predictedValue\":0.00012}}");
  }

  @Override
  public void close() {
    servers.values().forEach(FakeExchangeServer::close);
  }

  /** One client connection: welcome, subscribe and ack, ping and pong. */
  private final class Session implements WebSocketSession {
    final MarketType market;
    final boolean valid;
    final String connectId;
    final Set<String> topics = ConcurrentHashMap.newKeySet();
    volatile WebSocketConnection connection;

    Session(MarketType market, boolean valid, String connectId) {
      this.market = market;
      this.valid = valid;
      this.connectId = connectId;
    }

    @Override
    public void opened(WebSocketConnection value) {
      connection = value;
      if (!valid) {
        value.send(
            "{\"id\":\""
                + connectId
                + "\",\"type\":\"error\",\"code\":401,"
                + "\"data\":\"token is invalid\"}");
        value.disconnectAfterSent();
        return;
      }
      // Sent before a publisher can see the session: the welcome is the first message.
      value.send("{\"id\":\"" + connectId + "\",\"type\":\"welcome\"}");
      sessions.add(this);
    }

    @Override
    public void received(WebSocketConnection value, String text) {
      JsonNode request;
      try {
        request = JSON.readTree(text);
      } catch (IOException e) {
        value.send("{\"type\":\"error\",\"code\":400,\"data\":\"bad request\"}");
        return;
      }
      String id = request.path("id").asText();
      switch (request.path("type").asText()) {
        case "ping" -> {
          pings.incrementAndGet();
          value.send("{\"id\":\"" + id + "\",\"type\":\"pong\"}");
        }
        case "subscribe", "unsubscribe" -> {
          String topic = request.path("topic").asText();
          int colon = topic.indexOf(':');
          boolean subscribe = request.path("type").asText().equals("subscribe");
          synchronized (lock) {
            for (String symbol : topic.substring(colon + 1).split(",")) {
              String one = topic.substring(0, colon + 1) + symbol;
              if (subscribe) {
                topics.add(one);
              } else {
                topics.remove(one);
              }
            }
            if (request.path("response").asBoolean(false)) {
              value.send("{\"id\":\"" + id + "\",\"type\":\"ack\"}");
            }
          }
        }
        default ->
            value.send(
                "{\"id\":\""
                    + id
                    + "\",\"type\":\"error\",\"code\":404,"
                    + "\"data\":\"unknown type\"}");
      }
    }

    @Override
    public void closed(WebSocketConnection value) {
      sessions.remove(this);
    }

    @Override
    public String toString() {
      return market + " " + topics;
    }
  }
}
