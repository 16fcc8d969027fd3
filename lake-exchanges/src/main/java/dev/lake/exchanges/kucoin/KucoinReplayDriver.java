package dev.lake.exchanges.kucoin;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.exchanges.ContractSize;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.book.BookSync;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Drives KuCoin's parser and a book sync with generated level2 frames, as the connector does on its
 * event loop, without sockets: the benchmark's view of KuCoin's hot path. Spot frames are {@code
 * trade.l2update} with {@code changes} levels near the top and contiguous {@code
 * sequenceStart..sequenceEnd}; futures frames are {@code level2}, one {@code "price,side,size"}
 * change each, {@code sequence} + 1. The book is loaded from a 100-level snapshot (spot, kept to
 * the top 100 as in production) or 400 levels (futures). One instance per thread.
 */
public final class KucoinReplayDriver {
  private static final long FIRST = 1_000_000;

  private final MarketType market;
  private final BookSync sync;
  private final KucoinMessages.WsMessage message = new KucoinMessages.WsMessage();
  private final ContractSize multiplier;

  public KucoinReplayDriver(MarketType market, String symbol) {
    this.market = market;
    this.multiplier =
        market == MarketType.SPOT ? ContractSize.ONE : ContractSize.ofMagnitude(0.001);
    this.sync =
        new BookSync(
            KucoinVenue.NAME,
            market,
            symbol,
            KucoinBooks.rules(
                market, URI.create("https://api.kucoin.com/api/v1/market/orderbook/level2_100")),
            null,
            (s, d) -> {});
    BookMessage snapshot = new BookMessage();
    snapshot.symbol = symbol;
    snapshot.snapshot = true;
    snapshot.lastId = FIRST;
    snapshot.timestampMicros = 1_723_161_255_000_000L;
    int levels = market == MarketType.SPOT ? 100 : 400;
    for (int i = 0; i < levels; i++) {
      snapshot.bids.add((600_000 - 1 - i) / 10.0, 1 + i % 50);
      snapshot.asks.add((600_000 + 1 + i) / 10.0, 1 + i % 50);
    }
    sync.onSnapshot(snapshot, 1_723_161_255_000_000L, new ArrayList<>());
  }

  /** Parses a frame and hands it to the book, adding its rows, as the connector does. */
  public void frame(byte[] frame, long receivedMicros, List<LakeRow> rows) {
    KucoinMessages.parse(frame, frame.length, message);
    if (market != MarketType.SPOT) {
      BookMessage.Levels levels =
          message.book.bids.count > 0 ? message.book.bids : message.book.asks;
      levels.quantities[0] = multiplier.apply(levels.quantities[0]);
    }
    sync.onMessage(message.book, receivedMicros, rows);
  }

  /** Parses a frame only: the decoding ceiling. Returns the number of levels. */
  public int parseOnly(byte[] frame) {
    KucoinMessages.parse(frame, frame.length, message);
    return message.book.bids.count + message.book.asks.count;
  }

  public long validated() {
    return sync.validated();
  }

  public boolean live() {
    return sync.state() == BookSync.State.LIVE;
  }

  /** {@code updates} frames following the snapshot at sequence 1000000. */
  public static List<byte[]> generate(
      MarketType market, String symbol, int updates, int changes, long seed) {
    Random random = new Random(seed);
    List<byte[]> frames = new ArrayList<>(updates);
    long sequence = FIRST;
    for (int n = 0; n < updates; n++) {
      if (market == MarketType.SPOT) {
        StringBuilder bids = new StringBuilder();
        StringBuilder asks = new StringBuilder();
        long start = sequence + 1;
        for (int c = 0; c < changes; c++) {
          boolean bid = c % 2 == 0;
          int tick = 1 + random.nextInt(60);
          String price = price(bid ? 600_000 - tick : 600_000 + tick);
          String size = random.nextInt(5) == 0 ? "0" : Integer.toString(1 + random.nextInt(2000));
          StringBuilder side = bid ? bids : asks;
          side.append(side.length() == 0 ? "" : ",")
              .append("[\"")
              .append(price)
              .append("\",\"")
              .append(size)
              .append("\",\"")
              .append(++sequence)
              .append("\"]");
        }
        frames.add(
            ("{\"type\":\"message\",\"topic\":\"/market/level2:"
                    + symbol
                    + "\",\"subject\":\"trade.l2update\",\"data\":{\"changes\":{\"asks\":["
                    + asks
                    + "],\"bids\":["
                    + bids
                    + "]},\"sequenceEnd\":"
                    + sequence
                    + ",\"sequenceStart\":"
                    + start
                    + ",\"symbol\":\""
                    + symbol
                    + "\",\"time\":1723161255000}}")
                .getBytes(StandardCharsets.UTF_8));
      } else {
        boolean bid = n % 2 == 0;
        int tick = 1 + random.nextInt(60);
        String price = price(bid ? 600_000 - tick : 600_000 + tick);
        int size = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(2000);
        frames.add(
            ("{\"data\":{\"sequence\":"
                    + ++sequence
                    + ",\"change\":\""
                    + price
                    + (bid ? ",buy," : ",sell,")
                    + size
                    + "\",\"timestamp\":1723161255000},\"subject\":\"level2\",\"topic\":"
                    + "\"/contractMarket/level2:"
                    + symbol
                    + "\",\"type\":\"message\"}")
                .getBytes(StandardCharsets.UTF_8));
      }
    }
    return frames;
  }

  private static String price(int tenths) {
    return tenths / 10 + "." + tenths % 10;
  }
}
