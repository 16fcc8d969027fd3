package dev.lake.testing.coinbase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lake.testing.venue.Answer;
import dev.lake.testing.venue.FakeExchangeServer;
import dev.lake.testing.venue.Request;
import dev.lake.testing.venue.WebSocketConnection;
import dev.lake.testing.venue.WebSocketSession;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A fake Coinbase International Exchange (INTX) market-data feed, on the shared {@link
 * FakeExchangeServer}: the WebSocket where every {@code SUBSCRIBE}/{@code UNSUBSCRIBE} must carry
 * {@code time, key, passphrase, signature} (Base64 HMAC-SHA256 with the Base64-decoded secret over
 * {@code time + key + "CBINTLMD" + passphrase}, checked here; a bad or missing one is answered
 * {@code {"channel":"SUBSCRIPTIONS","type":"REJECT","message","reason"}}), confirmations without a
 * sequence, and {@code LEVEL2} (SNAPSHOT then UPDATE), {@code MATCH}, {@code RISK} and {@code
 * FUNDING} messages numbered by one {@code sequence} per connection; and REST {@code
 * /api/v1/instruments} with HTTP 429 for a rate limit. Thread-safe.
 */
public final class FakeIntx implements AutoCloseable {
  public static final String INSTRUMENTS = "/api/v1/instruments";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FakeExchangeServer server;
  private final String key;
  private final String secret;
  private final String passphrase;
  private final Map<String, CoinbaseBook> books = new ConcurrentHashMap<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final AtomicInteger matchIds = new AtomicInteger(900_000);
  private final AtomicInteger rejected = new AtomicInteger();
  private final Object publishLock = new Object();

  private FakeIntx(
      FakeExchangeServer.Builder builder, String key, String secret, String passphrase) {
    this.key = key;
    this.secret = secret;
    this.passphrase = passphrase;
    builder.route("GET", INSTRUMENTS, this::instruments);
    builder.failures(
        (request, status, retryAfter) ->
            Answer.json(
                status, "{\"title\":\"" + (status == 429 ? "Too Many Requests" : "Error") + "\"}"));
    builder.fallback(request -> Answer.json(404, "{\"title\":\"Not Found\"}"));
    builder.webSocket("md", upgrade -> Optional.<WebSocketSession>of(new Session()));
    this.server = builder.start();
  }

  /** Starts the fake accepting subscriptions signed with these credentials. */
  public static FakeIntx start(String key, String secret, String passphrase) {
    return new FakeIntx(
        FakeExchangeServer.builder("Coinbase INTX").pingEvery(Duration.ofHours(1)),
        key,
        secret,
        passphrase);
  }

  public String httpBase() {
    return server.httpBase();
  }

  public String wsUrl() {
    return server.wsBase() + "/";
  }

  /** Lists a perpetual with a book of {@code levels} levels each side. */
  public void addPerpetual(String symbol, int levels) {
    books.put(symbol, new CoinbaseBook(symbol.hashCode(), new BigDecimal("3000"), levels));
  }

  public CoinbaseBook book(String symbol) {
    return books.get(symbol);
  }

  /** Subscriptions refused for a bad or missing signature. */
  public int rejectedSubscriptions() {
    return rejected.get();
  }

  public void failNext(String path, int count, int status) {
    server.failNext(path, count, status, null);
  }

  public void publishBook(String symbol, int changes) {
    synchronized (publishLock) {
      ObjectNode message = JSON.createObjectNode().put("product_id", symbol);
      ArrayNode array = message.putArray("changes");
      for (CoinbaseBook.Level level : books.get(symbol).next(changes)) {
        array
            .addArray()
            .add(level.side().equals("bid") ? "BUY" : "SELL")
            .add(level.price())
            .add(level.quantity());
      }
      send("LEVEL2", "UPDATE", symbol, message);
    }
  }

  public long publishMatch(String symbol, String aggressorSide, String price, String qty) {
    synchronized (publishLock) {
      long id = matchIds.incrementAndGet();
      ObjectNode message = JSON.createObjectNode().put("product_id", symbol);
      message.put("match_id", Long.toString(id)).put("trade_price", price).put("trade_qty", qty);
      message.put("aggressor_side", aggressorSide);
      send("MATCH", "UPDATE", symbol, message);
      return id;
    }
  }

  /** A RISK update; {@code openInterest} null leaves the field out (as some snapshots do). */
  public void publishRisk(String symbol, String markPrice, String openInterest) {
    synchronized (publishLock) {
      ObjectNode message = JSON.createObjectNode().put("product_id", symbol);
      message.put("limit_up", "1").put("limit_down", "1").put("index_price", markPrice);
      message.put("mark_price", markPrice).put("settlement_price", markPrice);
      if (openInterest != null) {
        message.put("open_interest", openInterest);
      }
      send("RISK", "UPDATE", symbol, message);
    }
  }

