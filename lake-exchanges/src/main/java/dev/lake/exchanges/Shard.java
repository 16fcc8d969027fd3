package dev.lake.exchanges;

import dev.lake.core.model.MarketType;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * One process's share of the books when several {@code lake ingest} processes split them: shard
 * {@code index} of {@code of} keeps the symbols whose {@link #hash} modulo {@code of} is {@code
 * index}. The hash depends only on the venue, market and symbol text, so every process, of any
 * version or language, agrees on which shard a book belongs to, and shards {@code 0..of-1} together
 * keep every book exactly once.
 *
 * @param index this process's shard, from 0 to {@code of - 1}
 * @param of how many shards there are, at least 1
 * @throws IllegalArgumentException when index is not in [0, of) or of is below 1
 */
public record Shard(int index, int of) {
  public Shard {
    if (of < 1) {
      throw new IllegalArgumentException(
          "Invalid shard count: " + of + " (expected at least 1 in shard.of)");
    }
    if (index < 0 || index >= of) {
      throw new IllegalArgumentException(
          "Invalid shard index: "
              + index
              + " (expected 0 to "
              + (of - 1)
              + " for of: "
              + of
              + "; indexes count from 0)");
    }
  }

  /** The whole: one shard that keeps everything. */
  public static Shard whole() {
    return new Shard(0, 1);
  }

  /** True when this shard keeps everything. */
  public boolean isWhole() {
    return of == 1;
  }

  /**
   * The stable hash of a book: CRC-32 (the ISO-HDLC polynomial of zlib, {@link CRC32}, Python's
   * {@code zlib.crc32}) of the UTF-8 bytes of {@code exchange|market|symbol}, as an unsigned value,
   * e.g. {@code binance|spot|BTCUSDT}. Market is {@code spot} or {@code future}; symbol is the
   * venue's text as configured.
   */
  public static long hash(String exchange, MarketType market, String symbol) {
    CRC32 crc = new CRC32();
    crc.update((exchange + "|" + market.text() + "|" + symbol).getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }

  /** Whether this shard collects a book. */
  public boolean keeps(String exchange, MarketType market, String symbol) {
    return of == 1 || hash(exchange, market, symbol) % of == index;
  }

  /**
   * Whether this shard collects the feeds that are not split by book ({@code contracts}, {@code
   * liquidation}, {@code open_interest}, {@code funding_rate}): shard 0 alone.
   */
  public boolean keepsMarketWideFeeds() {
    return index == 0;
  }

  @Override
  public String toString() {
    return "shard " + index + " of " + of;
  }
}
