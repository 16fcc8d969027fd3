package dev.lake.exchanges.coinbase;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.exchanges.book.BookSync;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Drives Coinbase's Advanced Trade parser, the connection's {@code sequence_num} check and a book
 * sync with generated {@code l2_data} frames, as the connector does on its event loop, without
 * sockets: the benchmark's view of Coinbase's hot path. Frames are a snapshot of 500 levels a side,
 * then updates of a few levels near the top, numbered one by one. One instance per thread.
 */
public final class CoinbaseReplayDriver {
  private final BookSync sync;
  private final CoinbaseMessages.WsMessage message = new CoinbaseMessages.WsMessage();
  private final ReusableFrame frame = new ReusableFrame();

  public CoinbaseReplayDriver(String product) {
    this.sync =
        new BookSync(
            CoinbaseVenue.NAME, MarketType.SPOT, product, CoinbaseBooks.RULES, null, (s, d) -> {});
  }

  /** Parses a frame, checks its sequence_num and hands its books to the book, adding rows. */
  public void frame(byte[] bytes, long receivedMicros, List<LakeRow> rows) {
    CoinbaseMessages.parse(bytes, bytes.length, message);
    if (!frame.next(message.sequenceNum)) {
      throw new IllegalStateException("sequence_num break at " + message.sequenceNum);
    }
    for (int i = 0; i < message.bookCount; i++) {
      sync.onMessage(message.books[i], receivedMicros, rows);
    }
  }

  /** Parses a frame only: the decoding ceiling. Returns the number of levels. */
  public int parseOnly(byte[] bytes) {
    CoinbaseMessages.parse(bytes, bytes.length, message);
    return message.books[0].bids.count + message.books[0].asks.count;
  }

  public boolean live() {
    return sync.state() == BookSync.State.LIVE;
  }

  /** The connection's sequence, as {@link CoinbaseConnectionSequence} checks it. */
  private static final class ReusableFrame {
    private final CoinbaseConnectionSequence sequence = new CoinbaseConnectionSequence();

    boolean next(long number) {
      return sequence.check("c1", number) == CoinbaseConnectionSequence.Verdict.NEXT;
    }
  }

  /**
   * A snapshot frame (sequence_num 0) and {@code updates} update frames of {@code changes} levels.
   */
  public static List<byte[]> generate(String product, int updates, int changes, long seed) {
    Random random = new Random(seed);
    List<byte[]> out = new ArrayList<>(updates + 1);
    StringBuilder snapshot = header(0, product, "snapshot");
    for (int i = 1; i <= 500; i++) {
      level(snapshot, "bid", 60000 - i * 0.01, 0.5 + random.nextInt(1000) / 1000.0, i == 1);
      level(snapshot, "offer", 60000 + i * 0.01, 0.5 + random.nextInt(1000) / 1000.0, false);
    }
    out.add(close(snapshot));
    for (int u = 1; u <= updates; u++) {
      StringBuilder update = header(u, product, "update");
      for (int c = 0; c < changes; c++) {
        boolean bid = random.nextBoolean();
        double price =
            bid ? 60000 - (1 + random.nextInt(50)) * 0.01 : 60000 + (1 + random.nextInt(50)) * 0.01;
        double quantity = random.nextInt(8) == 0 ? 0 : 0.1 + random.nextInt(5000) / 1000.0;
        level(update, bid ? "bid" : "offer", price, quantity, c == 0);
      }
      out.add(close(update));
    }
    return out;
  }

  private static StringBuilder header(long sequence, String product, String type) {
    return new StringBuilder(4096)
        .append(
            "{\"channel\":\"l2_data\",\"client_id\":\"\",\"timestamp\":\"2026-11-29T23:00:00.123456Z\",")
        .append("\"sequence_num\":")
        .append(sequence)
        .append(",\"events\":[{\"type\":\"")
        .append(type)
        .append("\",\"product_id\":\"")
        .append(product)
        .append("\",\"updates\":[");
  }

  private static void level(
      StringBuilder out, String side, double price, double qty, boolean first) {
    if (!first) {
      out.append(',');
    }
    out.append("{\"side\":\"")
        .append(side)
        .append("\",\"event_time\":\"2026-11-29T23:00:00.120000Z\",\"price_level\":\"")
        .append(String.format(java.util.Locale.ROOT, "%.2f", price))
        .append("\",\"new_quantity\":\"")
        .append(String.format(java.util.Locale.ROOT, "%.3f", qty))
        .append("\"}");
  }

  private static byte[] close(StringBuilder out) {
    return out.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
