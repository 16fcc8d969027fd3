package dev.lake.exchanges.binance;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.exchanges.FailureLog;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.book.BookSnapshotGrid;
import dev.lake.exchanges.book.BookSync;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.StreamCounters;
import dev.lake.exchanges.stream.StreamGroup;
import dev.lake.exchanges.transport.QueryString;
import dev.lake.exchanges.transport.RestException;
import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The diff-depth streams of one Binance market on the shared {@link StreamGroup}: Binance's stream
 * names, one {@link BookSync} per symbol by Binance's rules, and the REST snapshot that seeds a
 * book (within the weight budget); for {@code snapshots.source: book}, a {@link BookSnapshotGrid}
 * over each connection's books.
 */
final class BinanceDepthStreams {
  private static final Logger LOG = LoggerFactory.getLogger(BinanceDepthStreams.class);

  private final BinanceMarket market;
  private final FeedSettings feed;
  private final FeedSettings bookSnapshots;
  private final StreamEvents events;
  private final StreamGroup<Books> group;
  private final Map<String, String> symbolByStream = new ConcurrentHashMap<>();
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
    BinanceStreams protocol =
        new BinanceStreams(
            feed.url(),
            market.context.streamsPerConnection(),
            WebSocketSession.Options.defaults(market.name() + " depth"));
    this.group =
        new StreamGroup<>(
            market.transport,
            protocol,
            events,
            market.context.sink(),
            new StreamCounters(market.messages, market.rejected),
            Books::new);
  }

  /** Starts collecting symbols, filling connections up to the streams each may carry. */
  void add(Collection<String> symbols) {
    List<String> streams = new ArrayList<>();
    for (String symbol : symbols) {
      String stream = streamName(symbol);
      symbolByStream.put(stream, symbol);
      streams.add(stream);
    }
    group.add(streams);
  }

  void close() {
    closed = true;
    group.close();
    for (Books books : group.handlers()) {
      if (books.grid != null) {
        books.grid.stop();
      }
    }
  }

  int openConnections() {
    return group.openConnections();
  }

  long failedConnections() {
    return group.failedConnections();
  }

  /** Sums a counter over every book; reads are racy but each counter only grows. */
  long sum(ToLongFunction<BookSync> counter) {
    long total = 0;
    for (Books books : group.handlers()) {
      for (BookSync sync : books.syncs.values()) {
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

  /** For tests: the book syncs by symbol (read on their event loops only). */
  Map<String, BookSync> syncs() {
    Map<String, BookSync> all = new HashMap<>();
    for (Books books : group.handlers()) {
      all.putAll(books.syncs);
    }
    return all;
  }

  /** The books of one connection share, on its event loop. */
  private final class Books implements StreamGroup.Handler {
    final StreamGroup.Share share;
    final Map<String, BookSync> syncs = new ConcurrentHashMap<>();
    final BinanceFrames frames;
    final BookSnapshotGrid grid;

    Books(StreamGroup.Share share) {
      this.share = share;
      this.frames =
          new BinanceFrames(
              market.name(), BinanceMessages.Kind.DEPTH, this::onDepth, this::symbolOf);
      this.grid =
          bookSnapshots == null
              ? null
              : new BookSnapshotGrid(
                  market.transport.clock(),
                  share.eventLoop(),
                  bookSnapshots,
                  syncs::values,
                  share.outlet());
      if (grid != null) {
        grid.start();
      }
    }

    @Override
    public void onTopic(String stream) {
      String symbol = symbolByStream.get(stream);
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

    @Override
    public void onFrame(Frame frame, List<LakeRow> rows) {
      frames.read(frame, rows);
    }

    private void onDepth(BinanceMessages.WsMessage parsed, Frame frame, List<LakeRow> rows) {
      BookSync sync = syncs.get(parsed.depth.symbol);
      if (sync == null) {
        frame.reject(parsed.depth.symbol, "depth event for a symbol not subscribed here", rows);
      } else {
        sync.onMessage(parsed.depth, frame.receivedMicros(), rows);
      }
    }

    private String symbolOf(BinanceMessages.WsMessage parsed) {
      String symbol = parsed.depth.symbol;
      return symbol != null && syncs.containsKey(symbol) ? symbol : null;
    }

    /** Called by a book on this share's event loop. */
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
                  share.eventLoop().execute(() -> onSnapshot(sync, snapshot, error, weight)));
    }

    private void onSnapshot(BookSync sync, DepthSnapshot snapshot, Throwable error, int weight) {
      if (error == null) {
        snapshotAttempts.remove(sync.symbol());
        failures.succeeded(market.name() + " snapshot of " + sync.symbol());
        List<LakeRow> rows = new ArrayList<>();
        sync.onSnapshot(snapshot.toBookMessage(sync.symbol()), snapshot.receivedMicros(), rows);
        share.outlet().emit(rows);
        return;
      }
      int attempt = snapshotAttempts.merge(sync.symbol(), 1, Integer::sum);
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
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
        share
            .outlet()
            .emit(
                List.of(
                    events.rejected(
                        sync.symbol(),
                        "snapshot response: " + cause.getMessage(),
                        null,
                        market.nowMicros())));
      }
      sync.onSnapshotFailed(retry);
    }
  }
}
