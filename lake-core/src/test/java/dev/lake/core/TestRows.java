package dev.lake.core;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.Contract;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Liquidation;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.SnapshotSource;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import java.util.ArrayList;
import java.util.List;

/** Rows for tests, deterministic from a sequence number. */
public final class TestRows {
  /** 2025-08-05T13:00:00Z in milliseconds. */
  public static final long BASE_MS = 1_754_398_800_000L;

  private TestRows() {}

  public static OrderBookDelta delta(String symbol, long updateId, int level) {
    long micros = (BASE_MS + updateId) * 1000;
    return new OrderBookDelta(
        "binance",
        MarketType.SPOT,
        symbol,
        micros,
        updateId,
        level % 2 == 0 ? BookSide.BID : BookSide.ASK,
        60000.0 + level * 0.01,
        level * 0.5,
        level,
        micros + 1234,
        updateId - 1,
        null,
        false);
  }

  /**
   * One book message of {@code levels} changed levels, timed now; its rows share update id {@code
   * id}.
   */
  public static List<LakeRow> message(String symbol, long id, int levels) {
    long now = java.time.Instant.now().toEpochMilli() * 1000;
    List<LakeRow> rows = new ArrayList<>(levels);
    for (int level = 0; level < levels; level++) {
      rows.add(
          new OrderBookDelta(
              "binance",
              MarketType.SPOT,
              symbol,
              now,
              id,
              level % 2 == 0 ? BookSide.BID : BookSide.ASK,
              100 + (id % 100) * 0.5 + level,
              level + 1,
              level,
              now + 10,
              id,
              null,
              false));
    }
    return rows;
  }

  /** The keys ({@code id/level}) of a symbol's delta rows, failing on a key seen twice. */
  public static java.util.Set<String> uniqueKeys(List<LakeRow> rows, String symbol) {
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (LakeRow row : rows) {
      if (row instanceof OrderBookDelta delta && delta.symbol().equals(symbol)) {
        String key = delta.lastUpdateId() + "/" + delta.level();
        if (!keys.add(key)) {
          throw new AssertionError("row " + key + " of " + symbol + " is in the table twice");
        }
      }
    }
    return keys;
  }

  /** One row of every table. */
  public static List<LakeRow> oneOfEach() {
    List<LakeRow> rows = new ArrayList<>();
    rows.add(
        new OrderBookSnapshot(
            "binance",
            MarketType.FUTURE,
            "BTCUSDT",
            BASE_MS,
            List.of(new PriceLevel(60000.1, 1.5), new PriceLevel(60000.0, 2)),
            List.of(new PriceLevel(60000.2, 0.25)),
            BASE_MS * 1000 + 500,
            42L,
            SnapshotSource.REST));
    rows.add(delta("BTCUSDT", 100, 3));
    rows.add(
        new Contract(
            "binance",
            MarketType.FUTURE,
            "BTCUSDT",
            null,
            "PERPETUAL",
            "BTC",
            "USDT",
            0.1,
            1.0,
            BASE_MS,
            BASE_MS * 1000 + 7));
    rows.add(
        new Liquidation(
            "binance",
            MarketType.FUTURE,
            "ETHUSDT",
            TradeSide.SELL,
            3000.5,
            1.25,
            BASE_MS + 5,
            BASE_MS * 1000 + 9000));
    rows.add(
        new OpenInterest(
            "binance", MarketType.FUTURE, "BTCUSDT", 83782.317, BASE_MS, BASE_MS * 1000 + 1));
    rows.add(
        new FundingRate(
            "binance",
            MarketType.FUTURE,
            "BTCUSDT",
            0.0001,
            BASE_MS + 3_600_000,
            BASE_MS,
            BASE_MS * 1000 + 2));
    rows.add(
        new StreamEvent(
            "binance",
            "spot",
            "orderbook_delta",
            "BTCUSDT",
            StreamEventType.GAP,
            "U=105 after u=100",
            101L,
            104L,
            BASE_MS * 1000,
            BASE_MS * 1000 + 3));
    rows.add(
        new Trade(
            "binance",
            MarketType.SPOT,
            "BTCUSDT",
            "5233456789",
            TradeSide.BUY,
            60000.15,
            0.0021,
            BASE_MS * 1000 + 11,
            BASE_MS * 1000 + 900));
    return rows;
  }
}
