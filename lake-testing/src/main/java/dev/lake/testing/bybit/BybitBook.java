package dev.lake.testing.bybit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/**
 * The fake's order book of one symbol with Bybit's ids: {@code u} (one more per message on the
 * topic, 1 after a restart) and {@code seq} (the matching engine's version: increasing, not
 * contiguous). Prices are exact decimals; sizes are the text sent. Not thread-safe: the fake guards
 * it with its publishing lock.
 */
public final class BybitBook {
  private final NavigableMap<BigDecimal, String> bids = new TreeMap<>(Collections.reverseOrder());
  private final NavigableMap<BigDecimal, String> asks = new TreeMap<>();
  private final Random random;
  private final BigDecimal mid;
  private final BigDecimal tick = new BigDecimal("0.1");
  private long u;
  private long seq;

  BybitBook(long seed, BigDecimal mid, int levelsPerSide, long firstU) {
    this.random = new Random(seed);
    this.mid = mid;
    this.u = firstU;
    this.seq = firstU * 7;
    for (int i = 1; i <= levelsPerSide; i++) {
      bids.put(mid.subtract(tick.multiply(BigDecimal.valueOf(i))), size());
      asks.put(mid.add(tick.multiply(BigDecimal.valueOf(i))), size());
    }
  }

  /** The id of the last message: the snapshot a new subscriber gets is at this id. */
  public synchronized long lastUpdateId() {
    return u;
  }

  /** Bids, best (highest) first, as price to size. */
  public synchronized NavigableMap<Double, Double> bids() {
    return copy(bids, true);
  }

  /** Asks, best (lowest) first, as price to size. */
  public synchronized NavigableMap<Double, Double> asks() {
    return copy(asks, false);
  }

  private static NavigableMap<Double, Double> copy(
      NavigableMap<BigDecimal, String> side, boolean descending) {
    NavigableMap<Double, Double> copy =
        descending ? new TreeMap<>(Collections.reverseOrder()) : new TreeMap<>();
    side.forEach((price, size) -> copy.put(price.doubleValue(), Double.parseDouble(size)));
    return copy;
  }

  /** A message body (Bybit's {@code data}) of the whole book, top {@code limit} levels a side. */
  synchronized String snapshotData(String symbol, int limit) {
    return data(symbol, top(bids, limit), top(asks, limit), u, seq);
  }

  /** Changes levels and moves the ids on; returns the delta's {@code data}. */
  synchronized String nextDelta(String symbol, int changes) {
    List<String[]> bidChanges = new ArrayList<>();
    List<String[]> askChanges = new ArrayList<>();
    for (int i = 0; i < changes; i++) {
      boolean bid = random.nextBoolean();
      change(bid ? bids : asks, bid, bid ? bidChanges : askChanges);
    }
    u++;
    seq += 1 + random.nextInt(50);
    return data(symbol, bidChanges, askChanges, u, seq);
  }

  /** The venue restarted: ids start over at {@code u = 1}; returns the whole book's data. */
  synchronized String restart(String symbol) {
    u = 1;
    seq += 1000;
    return snapshotData(symbol, Integer.MAX_VALUE);
  }

  private void change(NavigableMap<BigDecimal, String> side, boolean bid, List<String[]> out) {
    int kind = random.nextInt(3);
    if (kind == 0 && side.size() > 5) {
      BigDecimal price = pick(side);
      side.remove(price);
      out.add(new String[] {price.toPlainString(), "0"});
    } else if (kind == 1 && !side.isEmpty()) {
      BigDecimal price = pick(side);
      String size = size();
      side.put(price, size);
      out.add(new String[] {price.toPlainString(), size});
    } else {
      BigDecimal offset = tick.multiply(BigDecimal.valueOf(1 + random.nextInt(80)));
      BigDecimal price = bid ? mid.subtract(offset) : mid.add(offset);
      String size = size();
      side.put(price, size);
      out.add(new String[] {price.toPlainString(), size});
    }
  }

  private BigDecimal pick(NavigableMap<BigDecimal, String> side) {
    int index = random.nextInt(side.size());
    for (BigDecimal price : side.keySet()) {
      if (index-- == 0) {
        return price;
      }
    }
    throw new IllegalStateException("Cannot pick a level of an empty side");
  }

  private String size() {
    return BigDecimal.valueOf(1 + random.nextInt(50_000), 3).stripTrailingZeros().toPlainString();
  }

  private static List<String[]> top(NavigableMap<BigDecimal, String> side, int limit) {
    List<String[]> levels = new ArrayList<>();
    for (Map.Entry<BigDecimal, String> level : side.entrySet()) {
      if (levels.size() == limit) {
        break;
      }
      levels.add(new String[] {level.getKey().toPlainString(), level.getValue()});
    }
    return levels;
  }

  private static String data(String symbol, List<String[]> b, List<String[]> a, long u, long seq) {
    return "{\"s\":\""
        + symbol
        + "\",\"b\":"
        + levels(b)
        + ",\"a\":"
        + levels(a)
        + ",\"u\":"
        + u
        + ",\"seq\":"
        + seq
        + "}";
  }

  private static String levels(List<String[]> levels) {
    StringBuilder text = new StringBuilder("[");
    for (String[] level : levels) {
      text.append(text.length() == 1 ? "" : ",")
          .append("[\"")
          .append(level[0])
          .append("\",\"")
          .append(level[1])
          .append("\"]");
    }
    return text.append(']').toString();
  }
}
