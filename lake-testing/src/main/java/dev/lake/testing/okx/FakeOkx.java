package dev.lake.testing.okx;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OKX v5 in the test JVM, on the shared {@link FakeExchangeServer}: the public WebSocket
 * {@code /ws/v5/public} (subscribe and unsubscribe with their acknowledgements and errors, the text
 * keepalive {@code ping}/{@code pong}, {@code books} with snapshot, linked {@code seqId}s and CRC32
 * checksums computed here, {@code trades}, {@code liquidation-orders} by instType) and the REST
 * endpoints {@code /api/v5/market/books}, {@code books-full}, {@code /api/v5/public/instruments},
 * {@code open-interest} and {@code funding-rate}, with OKX's bodies ({@code {"code":"0","msg":"",
 * "data":[..]}}), its error codes in HTTP 200 answers and its rate limit (code 50011).
 *
 * <p>A test scripts what OKX may do: drop or resend a push, send a heartbeat, restart the ids
 * (maintenance), send a wrong checksum or checksum 0, stop sending the in-stream snapshot, answer
 * REST books from a stale cache, rate-limit, garble, stall or cut connections. Thread-safe;
 * publishing is serialised so each connection gets pushes in the order published.
 */
public final class FakeOkx implements AutoCloseable {
  public static final String PUBLIC = "/ws/v5/public";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An instrument the fake lists. */
  private record Instrument(
      String instId, String instType, String base, String quote, String ctVal, OkxBook book) {}

  private final FakeExchangeServer server;
  private final Map<String, Instrument> instruments = new ConcurrentHashMap<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final Map<String, Long> nextTradeId = new ConcurrentHashMap<>();
  private final Map<String, String> openInterest = new ConcurrentHashMap<>();
  private final Map<String, String[]> funding = new ConcurrentHashMap<>();
  private final Map<String, int[]> staleBooks = new ConcurrentHashMap<>();
  private final AtomicInteger rateLimited = new AtomicInteger();
  private final Object publishLock = new Object();
  private final Map<String, Set<Long>> delivered = new ConcurrentHashMap<>();
  private volatile boolean streamSnapshots = true;
  private volatile boolean checksums = true;
  private volatile boolean badChecksumNext;

  private FakeOkx(FakeExchangeServer.Builder builder) {
    builder.route("GET", "/api/v5/market/books", limited(this::books));
    builder.route("GET", "/api/v5/market/books-full", limited(this::books));
    builder.route("GET", "/api/v5/public/instruments", limited(this::instruments));
    builder.route("GET", "/api/v5/public/open-interest", limited(this::openInterest));
    builder.route("GET", "/api/v5/public/funding-rate", limited(this::funding));
    builder.failures(
        (request, status, retryAfter) ->
            status == 429
                ? Answer.json(429, error("50011", "Too Many Requests"))
                : Answer.json(status, error("50000", "Service temporarily unavailable")));
    builder.fallback(request -> Answer.json(404, error("50000", "Not found: " + request.path())));
    builder.webSocket(
        "public",
        upgrade ->
            upgrade.path().equals(PUBLIC)
                ? Optional.<WebSocketSession>of(new Session())
                : Optional.empty());
    this.server = builder.start();
  }

  /** Starts the fake on 127.0.0.1 and an ephemeral port. */
  public static FakeOkx start() {
    return new FakeOkx(FakeExchangeServer.builder("OKX").pingEvery(Duration.ofHours(1)));
  }

  public String httpBase() {
    return server.httpBase();
  }

  /** The public WebSocket URL. */
  public String publicUrl() {
    return server.wsBase() + PUBLIC;
  }

  /** Lists a spot instrument with a book of {@code levels} levels each side around 60000. */
  public void addSpot(String instId, String base, String quote, int levels) {
    OkxBook book = new OkxBook(instId.hashCode(), new BigDecimal("60000"), tick(), false, levels);
    instruments.put(instId, new Instrument(instId, "SPOT", base, quote, "", book));
  }

  /** Lists a linear SWAP whose sizes are contracts of {@code ctVal} base coins. */
  public void addSwap(String instId, String base, String settle, String ctVal, int levels) {
    OkxBook book = new OkxBook(instId.hashCode(), new BigDecimal("3000"), tick(), true, levels);
    instruments.put(instId, new Instrument(instId, "SWAP", base, settle, ctVal, book));
  }

  private static BigDecimal tick() {
    return new BigDecimal("0.1");
  }

  /** The fake's book of an instrument (read it after publishing, not during). */
  public OkxBook book(String instId) {
    return instrument(instId).book;
  }

  private Instrument instrument(String instId) {
    Instrument instrument = instruments.get(instId);
    if (instrument == null) {
      throw new IllegalArgumentException("Invalid instrument: " + instId + " (not listed)");
    }
    return instrument;
  }

