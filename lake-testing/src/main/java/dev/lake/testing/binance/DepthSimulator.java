package dev.lake.testing.binance;

import dev.lake.core.model.MarketType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Changes one book at random (seeded) and numbers the changes the way Binance does. Spot events are
 * contiguous ({@code U == previous u + 1}); futures ids jump and {@code pu} links each event to the
 * previous one. Each event covers 1 to 5 update ids.
 *
 * <p>Thread-safety: {@link #next} changes the book under its lock; callers serialise calls to
 * {@link #next} so ids are handed out in order.
 */
final class DepthSimulator {
  private static final long BTC_MID_TICKS = 6_000_000L;
  private static final long OTHER_MID_TICKS = 300_000L;
  private static final int MAX_TICKS_BETWEEN_LEVELS = 3;
  private static final int MAX_IDS_PER_EVENT = 5;
  private static final int MAX_FUTURES_ID_JUMP = 50;
  private static final int ATTEMPTS_PER_CHANGE = 20;

  private final MarketType market;
  private final String symbol;
  private final FakeBook book;
  private final Random random;
  private final long maxLots;

  private DepthSimulator(MarketType market, String symbol, FakeBook book, Random random) {
    this.market = market;
    this.symbol = symbol;
    this.book = book;
    this.random = random;
    this.maxLots = 2 * (long) Math.pow(10, book.decimals().quantityScale());
  }

  /** A simulator whose book has {@code levelsPerSide} levels each side around the mid price. */
  static DepthSimulator create(
      MarketType market, String symbol, String baseAsset, int levelsPerSide, Random random) {
    long firstId = market == MarketType.SPOT ? 1_000_000_000L : 5_000_000_000L;
    FakeBook book = new FakeBook(Decimals.of(market), firstId + random.nextInt(1_000_000));
    DepthSimulator simulator = new DepthSimulator(market, symbol, book, random);
    simulator.seed("BTC".equals(baseAsset) ? BTC_MID_TICKS : OTHER_MID_TICKS, levelsPerSide);
    return simulator;
  }

  FakeBook book() {
    return book;
  }

  /** Changes {@code changes} distinct levels, advances the ids and describes it as an event. */
  DepthEvent next(int changes, long eventTimeMs) {
    synchronized (book) {
      TreeMap<Long, Long> bidChanges = new TreeMap<>(Comparator.reverseOrder());
      TreeMap<Long, Long> askChanges = new TreeMap<>();
      for (int i = 0; i < changes; i++) {
        changeOneLevel(bidChanges, askChanges);
      }
      long previous = book.lastUpdateId();
      long first =
          previous + (market == MarketType.SPOT ? 1 : 1 + random.nextInt(MAX_FUTURES_ID_JUMP));
      long last = first + random.nextInt(MAX_IDS_PER_EVENT);
      book.lastUpdateId(last);
      return event(eventTimeMs, first, last, previous, bidChanges, askChanges);
    }
  }

  private void seed(long midTicks, int levelsPerSide) {
    synchronized (book) {
      long bid = midTicks;
      long ask = midTicks;
      for (int i = 0; i < levelsPerSide; i++) {
        bid -= 1 + random.nextInt(MAX_TICKS_BETWEEN_LEVELS);
        ask += 1 + random.nextInt(MAX_TICKS_BETWEEN_LEVELS);
        book.side(true).put(bid, randomLots());
        book.side(false).put(ask, randomLots());
      }
    }
  }

  /** One change to a level not yet changed in this event: a removal, a new level or a new size. */
  private void changeOneLevel(Map<Long, Long> bidChanges, Map<Long, Long> askChanges) {
    boolean bid = random.nextBoolean();
    TreeMap<Long, Long> side = book.side(bid);
    Map<Long, Long> changed = bid ? bidChanges : askChanges;
    for (int attempt = 0; attempt < ATTEMPTS_PER_CHANGE; attempt++) {
      int kind = side.isEmpty() ? 1 : random.nextInt(3);
      long price = kind == 1 ? newPrice(bid) : existingPrice(side);
      if (price <= 0 || changed.containsKey(price)) {
        continue;
      }
      long lots = kind == 0 && side.size() > 1 ? 0 : randomLots();
      if (lots == 0) {
        side.remove(price);
      } else {
        side.put(price, lots);
      }
      changed.put(price, lots);
      return;
    }
  }

  /** A price on the given side that does not cross the other side. */
  private long newPrice(boolean bid) {
    TreeMap<Long, Long> side = book.side(bid);
    TreeMap<Long, Long> other = book.side(!bid);
    int spread = Math.max(2, 2 * side.size());
    if (other.isEmpty()) {
      long best = side.isEmpty() ? OTHER_MID_TICKS : side.firstKey();
      return bid ? best - random.nextInt(spread) : best + random.nextInt(spread);
    }
    long bestOther = other.firstKey();
    return bid ? bestOther - 1 - random.nextInt(spread) : bestOther + 1 + random.nextInt(spread);
  }

  private long existingPrice(TreeMap<Long, Long> side) {
    int index = random.nextInt(side.size());
    for (long price : side.keySet()) {
      if (index-- == 0) {
        return price;
      }
    }
    throw new IllegalStateException("Cannot pick a level: the side changed while reading it");
  }

  private long randomLots() {
    return 1 + (long) (random.nextDouble() * maxLots);
  }

  private DepthEvent event(
      long eventTimeMs,
      long first,
      long last,
      long previous,
      Map<Long, Long> bidChanges,
      Map<Long, Long> askChanges) {
    List<String[]> bids = levels(bidChanges);
    List<String[]> asks = levels(askChanges);
    boolean futures = market == MarketType.FUTURE;
    Long prev = futures ? previous : null;
    Long transactionTime = futures ? eventTimeMs - random.nextInt(10) : null;
    String json =
        StreamMessages.depthUpdate(
            symbol, eventTimeMs, transactionTime, first, last, prev, bids, asks);
    return new DepthEvent(symbol, first, last, prev, eventTimeMs, bids, asks, json);
  }

  private List<String[]> levels(Map<Long, Long> changes) {
    List<String[]> levels = new ArrayList<>(changes.size());
    changes.forEach((ticks, lots) -> levels.add(book.decimals().level(ticks, lots)));
    return levels;
  }
}
