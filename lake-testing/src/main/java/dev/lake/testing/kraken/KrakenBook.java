package dev.lake.testing.kraken;

import dev.lake.core.model.PriceLevel;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The fake's whole book of one Kraken pair or futures product: levels as the text Kraken writes
 * (spot quantities with 8 decimals, trailing zeros kept), and, computed here independently of
 * lake's production code, what a subscriber of a depth sees: the top levels, the update a change
 * makes at that depth (levels that leave it get no delete, as on Kraken), and the v2 checksum. Not
 * thread-safe: the fake serialises its use.
 */
public final class KrakenBook {
  /** One level: price and quantity text ("0" removes). */
  public record Level(String price, String qty) {}

  /** One change of the whole book: a side, a price and its new quantity (0 removes). */
  public record Change(boolean bid, Level level) {}

  private final NavigableMap<BigDecimal, String> bids = new TreeMap<>(Collections.reverseOrder());
  private final NavigableMap<BigDecimal, String> asks = new TreeMap<>();
  private final Random random;
  private final BigDecimal mid;
  private final BigDecimal tick;
  private final boolean futures;

  KrakenBook(long seed, BigDecimal mid, BigDecimal tick, boolean futures, int levels) {
    this.random = new Random(seed);
    this.mid = mid;
    this.tick = tick;
    this.futures = futures;
    for (int i = 1; i <= levels; i++) {
      bids.put(mid.subtract(tick.multiply(BigDecimal.valueOf(2L * i))), qty());
      asks.put(mid.add(tick.multiply(BigDecimal.valueOf(2L * i))), qty());
    }
  }

  private String qty() {
    return futures
        ? (1 + random.nextInt(50_000)) + ".0"
        : BigDecimal.valueOf(1 + random.nextInt(99_999_999), 8).toPlainString();
  }

  /**
   * Random changes: a quantity changed, a level added inside the top (pushing the last level of a
   * depth out of it), or a top level removed (bringing the next one into it).
   */
  List<Change> randomChanges(int count) {
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean bid = random.nextBoolean();
      NavigableMap<BigDecimal, String> side = bid ? bids : asks;
      List<BigDecimal> prices = new ArrayList<>(side.keySet());
      int kind = random.nextInt(3);
      Change change;
      if (kind == 0 && prices.size() > 4) {
        change = new Change(bid, new Level(prices.get(random.nextInt(4)).toPlainString(), "0"));
      } else if (kind == 1) {
        BigDecimal step = tick.multiply(BigDecimal.valueOf(1 + 2L * random.nextInt(6)));
        BigDecimal price = bid ? mid.subtract(step) : mid.add(step);
        change = new Change(bid, new Level(price.toPlainString(), qty()));
      } else {
        BigDecimal price = prices.get(random.nextInt(Math.min(prices.size(), 12)));
        change = new Change(bid, new Level(price.toPlainString(), qty()));
      }
      apply(change);
      changes.add(change);
    }
    return changes;
  }

  void apply(Change change) {
    NavigableMap<BigDecimal, String> side = change.bid() ? bids : asks;
    BigDecimal price = new BigDecimal(change.level().price());
    if (new BigDecimal(change.level().qty()).signum() == 0) {
      side.remove(price);
    } else {
      side.put(price, change.level().qty());
    }
  }

  /** The best {@code depth} levels of a side, as text. */
  public List<Level> top(boolean bid, int depth) {
    List<Level> levels = new ArrayList<>();
    for (Map.Entry<BigDecimal, String> entry : (bid ? bids : asks).entrySet()) {
      if (levels.size() == depth) {
        break;
      }
      levels.add(new Level(entry.getKey().toPlainString(), entry.getValue()));
    }
    return levels;
  }

  /** The best {@code depth} levels of a side as numbers, to compare with a rebuilt book. */
  public List<PriceLevel> levels(boolean bid, int depth) {
    return top(bid, depth).stream()
        .map(l -> new PriceLevel(Double.parseDouble(l.price()), Double.parseDouble(l.qty())))
        .toList();
  }

  /**
   * What a subscriber of {@code depth} levels is sent for a change from {@code before} to the
   * current top: levels new or changed in the top, and deletes of levels removed from the book; a
   * level merely pushed out of the top is not sent.
   */
  List<Level> update(boolean bid, List<Level> before, int depth, List<Change> changes) {
    List<Level> after = top(bid, depth);
    List<Level> sent = new ArrayList<>();
    for (Level level : after) {
      if (!before.contains(level)) {
        sent.add(level);
      }
    }
    for (Level level : before) {
      boolean removed =
          changes.stream()
              .anyMatch(
                  c ->
                      c.bid() == bid
                          && new BigDecimal(c.level().price())
                                  .compareTo(new BigDecimal(level.price()))
                              == 0
                          && new BigDecimal(c.level().qty()).signum() == 0);
      boolean stillThere = (bid ? bids : asks).containsKey(new BigDecimal(level.price()));
      if (removed && !stillThere && sent.stream().noneMatch(l -> samePrice(l, level))) {
        sent.add(new Level(level.price(), "0.00000000"));
      }
    }
    return sent;
  }

  private static boolean samePrice(Level a, Level b) {
    return new BigDecimal(a.price()).compareTo(new BigDecimal(b.price())) == 0;
  }

  /**
   * Kraken v2's checksum of a subscriber's book: CRC32 of the top 10 asks then the top 10 bids,
   * each price then quantity with the dot removed and leading zeros stripped.
   */
  public int checksum(int depth) {
    StringBuilder text = new StringBuilder();
    for (Level level : top(false, Math.min(10, depth))) {
      text.append(strip(level.price())).append(strip(level.qty()));
    }
    for (Level level : top(true, Math.min(10, depth))) {
      text.append(strip(level.price())).append(strip(level.qty()));
    }
    CRC32 crc = new CRC32();
    crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
    return (int) crc.getValue();
  }

  private static String strip(String number) {
    return number.replace(".", "").replaceFirst("^0+", "");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KrakenBook book && bids.equals(book.bids) && asks.equals(book.asks);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bids, asks);
  }
}
