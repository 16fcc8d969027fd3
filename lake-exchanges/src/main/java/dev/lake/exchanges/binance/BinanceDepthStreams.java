package dev.lake.exchanges.binance;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.exchanges.FailureLog;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.Outlet;
import dev.lake.exchanges.book.BookSync;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.transport.QueryString;
import dev.lake.exchanges.transport.RestException;
import dev.lake.exchanges.transport.WebSocketListener;
import dev.lake.exchanges.transport.WebSocketSession;
import io.netty.buffer.ByteBuf;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The diff-depth streams of one Binance market: symbols spread over WebSocket connections, one
 * {@link BookSync} per symbol, REST snapshots for (re)syncs within the weight budget, and, for
 * {@code snapshots.source: book}, snapshots of the validated books on an exact wall-clock grid.
 */
final class BinanceDepthStreams {
  private static final Logger LOG = LoggerFactory.getLogger(BinanceDepthStreams.class);
  private static final int SUBSCRIBE_BATCH = 100;
  private static final long SUBSCRIBE_SPACING_MS = 300;

  private final BinanceMarket market;
  private final FeedSettings feed;
  private final FeedSettings bookSnapshots;
  private final StreamEvents events;
  private final List<Session> sessions = new ArrayList<>();
  private final Map<String, Integer> snapshotAttempts = new ConcurrentHashMap<>();
  private final FailureLog failures = new FailureLog(LOG);
  private volatile boolean closed;

  /**
   * @param bookSnapshots the snapshot feed when its source is the local book, else null
   */
  BinanceDepthStreams(BinanceMarket market, FeedSettings feed, FeedSettings bookSnapshots) {
    this.market = market;
    this.feed = feed;
    this.bookSnapshots = bookSnapshots;
    this.events = market.events(OrderBookDelta.TABLE);
  }

  /** Starts collecting symbols, spreading them over connections. */
  synchronized void add(Collection<String> symbols) {
    List<String> fresh = new ArrayList<>();
    for (String symbol : symbols) {
      if (sessions.stream().noneMatch(s -> s.syncs.containsKey(symbol))) {
        fresh.add(symbol);
      }
    }
    int perConnection = market.context.streamsPerConnection();
    for (int i = 0; i < fresh.size(); i += perConnection) {
      Session session = new Session(fresh.subList(i, Math.min(fresh.size(), i + perConnection)));
      sessions.add(session);
      session.start();
    }
  }

  synchronized void close() {
    closed = true;
    for (Session session : sessions) {
      session.socket.close();
    }
  }

  synchronized int openConnections() {
    return sessions.stream().mapToInt(s -> s.socket.openConnections()).sum();
  }

  synchronized long failedConnections() {
    return sessions.stream().mapToLong(s -> s.socket.failedAttempts()).sum();
  }

  /** Sums a counter over every book; reads are racy but each counter only grows. */
  synchronized long sum(java.util.function.ToLongFunction<BookSync> counter) {
    long total = 0;
    for (Session session : sessions) {
      for (BookSync sync : session.syncs.values()) {
        total += counter.applyAsLong(sync);
      }
    }
    return total;
  }

  /** The stream name of a symbol at the configured update speed. */
  String streamName(String symbol) {
    long speed = feed.intervalMs();
    boolean standard = market.market == MarketType.SPOT ? speed == 1000 : speed == 250;
    return symbol.toLowerCase(Locale.ROOT) + "@depth" + (standard ? "" : "@" + speed + "ms");
  }

  private final class Session implements WebSocketListener {
    final Map<String, BookSync> syncs = new LinkedHashMap<>();
    final WebSocketSession socket;
    final Outlet outlet;
    final BinanceMessages.WsMessage message = new BinanceMessages.WsMessage();
    byte[] bytes = new byte[64 * 1024];
    int subscribeId;

    Session(List<String> symbols) {
      this.socket =
          new WebSocketSession(
              market.transport,
              feed.url(),
              this,
              WebSocketSession.Options.defaults(market.name() + " depth"));
      for (String symbol : symbols) {
        syncs.put(
            symbol,
            new BookSync(
                BinanceVenue.NAME,
                market.market,
                symbol,
                BinanceBooks.rules(market.market),
                market.context.persistedUpdateIds().get(symbol),
                this::requestSnapshot));
      }
      this.outlet =
          new Outlet(
              market.context.sink(), () -> socket.setReading(false), () -> socket.setReading(true));
    }

    void start() {
      socket.start();
      if (bookSnapshots != null) {
        scheduleGrid();
      }
    }

    @Override
    public void onOpen(WebSocketSession session, String connectionId) {
      List<String> streams =
          syncs.keySet().stream().map(BinanceDepthStreams.this::streamName).toList();
      for (int i = 0; i < streams.size(); i += SUBSCRIBE_BATCH) {
        List<String> batch = streams.subList(i, Math.min(streams.size(), i + SUBSCRIBE_BATCH));
        String request =
            "{\"method\":\"SUBSCRIBE\",\"params\":[\""
                + String.join("\",\"", batch)
                + "\"],\"id\":"
                + (++subscribeId)
                + "}";
        session
            .eventLoop()
            .schedule(
                () -> session.send(request),
                (i / SUBSCRIBE_BATCH) * SUBSCRIBE_SPACING_MS,
                TimeUnit.MILLISECONDS);
      }
      outlet.emit(
          List.of(events.connected(feed.url(), connectionId, streams.size(), market.nowMicros())));
    }

    @Override
    public void onClose(String connectionId, String reason, boolean reconnecting) {
      outlet.emit(
          List.of(
              events.disconnected(
                  feed.url(), connectionId, reason, reconnecting, market.nowMicros())));
    }

