package dev.lake.testing.okx;

import dev.lake.core.model.PriceLevel;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The fake's book of one OKX instrument: levels as the text OKX writes ({@code px}, {@code sz}),
 * sequence ids, and OKX's checksum, computed here independently of lake's production code. Sizes
 * are in the instrument's unit on the wire (contracts for SWAP and FUTURES). Not thread-safe: the
 * fake serialises its use.
 */
public final class OkxBook {
  /** One level change or a whole side's level: price and size text ("0" removes). */
  public record Level(String price, String size) {}

  /** One push of the books channel (or what a REST answer would hold at that point). */
  public record Update(
      long prevSeqId, long seqId, long ts, List<Level> bids, List<Level> asks, int checksum) {}

  private final NavigableMap<BigDecimal, String> bids = new TreeMap<>(Collections.reverseOrder());
  private final NavigableMap<BigDecimal, String> asks = new TreeMap<>();
  private final Random random;
  private final BigDecimal tick;
  private final boolean contracts;
  private long seqId;
  private boolean restartIds;
  private final List<Snapshot> history = new ArrayList<>();

  private record Snapshot(long seqId, long ts, List<Level> bids, List<Level> asks) {}

  OkxBook(long seed, BigDecimal mid, BigDecimal tick, boolean contracts, int levels) {
    this.random = new Random(seed);
    this.tick = tick;
    this.contracts = contracts;
    this.seqId = 1000 + random.nextInt(1000);
    for (int i = 1; i <= levels; i++) {
      bids.put(mid.subtract(tick.multiply(BigDecimal.valueOf(i))), size());
      asks.put(mid.add(tick.multiply(BigDecimal.valueOf(i))), size());
    }
    remember(System.currentTimeMillis());
  }

  private String size() {
    return contracts
        ? Integer.toString(1 + random.nextInt(500))
        : BigDecimal.valueOf(1 + random.nextInt(99_999), 4).toPlainString();
  }

  public long seqId() {
    return seqId;
  }

  /** The bids, best first: price to size text. */
  public NavigableMap<BigDecimal, String> bids() {
    return Collections.unmodifiableNavigableMap(bids);
  }

  public NavigableMap<BigDecimal, String> asks() {
    return Collections.unmodifiableNavigableMap(asks);
  }

  /**
   * The bids, best first, with sizes times {@code unit} (ctVal; "1" for spot) as lake stores them.
   */
  public List<PriceLevel> bidLevels(String unit) {
    return scaled(bids, unit);
  }

  /** The asks, best first, with sizes times {@code unit}. */
  public List<PriceLevel> askLevels(String unit) {
    return scaled(asks, unit);
  }

  private static List<PriceLevel> scaled(Map<BigDecimal, String> side, String unit) {
    BigDecimal factor = new BigDecimal(unit);
    List<PriceLevel> levels = new ArrayList<>(side.size());
    side.forEach(
        (price, size) ->
            levels.add(
                new PriceLevel(
                    price.doubleValue(), new BigDecimal(size).multiply(factor).doubleValue())));
    return levels;
  }

  /** The whole book now as a snapshot push ({@code prevSeqId = -1}). */
  Update snapshot(long ts) {
    return new Update(-1, seqId, ts, levels(bids), levels(asks), checksum());
  }

  /** The book as it was {@code updatesAgo} updates ago (0: now), as a REST answer holds it. */
  Update past(int updatesAgo) {
    Snapshot snapshot = history.get(Math.max(0, history.size() - 1 - updatesAgo));
    return new Update(-1, snapshot.seqId, snapshot.ts, snapshot.bids, snapshot.asks, 0);
  }

  /** Changes random levels, advancing seqId by an irregular step. */
  Update next(int changes, long ts) {
    List<Level> changedBids = new ArrayList<>();
    List<Level> changedAsks = new ArrayList<>();
    for (int i = 0; i < changes; i++) {
      boolean bid = random.nextBoolean();
      NavigableMap<BigDecimal, String> side = bid ? bids : asks;
      List<Level> changed = bid ? changedBids : changedAsks;
      int action = random.nextInt(3);
      if (action == 0 && side.size() > 5) {
        BigDecimal price = new ArrayList<>(side.keySet()).get(random.nextInt(side.size()));
        if (changed.stream().noneMatch(l -> new BigDecimal(l.price()).compareTo(price) == 0)) {
          side.remove(price);
          changed.add(new Level(price.toPlainString(), "0"));
        }
      } else {
        BigDecimal best = side.firstKey();
        BigDecimal offset = tick.multiply(BigDecimal.valueOf(random.nextInt(20)));
        BigDecimal price = bid ? best.subtract(offset) : best.add(offset);
        if (changed.stream().noneMatch(l -> new BigDecimal(l.price()).compareTo(price) == 0)) {
          String size = size();
          side.put(price, size);
          changed.add(new Level(price.toPlainString(), size));
        }
      }
    }
    long prev = seqId;
    seqId = restartIds ? Math.max(1, seqId / 10) : seqId + 1 + random.nextInt(90);
    restartIds = false;
    remember(ts);
    return new Update(prev, seqId, ts, changedBids, changedAsks, checksum());
  }

  /** A push that changes nothing: empty sides, {@code seqId == prevSeqId}. */
  Update heartbeat(long ts) {
    return new Update(seqId, seqId, ts, List.of(), List.of(), checksum());
  }

  /** After OKX maintenance: the next update's seqId is smaller than its prevSeqId. */
  void restartIds() {
    restartIds = true;
  }

  private void remember(long ts) {
    history.add(new Snapshot(seqId, ts, levels(bids), levels(asks)));
    if (history.size() > 200) {
      history.remove(0);
    }
  }

  private static List<Level> levels(Map<BigDecimal, String> side) {
    List<Level> levels = new ArrayList<>(side.size());
    side.forEach((price, size) -> levels.add(new Level(price.toPlainString(), size)));
    return levels;
  }

  /** OKX's checksum: CRC32 over the top 25 levels, bid and ask interleaved, as a signed int. */
  int checksum() {
    List<Level> bidLevels = levels(bids);
    List<Level> askLevels = levels(asks);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      if (i < bidLevels.size()) {
        append(text, bidLevels.get(i));
      }
      if (i < askLevels.size()) {
        append(text, askLevels.get(i));
      }
    }
    CRC32 crc = new CRC32();
    crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
    return (int) crc.getValue();
  }

  private static void append(StringBuilder text, Level level) {
    if (text.length() > 0) {
      text.append(':');
    }
    text.append(level.price()).append(':').append(level.size());
  }
}
