package dev.lake.exchanges.stream;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.exchanges.FailureLog;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.RowSink;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.book.BookRules;
import dev.lake.exchanges.book.BookSnapshotGrid;
import dev.lake.exchanges.book.BookSync;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.transport.Transport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order-book streams of one venue market, for any venue: one {@link BookSync} per symbol by the
 * venue's {@link BookRules}, carried on a {@link StreamGroup}; books seeded from the venue's REST
 * snapshot (fetched within its budget, retried with back-off, a malformed answer recorded as a
 * {@code rejected_message} row) or, for venues that send the snapshot in the stream, by subscribing
 * the book's topic again; and, for {@code snapshots.source: book}, a {@link BookSnapshotGrid} over
 * each connection's books. A venue supplies only what is its own: topics, a frame reader and the
 * REST seed request ({@link Spec}).
 */
public final class BookStreams {
  private static final Logger LOG = LoggerFactory.getLogger(BookStreams.class);

  /** What a venue supplies. */
  public interface Spec {
    /** The stream topic of a symbol's book, e.g. {@code btcusdt@depth@100ms}. */
    String topic(String symbol);

    /**
     * A reader of one connection share's frames: parses each and hands the book messages to the
     * books (reused per share, called on its event loop only).
     */
    StreamGroup.Handler reader(Books books);

    /**
     * Fetches a REST snapshot of a symbol's book (venues whose rules seed from REST); the message's
     * {@code lastId} is the snapshot's update id.
     *
     * @return the snapshot and its receive time, or a failure ({@link MessageException} for an
     *     answer that cannot be read)
     */
    default CompletableFuture<Seed> fetchSeed(String symbol) {
      throw new UnsupportedOperationException("This venue seeds its books from the stream");
    }

    /**
     * How long a book seeded {@link BookRules.Seed#STREAM_OR_REST} waits for the stream's snapshot
     * after subscribing again before it fetches a REST snapshot instead.
     */
    default long streamSnapshotWaitMillis() {
      return 3_000;
    }

    /** The least wait before asking again after a failure (e.g. a rate limit's pause). */
    default long retryFloorMillis(Throwable cause) {
      return 0;
    }
  }

  /**
   * A REST snapshot that seeds a book.
   *
   * @param cover what this snapshot covers where a venue's snapshots differ in depth (KuCoin spot,
   *     signed or public), or null for what the book's {@link BookRules} say
   */
  public record Seed(BookMessage snapshot, long receivedMicros, BookRules.SeedCover cover) {
    public Seed {
      requireNonNull(snapshot, "snapshot is null");
    }

    /** A snapshot covering what the book's rules say. */
    public Seed(BookMessage snapshot, long receivedMicros) {
      this(snapshot, receivedMicros, null);
    }
  }

  /** The books of one connection share, as a venue's reader sees them. */
  public interface Books {
    /** Hands a parsed book message to its symbol's book; a symbol not carried here is rejected. */
    void onMessage(BookMessage message, Frame frame, List<LakeRow> rows);

    /** Whether this share carries a symbol's book (for the symbol of a rejected frame). */
    boolean carries(String symbol);

    /**
     * The venue's sequence over a whole connection broke, or the connection was lost (Coinbase):
     * every book of this share records a {@code gap} row and asks for a new full book ({@link
     * BookSync#onConnectionBreak}); nothing once these streams are closed (lake stopping). Outside
     * a frame's handling, pass a list and emit it with {@link #emit}.
     */
    void onConnectionBreak(String detail, long receivedMicros, List<LakeRow> rows);

    /** Emits rows made outside a frame's handling (e.g. when a connection closed). */
    void emit(List<LakeRow> rows);
  }

  private final String exchange;
  private final MarketType market;
  private final String name;
  private final BookRules rules;
  private final Spec spec;
  private final Transport transport;
  private final FeedSettings bookSnapshots;
  private final Map<String, Long> persisted;
  private final StreamGroup<Share> group;
  private final StreamEvents events;
  private final StreamCounters counters;
  private final Map<String, String> symbolByTopic = new ConcurrentHashMap<>();
  private final Map<String, Integer> seedAttempts = new ConcurrentHashMap<>();
  private final FailureLog failures = new FailureLog(LOG);
  private volatile boolean closed;