    @Override
    public void onMessage(ByteBuf content, long receivedMicros) {
      market.messages.incrementAndGet();
      int length = content.readableBytes();
      if (length > bytes.length) {
        bytes = new byte[Math.max(length, bytes.length * 2)];
      }
      content.getBytes(content.readerIndex(), bytes, 0, length);
      List<LakeRow> rows = new ArrayList<>(32);
      try {
        BinanceMessages.parse(bytes, length, message);
        handle(message, length, receivedMicros, rows);
      } catch (MessageException | IllegalArgumentException e) {
        market.rejected.incrementAndGet();
        rows.add(events.rejected(symbolOf(message), e.getMessage(), text(length), receivedMicros));
      }
      outlet.emit(rows);
    }

    private void handle(
        BinanceMessages.WsMessage parsed, int length, long receivedMicros, List<LakeRow> rows) {
      switch (parsed.kind) {
        case DEPTH -> {
          BookSync sync = syncs.get(parsed.depth.symbol);
          if (sync == null) {
            market.rejected.incrementAndGet();
            rows.add(
                events.rejected(
                    parsed.depth.symbol,
                    "depth event for a symbol not subscribed here",
                    text(length),
                    receivedMicros));
          } else {
            sync.onMessage(parsed.depth, receivedMicros, rows);
          }
        }
        case REPLY -> LOG.debug("{}: {}", market.name(), text(length));
        case ERROR -> {
          market.rejected.incrementAndGet();
          rows.add(
              events.rejected(
                  null, "error from Binance: " + parsed.error, text(length), receivedMicros));
        }
        default -> {
          market.rejected.incrementAndGet();
          rows.add(
              events.rejected(
                  null,
                  "unexpected message"
                      + (parsed.eventType == null ? "" : " of type " + parsed.eventType),
                  text(length),
                  receivedMicros));
        }
      }
    }

    private String symbolOf(BinanceMessages.WsMessage parsed) {
      String symbol = parsed.depth.symbol;
      return symbol != null && syncs.containsKey(symbol) ? symbol : null;
    }

    private String text(int length) {
      return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** Called by a book on this session's event loop. */
    private void requestSnapshot(BookSync sync, long delayMillis) {
      market
          .transport
          .scheduler()
          .schedule(() -> fetchSnapshot(sync), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void fetchSnapshot(BookSync sync) {
      if (closed) {
        return;
      }
      int limit = feed.snapshotLimit();
      URI uri =
          QueryString.of("symbol", sync.symbol()).and("limit", limit).appendTo(feed.snapshotUrl());
      int weight = BinanceRest.depthWeight(market.market, limit);
      market
          .rest
          .get(uri, weight)
          .thenApply(response -> BinanceRest.depth(response.body(), response.receivedMicros()))
          .whenComplete(
              (snapshot, error) ->
                  socket.eventLoop().execute(() -> onSnapshot(sync, snapshot, error, weight)));
    }

    private void onSnapshot(BookSync sync, DepthSnapshot snapshot, Throwable error, int weight) {
      if (error == null) {
        snapshotAttempts.remove(sync.symbol());
        failures.succeeded(market.name() + " snapshot of " + sync.symbol());
        List<LakeRow> rows = new ArrayList<>();
        sync.onSnapshot(snapshot.toBookMessage(sync.symbol()), snapshot.receivedMicros(), rows);
        outlet.emit(rows);
        return;
      }
      int attempt = snapshotAttempts.merge(sync.symbol(), 1, Integer::sum);
      Throwable cause =
          error instanceof java.util.concurrent.CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      long retry = Math.min(30_000, 500L << Math.min(attempt, 6));
      if (cause instanceof RestException rest && rest.rateLimited()) {
        retry = Math.max(retry, market.rest.delayFor(weight));
      }
      LOG.warn(
          "{}: snapshot of {} failed ({}); retrying in {} ms",
          market.name(),
          sync.symbol(),
          cause.getMessage(),
          retry);
      if (cause instanceof MessageException) {
        market.rejected.incrementAndGet();
        outlet.emit(
            List.of(
                events.rejected(
                    sync.symbol(),
                    "snapshot response: " + cause.getMessage(),
                    null,
                    market.nowMicros())));
      }
      sync.onSnapshotFailed(retry);
    }

    private void scheduleGrid() {
      if (closed) {
        return;
      }
      long interval = bookSnapshots.intervalMs();
      long now = market.transport.clock().nowMillis();
      long next = (now / interval + 1) * interval;
      socket.eventLoop().schedule(() -> takeSnapshots(next), next - now, TimeUnit.MILLISECONDS);
    }

    private void takeSnapshots(long gridMillis) {
      Set<String> wanted =
          bookSnapshots.symbols().all() ? null : Set.copyOf(bookSnapshots.symbols().symbols());
      List<LakeRow> rows = new ArrayList<>();
      long now = market.nowMicros();
      for (BookSync sync : syncs.values()) {
        if (wanted == null || wanted.contains(sync.symbol())) {
          OrderBookSnapshot snapshot = sync.snapshot(bookSnapshots.limit(), gridMillis, now);
          if (snapshot != null) {
            rows.add(snapshot);
          }
        }
      }
      outlet.emit(rows);
      scheduleGrid();
    }
  }

  /** For tests: the book syncs by symbol (read on their event loops only). */
  synchronized Map<String, BookSync> syncs() {
    Map<String, BookSync> all = new HashMap<>();
    for (Session session : sessions) {
      all.putAll(session.syncs);
    }
    return all;
  }
}
