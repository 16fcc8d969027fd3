package dev.lake.testing.coinbase;

import dev.lake.core.model.PriceLevel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/**
 * The fake's book of one Coinbase product: levels as the text Coinbase writes. Coinbase books have
 * no ids; what a subscriber must see is every change in order. Not thread-safe: the fake serialises
 * its use.
 */
public final class CoinbaseBook {
  /** One level: {@code side} is {@code bid} or {@code offer}, quantity "0" removes it. */
  public record Level(String side, String price, String quantity) {}

  private final NavigableMap<BigDecimal, String> bids = new TreeMap<>(Collections.reverseOrder());
  private final NavigableMap<BigDecimal, String> asks = new TreeMap<>();
  private final Random random;
  private final BigDecimal mid;
  private final BigDecimal tick = new BigDecimal("0.01");
  private final int levels;

  CoinbaseBook(long seed, BigDecimal mid, int levels) {
    this.random = new Random(seed);
    this.mid = mid;
    this.levels = levels;
    for (int i = 1; i <= levels; i++) {
      bids.put(mid.subtract(tick.multiply(BigDecimal.valueOf(i))), quantity());
      asks.put(mid.add(tick.multiply(BigDecimal.valueOf(i))), quantity());
    }
  }

  private String quantity() {
    return BigDecimal.valueOf(1 + random.nextInt(99_999_999), 8)
        .stripTrailingZeros()
        .toPlainString();
  }

  /** The whole book as a snapshot's levels: bids best first, then offers best first. */
  List<Level> snapshot() {
    List<Level> all = new ArrayList<>();
    bids.forEach((price, quantity) -> all.add(new Level("bid", price.toPlainString(), quantity)));
    asks.forEach((price, quantity) -> all.add(new Level("offer", price.toPlainString(), quantity)));
    return all;
  }

  /** Changes {@code count} random levels (set, add or remove) and returns the changes. */
  List<Level> next(int count) {
    List<Level> changes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean bid = random.nextBoolean();
      NavigableMap<BigDecimal, String> side = bid ? bids : asks;
      int offset = 1 + random.nextInt(levels + 3);
      BigDecimal price =
          bid
              ? mid.subtract(tick.multiply(BigDecimal.valueOf(offset)))
              : mid.add(tick.multiply(BigDecimal.valueOf(offset)));
      String quantity = side.containsKey(price) && random.nextInt(4) == 0 ? "0" : quantity();
      if (quantity.equals("0")) {
        side.remove(price);
      } else {
        side.put(price, quantity);
      }
      changes.add(new Level(bid ? "bid" : "offer", price.toPlainString(), quantity));
    }
    return changes;
  }

  /** The bids, best first, as lake stores them. */
  public List<PriceLevel> bidLevels() {
    return levels(bids);
  }

  /** The offers, best first, as lake stores them. */
  public List<PriceLevel> askLevels() {
    return levels(asks);
  }

  private static List<PriceLevel> levels(NavigableMap<BigDecimal, String> side) {
    List<PriceLevel> out = new ArrayList<>();
    for (Map.Entry<BigDecimal, String> entry : side.entrySet()) {
      out.add(new PriceLevel(entry.getKey().doubleValue(), Double.parseDouble(entry.getValue())));
    }
    return out;
  }
}