  public void publishFunding(String symbol, String rate, boolean isFinal, Instant time) {
    synchronized (publishLock) {
      ObjectNode message = JSON.createObjectNode().put("product_id", symbol);
      message.put("funding_rate", rate).put("is_final", isFinal);
      message.put("time", time.toString());
      send("FUNDING", "UPDATE", symbol, message);
    }
  }

  public List<WebSocketConnection> connections() {
    return server.connections("md");
  }

  public void dropNext(int count) {
    connections().forEach(connection -> connection.dropNext(count));
  }

  /** The subscribe requests received, verbatim. */
  public List<String> requests() {
    return sessions.stream().flatMap(session -> session.requests.stream()).toList();
  }

  public void awaitSubscribed(String channel, String symbol, Duration timeout) {
    FakeExchangeServer.await(
        () -> sessions.stream().anyMatch(s -> s.topics.contains(channel + ":" + symbol)),
        timeout,
        "subscription to " + channel + " " + symbol,
        () -> sessions.stream().map(s -> s.topics).toList());
  }

  @Override
  public void close() {
    server.close();
  }

  private void send(String channel, String type, String symbol, ObjectNode message) {
    for (Session session : sessions) {
      if (session.topics.contains(channel + ":" + symbol)) {
        session.send(channel, type, message.deepCopy());
      }
    }
  }

  private Answer instruments(Request request) {
    ArrayNode list = JSON.createArrayNode();
    for (String symbol : books.keySet()) {
      ObjectNode entry = list.addObject();
      entry.put("instrument_id", Integer.toString(symbol.hashCode())).put("symbol", symbol);
      entry.put("type", "PERP").put("base_asset_name", symbol.substring(0, symbol.indexOf('-')));
      entry.put("quote_asset_name", "USDC").put("base_increment", "0.0001");
      entry.put("quote_increment", "0.01").put("trading_state", "TRADING");
    }
    return Answer.ok(write(list));
  }

  private String signature(String time) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret), "HmacSHA256"));
      byte[] digest =
          mac.doFinal((time + key + "CBINTLMD" + passphrase).getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** INTX's side of one connection: subscriptions and the connection's sequence. */
  private final class Session implements WebSocketSession {
    final Set<String> topics = ConcurrentHashMap.newKeySet();
    final List<String> requests = new CopyOnWriteArrayList<>();
    WebSocketConnection connection;
    long sequence = 1;

    /**
     * Numbers and sends a message. Callers hold the publish lock, and the connection writes in the
     * order sent, so the wire carries {@code sequence} in order.
     */
    void send(String channel, String type, ObjectNode message) {
      message.put("sequence", sequence++).put("channel", channel).put("type", type);
      if (!message.has("time")) {
        message.put("time", Instant.now().toString());
      }
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
      String time = request.path("time").asText("");
      boolean signed =
          key.equals(request.path("key").asText())
              && passphrase.equals(request.path("passphrase").asText())
              && !time.isEmpty()
              && Math.abs(Long.parseLong(time) - Instant.now().getEpochSecond()) <= 30
              && signature(time).equals(request.path("signature").asText());
      if (!signed) {
        rejected.incrementAndGet();
        from.send(
            write(
                JSON.createObjectNode()
                    .put("message", "Failed to subscribe")
                    .put("reason", "Authentication failed")
                    .put("channel", "SUBSCRIPTIONS")
                    .put("type", "REJECT")));
        return;
      }
      synchronized (publishLock) {
        for (JsonNode channel : request.path("channels")) {
          for (JsonNode product : request.path("product_ids")) {
            String topic = channel.asText() + ":" + product.asText();
            if (type.equals("UNSUBSCRIBE")) {
              topics.remove(topic);
            } else {
              topics.add(topic);
            }
          }
        }
        ObjectNode ack = JSON.createObjectNode();
        ack.set("channels", request.path("channels"));
        ack.put("authenticated", true).put("channel", "SUBSCRIPTIONS").put("type", "SNAPSHOT");
        ack.put("time", Instant.now().toString());
        String acknowledgement = write(ack);
        from.send(acknowledgement);
        if (type.equals("SUBSCRIBE")) {
          for (JsonNode channel : request.path("channels")) {
            if (!channel.asText().equals("LEVEL2")) {
              continue;
            }
            for (JsonNode product : request.path("product_ids")) {
              snapshot(product.asText());
            }
          }
        }
      }
    }

    private void snapshot(String symbol) {
      ObjectNode message = JSON.createObjectNode().put("product_id", symbol);
      ArrayNode bids = message.putArray("bids");
      ArrayNode asks = message.putArray("asks");
      for (CoinbaseBook.Level level : books.get(symbol).snapshot()) {
        (level.side().equals("bid") ? bids : asks)
            .addArray()
            .add(level.price())
            .add(level.quantity());
      }
      send("LEVEL2", "SNAPSHOT", message);
    }

    @Override
    public void closed(WebSocketConnection closed) {
      sessions.remove(this);
    }
  }
}
