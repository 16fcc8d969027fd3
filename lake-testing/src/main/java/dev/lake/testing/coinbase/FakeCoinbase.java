package dev.lake.testing.coinbase;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Coinbase Advanced Trade in the test JVM, on the shared {@link FakeExchangeServer}: the
 * market-data WebSocket (subscribe and unsubscribe per channel, answered with a {@code
 * subscriptions} message; {@code level2} with a snapshot then updates, several products in one
 * message when published together; {@code market_trades}; {@code heartbeats}; one {@code
 * sequence_num} counter per connection over every message it sends; {@code {"type":"error"}} for a
 * product it does not list) and the public REST endpoints {@code /api/v3/brokerage/market/products}
 * (with Coinbase's aliases: {@code BTC-USDC} is {@code BTC-USD}, whose market data it serves) and
 * {@code /market/product_book}, with Coinbase's error bodies and HTTP 429 rate limit.
 *
 * <p>Thread-safe; publishing is serialised so each connection gets messages in the order published.
 */
public final class FakeCoinbase implements AutoCloseable {
  public static final String PRODUCTS = "/api/v3/brokerage/market/products";
  public static final String PRODUCT_BOOK = "/api/v3/brokerage/market/product_book";
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Product(String id, String base, String quote, String aliasOf, CoinbaseBook book) {}

  private final FakeExchangeServer server;
  private final Map<String, Product> products = new ConcurrentHashMap<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final Map<String, Long> nextTradeId = new ConcurrentHashMap<>();
  private final AtomicInteger rateLimited = new AtomicInteger();
  private final Object publishLock = new Object();

  private FakeCoinbase(FakeExchangeServer.Builder builder) {
    builder.route("GET", PRODUCTS, limited(this::products));
    builder.route("GET", PRODUCT_BOOK, limited(this::productBook));
    builder.failures(
        (request, status, retryAfter) ->
            status == 429
                ? Answer.json(429, error("rate_limit_exceeded", "Too many requests"))
                : Answer.json(status, error("INTERNAL", "internal error")));
    builder.fallback(request -> Answer.json(404, error("NOT_FOUND", "Not Found")));
    builder.webSocket("market", upgrade -> Optional.<WebSocketSession>of(new Session()));
    this.server = builder.start();
  }

  /** Starts the fake on 127.0.0.1 and an ephemeral port. */
  public static FakeCoinbase start() {
    return new FakeCoinbase(FakeExchangeServer.builder("Coinbase").pingEvery(Duration.ofHours(1)));
  }

  public String httpBase() {
    return server.httpBase();
  }

  /** The market-data WebSocket URL. */
  public String wsUrl() {
    return server.wsBase() + "/";
  }

  /** Lists a spot product with a book of {@code levels} levels each side around 60000. */
  public void addProduct(String id, String base, String quote, int levels) {
    products.put(
        id,
        new Product(
            id,
            base,
            quote,
            null,
            new CoinbaseBook(id.hashCode(), new BigDecimal("60000"), levels)));
  }

  /** Lists an alias: its market data is {@code of}'s (as {@code BTC-USDC} is {@code BTC-USD}). */
  public void addAlias(String id, String of) {
    Product target = product(of);
    products.put(id, new Product(id, target.base, id.substring(id.indexOf('-') + 1), of, null));
  }

  /** The fake's book of a product. */
  public CoinbaseBook book(String id) {
    return product(id).book;
  }

  private Product product(String id) {
    Product product = products.get(id);
    if (product == null) {
      throw new IllegalArgumentException("Invalid product: " + id + " (not listed)");
    }
    return product;
  }

  /** The next {@code count} REST requests answer HTTP 429. */
  public void rateLimitNext(int count) {
    rateLimited.set(count);
  }

  /** Changes {@code changes} levels of each product and sends them in one l2_data message. */
  public void publishBooks(List<String> ids, int changes) {
    synchronized (publishLock) {
      ArrayNode events = JSON.createArrayNode();
      for (String id : ids) {
        events.add(l2Event("update", id, product(id).book.next(changes)));
      }
      for (Session session : sessions) {
        session.sendIf("level2", ids, "l2_data", events);
      }
    }
  }

  /** Changes levels of one product and sends them. */
  public void publishBook(String id, int changes) {
    publishBooks(List.of(id), changes);
  }

  /** Changes levels without sending them: subscribers' books go wrong unless they notice. */
  public void changeSilently(String id, int changes) {
    synchronized (publishLock) {
      product(id).book.next(changes);
    }
  }

  /** Sends a heartbeat on every connection subscribed to heartbeats. */
  public void publishHeartbeat() {
    synchronized (publishLock) {
      for (Session session : sessions) {
        session.heartbeat();
      }
    }
  }

  /** Sends a trade with the next id of a product; {@code side} is the taker's, BUY or SELL. */
  public long publishTrade(String id, String side, String price, String size) {
    synchronized (publishLock) {
      long tradeId = nextTradeId.merge(id, 1L, Long::sum) + 500_000;
      ObjectNode trade = JSON.createObjectNode();
      trade.put("trade_id", Long.toString(tradeId)).put("product_id", id).put("price", price);
      trade.put("size", size).put("side", side).put("time", Instant.now().toString());
      ArrayNode events = JSON.createArrayNode();
      ObjectNode event = events.addObject().put("type", "update");
      event.putArray("trades").add(trade);
      for (Session session : sessions) {
        session.sendIf("market_trades", List.of(id), "market_trades", events);
      }
      return tradeId;
    }
  }

  /** Sends a text frame verbatim to every open connection (no sequence number taken). */
  public void sendRaw(String text) {
    synchronized (publishLock) {
      for (Session session : sessions) {
        session.connection.send(text);
      }
    }
  }

  /** The open connections. */
  public List<WebSocketConnection> connections() {
    return server.connections("market");
  }

  /** Drops the next {@code count} messages of every connection (their numbers are used). */
  public void dropNext(int count) {
    connections().forEach(connection -> connection.dropNext(count));
  }

  public void disconnectAll() {
    connections().forEach(WebSocketConnection::disconnect);
  }

  public void garbleNext(int count) {
    connections().forEach(connection -> connection.garbleNext(count));
  }

  public int restRequests(String path) {
    return server.requests(path).size();
  }

  /** The subscribe requests received by every connection, verbatim. */
  public List<String> requests() {
    return sessions.stream().flatMap(session -> session.requests.stream()).toList();
  }

  /** Waits until a channel ({@code level2}, {@code market_trades}) carries a product. */
  public void awaitSubscribed(String channel, String id, Duration timeout) {
    FakeExchangeServer.await(
        () -> sessions.stream().anyMatch(session -> session.topics.contains(channel + ":" + id)),
        timeout,
        "subscription to " + channel + " " + id,
        () -> sessions.stream().map(session -> session.topics).toList());
  }

  @Override
  public void close() {
    server.close();
  }

  private Answer products(Request request) {
    ArrayNode list = JSON.createArrayNode();
    for (Product product : products.values()) {
      ObjectNode entry = list.addObject();
      entry.put("product_id", product.id).put("price", "60000");
      entry.put("base_increment", "0.00000001").put("quote_increment", "0.01");
      entry.put("price_increment", "0.01").put("status", "online");
      entry.put("trading_disabled", false).put("product_type", "SPOT");
      entry.put("base_currency_id", product.base).put("quote_currency_id", product.quote);
      entry.put("alias", product.aliasOf == null ? "" : product.aliasOf);
      ArrayNode aliasTo = entry.putArray("alias_to");
      products.values().stream()
          .filter(other -> product.id.equals(other.aliasOf))
          .forEach(other -> aliasTo.add(other.id));
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("products", list);
    body.put("num_products", list.size());
    return Answer.ok(write(body));
  }

  private Answer productBook(Request request) {
    String id = request.parameter("product_id").orElse("");
    Product product = products.get(id);
    if (product == null) {
      return Answer.json(404, error("NOT_FOUND", "ProductID " + id + " could not be found"));
    }
    int limit = Integer.parseInt(request.parameter("limit").orElse("50"));
    CoinbaseBook book = product.aliasOf == null ? product.book : products.get(product.aliasOf).book;
    ObjectNode pricebook = JSON.createObjectNode().put("product_id", id);
    synchronized (publishLock) {
      ArrayNode bids = pricebook.putArray("bids");
      ArrayNode asks = pricebook.putArray("asks");
      for (CoinbaseBook.Level level : book.snapshot()) {
        ArrayNode side = level.side().equals("bid") ? bids : asks;
        if (side.size() < limit) {
          side.addObject().put("price", level.price()).put("size", level.quantity());
        }
      }
    }
    pricebook.put("time", Instant.now().toString());
    ObjectNode body = JSON.createObjectNode();
    body.set("pricebook", pricebook);
    body.put("last", "60000").put("mid_market", "60000");
    return Answer.ok(write(body));
  }

  private RestRoute limited(RestRoute route) {
    return request ->
        rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0
            ? Answer.json(429, error("rate_limit_exceeded", "Too many requests"))
            : route.answer(request);
  }

  private static String error(String error, String message) {
    return write(
        JSON.createObjectNode()
            .put("error", error)
            .put("error_details", message)
            .put("message", message));
  }

  private static ObjectNode l2Event(String type, String id, List<CoinbaseBook.Level> levels) {
    ObjectNode event = JSON.createObjectNode().put("type", type).put("product_id", id);
    ArrayNode updates = event.putArray("updates");
    String now = Instant.now().toString();
    for (CoinbaseBook.Level level : levels) {
      updates
          .addObject()
          .put("side", level.side())
          .put("event_time", now)
          .put("price_level", level.price())
          .put("new_quantity", level.quantity());
    }
    return event;
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Coinbase's side of one connection: its subscriptions and its sequence_num. */
  private final class Session implements WebSocketSession {
    final Set<String> topics = ConcurrentHashMap.newKeySet();
    final List<String> requests = new CopyOnWriteArrayList<>();
    WebSocketConnection connection;
    long sequence;
    long heartbeats;

    /** Sends a message of a channel when this connection carries one of the products. */
    void sendIf(String channel, List<String> ids, String name, ArrayNode events) {
      ArrayNode mine = JSON.createArrayNode();
      for (int i = 0; i < ids.size(); i++) {
        if (topics.contains(channel + ":" + ids.get(i))) {
          mine.add(events.get(Math.min(i, events.size() - 1)));
        }
      }
      if (!mine.isEmpty()) {
        send(name, mine);
      }
    }

    void heartbeat() {
      if (topics.contains("heartbeats")) {
        ArrayNode events = JSON.createArrayNode();
        events
            .addObject()
            .put("current_time", Instant.now().toString())
            .put("heartbeat_counter", Long.toString(++heartbeats));
        send("heartbeats", events);
      }
    }

    /**
     * Numbers and sends a message. Callers hold the publish lock, and the connection writes in the
     * order sent, so the wire carries {@code sequence_num} in order as Coinbase's does.
     */
    void send(String channel, ArrayNode events) {
      ObjectNode message = JSON.createObjectNode().put("channel", channel).put("client_id", "");
      message.put("timestamp", Instant.now().toString()).put("sequence_num", sequence++);
      message.set("events", events);
      connection.send(write(message));
    }

    @Override
    public void opened(WebSocketConnection opened) {
      this.connection = opened;
      sessions.add(this);
    }

    @Override
    public void received(WebSocketConnection from, String text) {
      requests.add(text);
      JsonNode request;
      try {
        request = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        request = JSON.createObjectNode();
      }
      String type = request.path("type").asText();
      String channel = request.path("channel").asText();
      if (!type.equals("subscribe") && !type.equals("unsubscribe")
          || !Set.of("level2", "market_trades", "heartbeats").contains(channel)) {
        from.send(
            write(
                JSON.createObjectNode()
                    .put("type", "error")
                    .put("message", "Failure to subscribe")));
        return;
      }
      synchronized (publishLock) {
        if (channel.equals("heartbeats")) {
          if (type.equals("subscribe")) {
            topics.add("heartbeats");
          } else {
            topics.remove("heartbeats");
          }
          acknowledge();
          return;
        }
        for (JsonNode node : request.path("product_ids")) {
          if (!products.containsKey(node.asText())) {
            from.send(
                write(
                    JSON.createObjectNode()
                        .put("type", "error")
                        .put("message", "Failure to subscribe")));
            return;
          }
        }
        for (JsonNode node : request.path("product_ids")) {
          Product product = products.get(node.asText());
          String id = product.aliasOf == null ? product.id : product.aliasOf;
          String topic = channel + ":" + id;
          if (type.equals("unsubscribe")) {
            topics.remove(topic);
          } else {
            topics.add(topic);
          }
        }
        acknowledge();
        if (type.equals("subscribe") && channel.equals("level2")) {
          for (JsonNode node : request.path("product_ids")) {
            Product product = products.get(node.asText());
            String id = product.aliasOf == null ? product.id : product.aliasOf;
            ArrayNode events = JSON.createArrayNode();
            events.add(l2Event("snapshot", id, products.get(id).book.snapshot()));
            send("l2_data", events);
          }
        }
      }
    }

    private void acknowledge() {
      ObjectNode subscriptions = JSON.createObjectNode();
      for (String topic : topics) {
        int colon = topic.indexOf(':');
        String channel = colon < 0 ? topic : topic.substring(0, colon);
        ArrayNode list =
            subscriptions.has(channel)
                ? (ArrayNode) subscriptions.get(channel)
                : subscriptions.putArray(channel);
        list.add(colon < 0 ? topic : topic.substring(colon + 1));
      }
      ArrayNode events = JSON.createArrayNode();
      events.addObject().set("subscriptions", subscriptions);
      send("subscriptions", events);
    }

    @Override
    public void closed(WebSocketConnection closed) {
      sessions.remove(this);
    }
  }
}