  /**
   * @param name for logs, e.g. {@code binance spot}
   * @param persisted the last update id persisted per symbol before this start
   * @param bookSnapshots the snapshot feed when its source is the local book, else null
   */
  public BookStreams(
      String exchange,
      MarketType market,
      String name,
      BookRules rules,
      Spec spec,
      StreamProtocol protocol,
      Transport transport,
      RowSink sink,
      StreamEvents events,
      StreamCounters counters,
      Map<String, Long> persisted,
      FeedSettings bookSnapshots) {
    this.exchange = requireNonNull(exchange, "exchange is null");
    this.market = requireNonNull(market, "market is null");
    this.name = requireNonNull(name, "name is null");
    this.rules = requireNonNull(rules, "rules is null");
    this.spec = requireNonNull(spec, "spec is null");
    this.transport = requireNonNull(transport, "transport is null");
    this.events = requireNonNull(events, "events is null");
    this.counters = requireNonNull(counters, "counters is null");
    this.persisted = Map.copyOf(persisted);
    this.bookSnapshots = bookSnapshots;
    this.group = new StreamGroup<>(transport, protocol, events, sink, counters, Share::new);
  }

  /** Starts collecting the books of symbols, filling connections up to the venue's limits. */
  public void add(Collection<String> symbols) {
    List<String> topics = new ArrayList<>();
    for (String symbol : symbols) {
      String topic = spec.topic(symbol);
      symbolByTopic.put(topic, symbol);
      topics.add(topic);
    }
    group.add(topics);
  }

  public void close() {
    closed = true;
    group.close();
    for (Share share : group.handlers()) {
      if (share.grid != null) {
        share.grid.stop();
      }
    }
  }

  public int openConnections() {
    return group.openConnections();
  }

  public long failedConnections() {
    return group.failedConnections();
  }

  /** Connections lost and being reopened. */
  public long reconnects() {
    return group.reconnects();
  }

  /** Sums a counter over every book; reads are racy but each counter only grows. */
  public long sum(ToLongFunction<BookSync> counter) {
    long total = 0;
    for (Share share : group.handlers()) {
      for (BookSync sync : share.syncs.values()) {
        total += counter.applyAsLong(sync);
      }
    }
    return total;
  }

  /**
   * The books' counters, summed in one pass so that they agree with each other (books in sync never
   * exceed books, as they could if each were summed on its own while books are added). Safe from
   * any thread, also while symbols are added: the books are found through concurrent maps, and each
   * book's counters are read racily, without stopping its event loop (each counter only grows; a
   * state read may be a moment old).
   */
  public Totals totals() {
    int books = 0;
    int inSync = 0;
    long validated = 0;
    long gaps = 0;
    long resyncs = 0;
    long duplicates = 0;
    long checksumMismatches = 0;
    for (Share share : group.handlers()) {
      for (BookSync sync : share.syncs.values()) {
        books++;
        inSync += sync.state() == BookSync.State.LIVE ? 1 : 0;
        validated += sync.validated();
        gaps += sync.gaps();
        resyncs += sync.resyncs();
        duplicates += sync.duplicates();
        checksumMismatches += sync.checksumMismatches();
      }
    }
    return new Totals(books, inSync, validated, gaps, resyncs, duplicates, checksumMismatches);
  }

  /**
   * The counters of every book of a {@link BookStreams}, read together.
   *
   * @param books books kept
   * @param booksInSync books whose every message is applied and checked now
   * @param validated messages checked in sequence
   * @param gaps sequence breaks recorded
   * @param resyncs full books loaded
   * @param duplicates messages dropped as already applied
   * @param checksumMismatches books found different from the venue's checksum
   */
  public record Totals(
      int books,
      int booksInSync,
      long validated,
      long gaps,
      long resyncs,
      long duplicates,
      long checksumMismatches) {}

  /** The book syncs by symbol (for tests; read on their event loops only). */
  public Map<String, BookSync> syncs() {
    Map<String, BookSync> all = new HashMap<>();
    for (Share share : group.handlers()) {
      all.putAll(share.syncs);
    }
    return all;
  }

  /** The books of one connection share, on its event loop. */
  private final class Share implements StreamGroup.Handler, Books {
    final StreamGroup.Share share;
    final Map<String, BookSync> syncs = new ConcurrentHashMap<>();
    // Books seeded STREAM_OR_REST whose seeding went to REST, until one loads (event loop only).
    final Set<String> restSeeding = new HashSet<>();
    final StreamGroup.Handler reader;
    final BookSnapshotGrid grid;

