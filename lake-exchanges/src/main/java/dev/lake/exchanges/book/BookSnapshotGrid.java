package dev.lake.exchanges.book;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.MicrosClock;
import dev.lake.exchanges.Outlet;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code orderbook.snapshots} with {@code source: book}, for any venue: on an exact wall-clock grid
 * of the feed's {@code interval_ms}, one {@code orderbook_snapshot} row of the feed's {@code limit}
 * levels from every validated book the feed selects, at no REST cost. Books out of sync are
 * skipped. Runs on the books' event loop, as the books are confined to it.
 */
public final class BookSnapshotGrid {
  private final MicrosClock clock;
  private final EventLoop loop;
  private final FeedSettings feed;
  private final Set<String> wanted;
  private final Supplier<? extends Collection<BookSync>> books;
  private final Outlet outlet;
  private volatile boolean stopped;

  /**
   * @param feed the snapshot feed: its interval, levels and symbols ({@code all}: every book)
   * @param books the books kept on {@code loop}
   */
  public BookSnapshotGrid(
      MicrosClock clock,
      EventLoop loop,
      FeedSettings feed,
      Supplier<? extends Collection<BookSync>> books,
      Outlet outlet) {
    this.clock = requireNonNull(clock, "clock is null");
    this.loop = requireNonNull(loop, "loop is null");
    this.feed = requireNonNull(feed, "feed is null");
    this.books = requireNonNull(books, "books is null");
    this.outlet = requireNonNull(outlet, "outlet is null");
    if (feed.intervalMs() < 1) {
      throw new IllegalArgumentException(
          "Invalid snapshot interval: " + feed.intervalMs() + " ms (expected at least 1)");
    }
    this.wanted = feed.symbols().all() ? null : Set.copyOf(feed.symbols().symbols());
  }

  /** Schedules the next point of the grid, and each after it until {@link #stop}. */
  public void start() {
    if (stopped) {
      return;
    }
    long interval = feed.intervalMs();
    long now = clock.nowMillis();
    long next = (now / interval + 1) * interval;
    loop.schedule(() -> take(next), next - now, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  public void stop() {
    stopped = true;
  }

  private void take(long gridMillis) {
    if (stopped) {
      return;
    }
    List<LakeRow> rows = new ArrayList<>();
    long now = clock.nowMicros();
    for (BookSync sync : books.get()) {
      if (wanted == null || wanted.contains(sync.symbol())) {
        OrderBookSnapshot snapshot = sync.snapshot(feed.limit(), gridMillis, now);
        if (snapshot != null) {
          rows.add(snapshot);
        }
      }
    }
    outlet.emit(rows);
    start();
  }
}
