package dev.lake.exchanges.kraken;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.exchanges.book.BookSync;
import dev.lake.exchanges.book.OrderBook;
import dev.lake.exchanges.stream.BookStreams;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Drives Kraken's spot v2 parser and a book sync with generated {@code book} frames, as the
 * connector does on its event loop, without sockets: the benchmark's view of Kraken's hot path.
 * Frames are a snapshot of {@code depth} levels a side and updates of a few levels near the top
 * (new levels push the last one out of the depth, which Kraken does not delete), prices and
 * quantities as JSON numbers with trailing zeros, each with Kraken's CRC32 checksum. One instance
 * per thread.
 */
public final class KrakenReplayDriver {
  private final BookSync sync;
  private final KrakenMessages.WsMessage message = new KrakenMessages.WsMessage();

  public KrakenReplayDriver(String symbol, int depth) {
    this.sync =
        new BookSync(
            KrakenVenue.NAME, MarketType.SPOT, symbol, KrakenBooks.spot(depth), null, (s, d) -> {});
  }

  /** Parses a frame and hands it to the book, adding its rows, as {@link BookStreams} does. */
  public void frame(byte[] frame, long receivedMicros, List<LakeRow> rows) {
    KrakenMessages.parseSpot(frame, frame.length, message);
    if (message.kind != KrakenMessages.Kind.BOOK) {
      throw new IllegalStateException("not a book message: " + message.kind);
    }
    if (message.book.timestampMicros == 0) {
      message.book.timestampMicros = receivedMicros;
    }
    sync.onMessage(message.book, receivedMicros, rows);
  }

  /** Parses a frame only: the decoding ceiling. Returns the number of levels. */
  public int parseOnly(byte[] frame) {
    KrakenMessages.parseSpot(frame, frame.length, message);
    return message.book.bids.count + message.book.asks.count;
  }

  public long validated() {
    return sync.validated();
  }

  public long checksumMismatches() {
    return sync.checksumMismatches();
  }

  public boolean live() {
    return sync.state() == BookSync.State.LIVE;
  }

  /** A snapshot frame of {@code depth} levels then {@code updates} frames of {@code changes}. */
  public static List<byte[]> generate(
      String symbol, int depth, int updates, int changes, long seed) {
    Random random = new Random(seed);
    OrderBook book = OrderBook.keepingWireText();
    KrakenChecksum checksum = new KrakenChecksum();
    List<byte[]> frames = new ArrayList<>(updates + 1);
    StringBuilder bids = new StringBuilder();
    StringBuilder asks = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      String bid = price(600_000 - 2 - 2 * i);
      String ask = price(600_000 + 2 + 2 * i);
      String qty = qty(random);
      String other = qty(random);
      book.set(BookSide.BID, Double.parseDouble(bid), Double.parseDouble(qty), bid, qty);
      book.set(BookSide.ASK, Double.parseDouble(ask), Double.parseDouble(other), ask, other);
      level(bids, bid, qty);
      level(asks, ask, other);
    }
    frames.add(frame(symbol, "snapshot", bids, asks, checksum.compute(book), false));
    for (int n = 0; n < updates; n++) {
      bids.setLength(0);
      asks.setLength(0);
      for (int c = 0; c < changes; c++) {
        boolean bid = c % 2 == 0;
        int tick = 1 + random.nextInt(2 * depth);
        String price = price(bid ? 600_000 - tick : 600_000 + tick);
        String qty = random.nextInt(5) == 0 ? "0.00000000" : qty(random);
        book.set(
            bid ? BookSide.BID : BookSide.ASK,
            Double.parseDouble(price),
            Double.parseDouble(qty),
            price,
            qty);
        level(bid ? bids : asks, price, qty);
      }
      book.truncate(depth);
      frames.add(frame(symbol, "update", bids, asks, checksum.compute(book), true));
    }
    return frames;
  }

  private static String price(int tenths) {
    return tenths / 10 + "." + tenths % 10;
  }

  private static String qty(Random random) {
    return String.format("%d.%08d", random.nextInt(3), random.nextInt(100_000_000));
  }

  private static void level(StringBuilder side, String price, String qty) {
    side.append(side.length() == 0 ? "" : ",")
        .append("{\"price\":")
        .append(price)
        .append(",\"qty\":")
        .append(qty)
        .append('}');
  }

  private static byte[] frame(
      String symbol,
      String type,
      StringBuilder bids,
      StringBuilder asks,
      long checksum,
      boolean timestamp) {
    String text =
        "{\"channel\":\"book\",\"type\":\""
            + type
            + "\",\"data\":[{\"symbol\":\""
            + symbol
            + "\",\"bids\":["
            + bids
            + "],\"asks\":["
            + asks
            + "],\"checksum\":"
            + checksum
            + (timestamp ? ",\"timestamp\":\"2026-11-29T23:50:02.123456Z\"" : "")
            + "}]}";
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
