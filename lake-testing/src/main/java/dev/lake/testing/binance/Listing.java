package dev.lake.testing.binance;

import dev.lake.core.model.MarketType;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * One symbol listed on one market: what exchangeInfo shows, its book and simulator, its open
 * interest and funding. Thread-safety: the mutable fields are volatile; {@link #lastSent} is
 * guarded by the server's publish lock.
 */
final class Listing {
  /** The last funding rate and the next funding time, as premiumIndex shows them. */
  record Funding(String lastFundingRate, long nextFundingTimeMs) {}

  private static final long EIGHT_HOURS_MS = 8 * 3_600_000L;
  private static final long ONBOARD_DATE_MS = 1_569_398_400_000L;

  final MarketType market;
  final String symbol;
  final String baseAsset;
  final String quoteAsset;
  final DepthSimulator depth;
  volatile String openInterest;
  volatile Funding funding;
  DepthEvent lastSent;

  /** The id of the symbol's last trade, contiguous from 1; guarded by the publish lock. */
  long lastTradeId;

  private Listing(
      MarketType market, String symbol, String baseAsset, String quoteAsset, DepthSimulator depth) {
    this.market = market;
    this.symbol = symbol;
    this.baseAsset = baseAsset;
    this.quoteAsset = quoteAsset;
    this.depth = depth;
  }

  /** A listing whose book (seeded by market and symbol) has {@code levelsPerSide} levels a side. */
  static Listing create(
      MarketType market, String symbol, String baseAsset, String quoteAsset, int levelsPerSide) {
    Random random = new Random(Objects.hash(market.name(), symbol));
    DepthSimulator depth = DepthSimulator.create(market, symbol, baseAsset, levelsPerSide, random);
    Listing listing = new Listing(market, symbol, baseAsset, quoteAsset, depth);
    listing.openInterest =
        String.format(Locale.ROOT, "%.3f", 1_000 + random.nextInt(100_000_000) / 1_000.0);
    long now = System.currentTimeMillis();
    listing.funding = new Funding("0.00010000", (now / EIGHT_HOURS_MS + 1) * EIGHT_HOURS_MS);
    return listing;
  }

  FakeBook book() {
    return depth.book();
  }

  /** The perpetual's onboarding date shown by futures exchangeInfo. */
  long onboardDateMs() {
    return ONBOARD_DATE_MS;
  }
}
