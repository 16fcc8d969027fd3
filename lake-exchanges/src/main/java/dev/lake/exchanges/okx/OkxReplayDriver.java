package dev.lake.exchanges.okx;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.exchanges.ContractSize;
import dev.lake.exchanges.book.BookSync;
import dev.lake.exchanges.book.OrderBook;
import dev.lake.exchanges.stream.BookStreams;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Drives OKX's parser and a book sync with generated {@code books} frames, as the connector does on
 * its event loop, without sockets: the benchmark's view of OKX's hot path. Frames are a snapshot of
 * 400 levels a side and updates of a few levels near the top with linked {@code seqId}s, carrying
 * OKX's checksum or 0 (what OKX sends since 2026-06-23). One instance per thread.
 */
public final class OkxReplayDriver {
  private final BookSync sync;
  private final OkxContractSizes sizes;
  private final OkxMessages.WsMessage message = new OkxMessages.WsMessage();

  public OkxReplayDriver(MarketType market, String instId, String ctVal) {
    this.sizes = new OkxContractSizes(market == MarketType.SPOT);
    if (market != MarketType.SPOT) {
      sizes.put(instId, ContractSize.of(ctVal));
    }
    this.sync = new BookSync(OkxVenue.NAME, market, instId, OkxBooks.RULES, null, (s, d) -> {});
  }

  /** Parses a frame and hands it to the book, adding its rows, as {@link BookStreams} does. */
  public void frame(byte[] frame, long receivedMicros, List<LakeRow> rows) {
    OkxMessages.parse(frame, frame.length, message, sizes);
    if (message.kind != OkxMessages.Kind.BOOK) {
      throw new IllegalStateException("not a books push: " + message.kind);
    }
    sync.onMessage(message.book, receivedMicros, rows);
  }

  /** Parses a frame only: the decoding ceiling. Returns the number of levels. */
  public int parseOnly(byte[] frame) {
    OkxMessages.parse(frame, frame.length, message, sizes);
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

  /**
   * A snapshot frame then {@code updates} update frames of {@code changes} levels each.
   *
   * @param checksums whether frames carry OKX's checksum (else 0)
   */
  public static List<byte[]> generate(
      String instId, int updates, int changes, boolean checksums, long seed) {
    Random random = new Random(seed);
    OrderBook book = OrderBook.keepingWireText();
    OkxChecksum checksum = new OkxChecksum();
    List<byte[]> frames = new ArrayList<>(updates + 1);
    StringBuilder bids = new StringBuilder();
    StringBuilder asks = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      String bid = price(600_000 - 1 - i);
      String ask = price(600_000 + 1 + i);
      String size = size(random);
      String other = size(random);
      book.set(BookSide.BID, Double.parseDouble(bid), Double.parseDouble(size), bid, size);
      book.set(BookSide.ASK, Double.parseDouble(ask), Double.parseDouble(other), ask, other);
      level(bids, bid, size);
      level(asks, ask, other);
    }
    long seqId = 1_000_000;
    frames.add(
        push(instId, "snapshot", bids, asks, checksums ? checksum.compute(book) : 0, -1, seqId));
    for (int n = 0; n < updates; n++) {
      bids.setLength(0);
      asks.setLength(0);
      for (int c = 0; c < changes; c++) {
        boolean bid = c % 2 == 0;
        int tick = 1 + random.nextInt(60);
        String price = price(bid ? 600_000 - tick : 600_000 + tick);
        String size = random.nextInt(5) == 0 ? "0" : size(random);
        book.set(
            bid ? BookSide.BID : BookSide.ASK,
            Double.parseDouble(price),
            Double.parseDouble(size),
            price,
            size);
        level(bid ? bids : asks, price, size);
      }
      long prev = seqId;
      seqId += 1 + random.nextInt(90);
      frames.add(
          push(instId, "update", bids, asks, checksums ? checksum.compute(book) : 0, prev, seqId));
    }
    return frames;
  }

  private static String price(int tenths) {
    return tenths / 10 + "." + tenths % 10;
  }

  private static String size(Random random) {
    return Integer.toString(1 + random.nextInt(2000));
  }

  private static void level(StringBuilder side, String price, String size) {
    side.append(side.length() == 0 ? "" : ",")
        .append("[\"")
        .append(price)
        .append("\",\"")
        .append(size)
        .append("\",\"0\",\"3\"]");
  }

  private static byte[] push(
      String instId,
      String action,
      StringBuilder bids,
      StringBuilder asks,
      long checksum,
      long prev,
      long seqId) {
    String text =
        "{\"arg\":{\"channel\":\"books\",\"instId\":\""
            + instId
            + "\"},\"action\":\""
            + action
            + "\",\"data\":[{\"asks\":["
            + asks
            + "],\"bids\":["
            + bids
            + "],\"ts\":\"1723161255000\",\"checksum\":"
            + checksum
            + ",\"prevSeqId\":"
            + prev
            + ",\"seqId\":"
            + seqId
            + "}]}";
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