    Share(StreamGroup.Share share) {
      this.share = share;
      this.reader = spec.reader(this);
      this.grid =
          bookSnapshots == null
              ? null
              : new BookSnapshotGrid(
                  transport.clock(),
                  share.eventLoop(),
                  bookSnapshots,
                  syncs::values,
                  share.outlet());
      if (grid != null) {
        grid.start();
      }
    }

    @Override
    public void onTopic(String topic) {
      String symbol = symbolByTopic.get(topic);
      syncs.put(
          symbol,
          new BookSync(exchange, market, symbol, rules, persisted.get(symbol), this::requestSeed));
    }

    @Override
    public void onFrame(Frame frame, List<LakeRow> rows) {
      reader.onFrame(frame, rows);
    }

    @Override
    public void onClose(String connectionId) {
      reader.onClose(connectionId);
    }

    @Override
    public void onMessage(BookMessage message, Frame frame, List<LakeRow> rows) {
      BookSync sync = syncs.get(message.symbol);
      if (sync == null) {
        frame.reject(message.symbol, "depth event for a symbol not subscribed here", rows);
      } else {
        sync.onMessage(message, frame.receivedMicros(), rows);
      }
    }

    @Override
    public void onConnectionBreak(String detail, long receivedMicros, List<LakeRow> rows) {
      if (closed) {
        return; // lake's own stop closing its connections loses nothing
      }
      for (BookSync sync : syncs.values()) {
        sync.onConnectionBreak(detail, receivedMicros, rows);
      }
    }

    @Override
    public void emit(List<LakeRow> rows) {
      share.outlet().emit(rows);
    }

    @Override
    public boolean carries(String symbol) {
      return symbol != null && syncs.containsKey(symbol);
    }

    /** Called by a book on this share's event loop. */
    private void requestSeed(BookSync sync, long delayMillis) {
      transport.scheduler().schedule(() -> seed(sync), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void seed(BookSync sync) {
      if (closed) {
        return;
      }
      switch (rules.seed()) {
        case STREAM -> group.resubscribe(spec.topic(sync.symbol()));
        case REST -> fetch(sync);
        case STREAM_OR_REST -> share.eventLoop().execute(() -> seedStreamOrRest(sync));
      }
    }

    /**
     * Asks the stream again when it seeded this book last, falling back to REST when no snapshot
     * came in time; else (the venue sent none, or the fallback is under way) fetches from REST.
     */
    private void seedStreamOrRest(BookSync sync) {
      if (sync.streamSeeded() && !restSeeding.contains(sync.symbol())) {
        group.resubscribe(spec.topic(sync.symbol()));
        share
            .eventLoop()
            .schedule(
                () -> {
                  if (!closed && sync.state() == BookSync.State.SYNCING) {
                    restSeeding.add(sync.symbol());
                    fetch(sync);
                  }
                },
                spec.streamSnapshotWaitMillis(),
                TimeUnit.MILLISECONDS);
        return;
      }
      restSeeding.add(sync.symbol());
      fetch(sync);
    }

    private void fetch(BookSync sync) {
      spec.fetchSeed(sync.symbol())
          .whenComplete(
              (seed, error) -> share.eventLoop().execute(() -> onSeed(sync, seed, error)));
    }

    private void onSeed(BookSync sync, Seed seed, Throwable error) {
      String what = name + " snapshot of " + sync.symbol();
      if (error == null) {
        seedAttempts.remove(sync.symbol());
        failures.succeeded(what);
        List<LakeRow> rows = new ArrayList<>();
        sync.onSnapshot(seed.snapshot(), seed.cover(), seed.receivedMicros(), rows);
        if (sync.state() != BookSync.State.SYNCING) {
          restSeeding.remove(sync.symbol());
        }
        share.outlet().emit(rows);
        return;
      }
      int attempt = seedAttempts.merge(sync.symbol(), 1, Integer::sum);
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      long retry =
          Math.max(Math.min(30_000, 500L << Math.min(attempt, 6)), spec.retryFloorMillis(cause));
      failures.failed(what, what + " failed (" + cause.getMessage() + "); retrying with back-off");
      if (cause instanceof MessageException) {
        counters.rejected().incrementAndGet();
        share
            .outlet()
            .emit(
                List.of(
                    events.rejected(
                        sync.symbol(),
                        "snapshot response: " + cause.getMessage(),
                        null,
                        transport.clock().nowMicros())));
      }
      sync.onSnapshotFailed(retry);
    }
  }
}