  /** From now on subscribing to books sends no snapshot (as OKX announced for 2026). */
  public void stopStreamSnapshots() {
    streamSnapshots = false;
  }

  /** From now on every books push carries checksum 0 (as OKX does since 2026-06-23). */
  public void sendChecksumZero() {
    checksums = false;
  }

  /** The next books push carries a wrong checksum. */
  public void badChecksumNext() {
    badChecksumNext = true;
  }

  /**
   * The next {@code count} REST books answers of an instrument come from a cache {@code updatesAgo}
   * updates old.
   */
  public void staleBooksNext(String instId, int updatesAgo, int count) {
    staleBooks.put(instId, new int[] {updatesAgo, count});
  }

  /** The next {@code count} REST requests of any path answer code 50011 (HTTP 200). */
  public void rateLimitNext(int count) {
    rateLimited.set(count);
  }

  /** Changes random levels and pushes the update to the book's subscribers. */
  public OkxBook.Update publishBook(String instId, int changes) {
    synchronized (publishLock) {
      OkxBook.Update update = book(instId).next(changes, System.currentTimeMillis());
      sendBook(instId, update);
      return update;
    }
  }

  /** Changes the book without pushing: subscribers see a break in the ids. */
  public OkxBook.Update dropNextBook(String instId, int changes) {
    synchronized (publishLock) {
      return book(instId).next(changes, System.currentTimeMillis());
    }
  }

  /** Pushes a heartbeat: no levels, {@code seqId == prevSeqId}. */
  public OkxBook.Update publishHeartbeat(String instId) {
    synchronized (publishLock) {
      OkxBook.Update update = book(instId).heartbeat(System.currentTimeMillis());
      sendBook(instId, update);
      return update;
    }
  }

  /** OKX's maintenance: the ids start over lower, the next push still links to the last. */
  public void restartIds(String instId) {
    synchronized (publishLock) {
      book(instId).restartIds();
    }
  }

  private void sendBook(String instId, OkxBook.Update update) {
    int checksum = checksums ? update.checksum() : 0;
    if (badChecksumNext) {
      badChecksumNext = false;
      checksum = checksum + 1;
    }
    String text = push("books", "instId", instId, "update", bookData(update, checksum));
    boolean sent = false;
    for (Session session : sessions) {
      sent |= session.sendIf("books:" + instId, text);
    }
    if (sent) {
      delivered.computeIfAbsent(instId, id -> ConcurrentHashMap.newKeySet()).add(update.seqId());
    }
  }

  /**
   * The {@code seqId}s of the instrument's updates that reached a subscriber. An update published
   * while a client was between unsubscribe and subscribe reached nobody: the snapshot sent on the
   * new subscription covers it.
   */
  public Set<Long> deliveredBooks(String instId) {
    return Set.copyOf(delivered.getOrDefault(instId, Set.of()));
  }

  /** Pushes a trade with the next id of the instrument; {@code side} is the taker's. */
  public long publishTrade(String instId, String side, String price, String size) {
    synchronized (publishLock) {
      long id = nextTradeId.merge(instId, 1L, Long::sum) + 100_000;
      ObjectNode trade = JSON.createObjectNode();
      trade.put("instId", instId).put("tradeId", Long.toString(id)).put("px", price);
      trade.put("sz", size).put("side", side).put("ts", Long.toString(System.currentTimeMillis()));
      trade.put("count", "1");
      String text = push("trades", "instId", instId, null, JSON.createArrayNode().add(trade));
      for (Session session : sessions) {
        session.sendIf("trades:" + instId, text);
      }
      return id;
    }
  }

  /** Pushes a liquidation order of an instrument to the subscribers of its instType. */
  public void publishLiquidation(String instId, String side, String price, String size, long ts) {
    Instrument instrument = instrument(instId);
    synchronized (publishLock) {
      ObjectNode detail = JSON.createObjectNode();
      detail.put("bkLoss", "0").put("bkPx", price).put("ccy", "");
      detail.put("posSide", side.equals("sell") ? "long" : "short").put("side", side);
      detail.put("sz", size).put("ts", Long.toString(ts));
      ObjectNode entry = JSON.createObjectNode();
      entry.putArray("details").add(detail);
      String family = instId.substring(0, instId.lastIndexOf('-'));
      entry.put("instFamily", family).put("instId", instId);
      entry.put("instType", instrument.instType).put("uly", family);
      String text =
          push(
              "liquidation-orders",
              "instType",
              instrument.instType,
              null,
              JSON.createArrayNode().add(entry));
      for (Session session : sessions) {
        session.sendIf("liquidation-orders:" + instrument.instType, text);
      }
    }
  }

  /** Sends a text frame verbatim to every open connection. */
  public void sendRaw(String text) {
    synchronized (publishLock) {
      for (Session session : sessions) {
        session.connection.send(text);
      }
    }
  }

  public void setOpenInterest(String instId, String oiContracts, String oiCoins) {
    openInterest.put(instId, oiContracts + "|" + oiCoins);
  }

  /** Sets the funding rate of a perpetual for the settlement at {@code fundingTime}. */
  public void setFundingRate(String instId, String rate, long fundingTime) {
    funding.put(instId, new String[] {rate, Long.toString(fundingTime)});
  }

  /** The open connections. */
  public List<WebSocketConnection> connections() {
    return server.connections("public");
  }

  /** Every connection drops at once (no close frame). */
  public void disconnectAll() {
    connections().forEach(WebSocketConnection::disconnect);
  }

  /** Garbles the next {@code count} pushes of every connection. */
  public void garbleNext(int count) {
    connections().forEach(connection -> connection.garbleNext(count));
  }

  /** Holds every connection's pushes for a while (updates in flight). */
  public void stall(Duration duration) {
    connections().forEach(connection -> connection.stall(duration));
  }

  public int restRequests(String path) {
    return server.requests(path).size();
  }

  /** Subscribe and unsubscribe requests received, by connection. */
  public List<Integer> requestsPerConnection() {
    List<Integer> counts = new ArrayList<>();
    sessions.forEach(session -> counts.add(session.requests));
    return counts;
  }

  public int pingsReceived() {
    return sessions.stream().mapToInt(session -> session.pings).sum();
  }

  /**
   * Waits until a topic ({@code books:BTC-USDT}, {@code liquidation-orders:SWAP}) is subscribed.
   */
  public void awaitSubscribed(String topic, Duration timeout) {
    FakeExchangeServer.await(
        () -> sessions.stream().anyMatch(session -> session.topics.contains(topic)),
        timeout,
        "subscription to " + topic,
        () -> sessions.stream().map(session -> session.topics).toList());
  }

  @Override
  public void close() {
    server.close();
  }

  private Answer books(Request request) {
    String instId = request.parameter("instId").orElse("");
    Instrument instrument = instruments.get(instId);
    if (instrument == null) {
      return Answer.ok(error("51001", "Instrument ID does not exist"));
    }
    OkxBook.Update state;
    synchronized (publishLock) {
      int[] stale = staleBooks.get(instId);
      int ago = 0;
      if (stale != null && stale[1] > 0) {
        stale[1]--;
        ago = stale[0];
      }
      state = instrument.book.past(ago);
    }
    int size = Integer.parseInt(request.parameter("sz").orElse("1"));
    ObjectNode entry = JSON.createObjectNode();
    entry.set("asks", levels(state.asks().subList(0, Math.min(size, state.asks().size()))));
    entry.set("bids", levels(state.bids().subList(0, Math.min(size, state.bids().size()))));
    entry.put("ts", Long.toString(state.ts())).put("seqId", state.seqId());
    return Answer.ok(ok(JSON.createArrayNode().add(entry)));
  }

  private Answer instruments(Request request) {
    String type = request.parameter("instType").orElse("");
    ArrayNode data = JSON.createArrayNode();
    for (Instrument instrument : instruments.values()) {
      if (!instrument.instType.equals(type)) {
        continue;
      }
      ObjectNode entry = data.addObject();
      boolean spot = type.equals("SPOT");
      entry.put("instId", instrument.instId).put("instType", type);
      entry
          .put("baseCcy", spot ? instrument.base : "")
          .put("quoteCcy", spot ? instrument.quote : "");
      entry.put("settleCcy", spot ? "" : instrument.quote);
      entry.put("ctVal", instrument.ctVal).put("ctMult", spot ? "" : "1");
      entry.put("ctValCcy", spot ? "" : instrument.base).put("ctType", spot ? "" : "linear");
      entry.put("instFamily", spot ? "" : instrument.base + "-" + instrument.quote);
      entry.put("tickSz", "0.1").put("lotSz", spot ? "0.00000001" : "1").put("state", "live");
    }
    return Answer.ok(ok(data));
  }

  private Answer openInterest(Request request) {
    String type = request.parameter("instType").orElse("");
    ArrayNode data = JSON.createArrayNode();
    openInterest.forEach(
        (instId, value) -> {
          if (instrument(instId).instType.equals(type)) {
            String[] parts = value.split("\\|");
            data.addObject()
                .put("instId", instId)
                .put("instType", type)
                .put("oi", parts[0])
                .put("oiCcy", parts[1])
                .put("ts", Long.toString(System.currentTimeMillis()));
          }
        });
    return Answer.ok(ok(data));
  }

  private Answer funding(Request request) {
    String instId = request.parameter("instId").orElse("");
    String[] rate = funding.get(instId);
    if (rate == null) {
      return Answer.ok(error("51001", "Instrument ID does not exist"));
    }
    ArrayNode data = JSON.createArrayNode();
    data.addObject()
        .put("instId", instId)
        .put("instType", "SWAP")
        .put("fundingRate", rate[0])
        .put("fundingTime", rate[1])
        .put("nextFundingRate", "")
        .put("nextFundingTime", Long.toString(Long.parseLong(rate[1]) + 28_800_000))
        .put("ts", Long.toString(System.currentTimeMillis()));
    return Answer.ok(ok(data));
  }

  /** A route that answers OKX's rate limit (HTTP 200, code 50011) while one is scripted. */
  private RestRoute limited(RestRoute route) {
    return request ->
        rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0
            ? Answer.ok(error("50011", "Too Many Requests"))
            : route.answer(request);
  }

  private static String ok(ArrayNode data) {
    ObjectNode body = JSON.createObjectNode().put("code", "0").put("msg", "");
    body.set("data", data);
    return write(body);
  }

  private static String error(String code, String msg) {
    ObjectNode body = JSON.createObjectNode().put("code", code).put("msg", msg);
    body.putArray("data");
    return write(body);
  }

  private static String errorEvent(String code, String msg) {
    return write(JSON.createObjectNode().put("event", "error").put("code", code).put("msg", msg));
  }

  private static ArrayNode levels(List<OkxBook.Level> levels) {
    ArrayNode array = JSON.createArrayNode();
    for (OkxBook.Level level : levels) {
      array.addArray().add(level.price()).add(level.size()).add("0").add("1");
    }
    return array;
  }

  private static ArrayNode bookData(OkxBook.Update update, int checksum) {
    ObjectNode entry = JSON.createObjectNode();
    entry.set("asks", levels(update.asks()));
    entry.set("bids", levels(update.bids()));
    entry.put("ts", Long.toString(update.ts())).put("checksum", checksum);
    entry.put("prevSeqId", update.prevSeqId()).put("seqId", update.seqId());
    return JSON.createArrayNode().add(entry);
  }

  private static String push(String channel, String key, String id, String action, JsonNode data) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("arg").put("channel", channel).put(key, id);
    if (action != null) {
      body.put("action", action);
    }
    body.set("data", data);
    return write(body);
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** OKX's side of one connection: its subscriptions and dialogue. */
  private final class Session implements WebSocketSession {
    final Set<String> topics = ConcurrentHashMap.newKeySet();
    WebSocketConnection connection;
    volatile int requests;
    volatile int pings;

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
      sessions.add(this);
    }

    @Override
    public void received(WebSocketConnection from, String text) {
      if (text.equals("ping")) {
        pings++;
        from.send("pong");
        return;
      }
      JsonNode request;
      try {
        request = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        request = JSON.createObjectNode();
      }
      String op = request.path("op").asText();
      if (!op.equals("subscribe") && !op.equals("unsubscribe")) {
        from.send(errorEvent("60012", "Invalid request: " + text));
        return;
      }
      requests++;
      for (JsonNode arg : request.path("args")) {
        answer(from, op, arg);
      }
    }

    private void answer(WebSocketConnection from, String op, JsonNode arg) {
      String channel = arg.path("channel").asText();
      boolean byType = channel.equals("liquidation-orders");
      String id = arg.path(byType ? "instType" : "instId").asText();
      boolean known =
          (channel.equals("books") || channel.equals("trades") || byType)
              && (byType || instruments.containsKey(id));
      if (!known) {
        from.send(
            errorEvent(
                "60018", "Wrong URL or channel:" + channel + ",instId:" + id + " doesn't exist."));
        return;
      }
      Map<String, String> ack = new LinkedHashMap<>();
      ack.put("channel", channel);
      ack.put(byType ? "instType" : "instId", id);
      ObjectNode reply = JSON.createObjectNode().put("event", op);
      reply.set("arg", JSON.valueToTree(ack));
      reply.put("connId", Integer.toHexString(System.identityHashCode(this)));
      String topic = channel + ":" + id;
      synchronized (publishLock) {
        from.send(write(reply));
        if (op.equals("unsubscribe")) {
          topics.remove(topic);
          return;
        }
        topics.add(topic);
        if (channel.equals("books") && streamSnapshots) {
          OkxBook.Update snapshot = instruments.get(id).book.snapshot(System.currentTimeMillis());
          from.send(
              push(
                  "books",
                  "instId",
                  id,
                  "snapshot",
                  bookData(snapshot, checksums ? snapshot.checksum() : 0)));
        }
      }
    }

    @Override
    public void closed(WebSocketConnection closed) {
      sessions.remove(this);
    }
  }
}
