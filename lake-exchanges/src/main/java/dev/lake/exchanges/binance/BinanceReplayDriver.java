package dev.lake.exchanges.binance;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.book.BookSync;
import java.util.List;

/**
 * Drives the Binance parser and book syncs with frames from a recording, as the connector does on
 * its event loop, without sockets: the hot path (parse, then {@link BookSync}, then rows) as
 * benchmarks and tools see it. A hook for measuring, not for ingestion: {@link BinanceVenue} is
 * what collects data. Not thread-safe: one instance per thread, as one connection is on one event
 * loop.
 */
public final class BinanceReplayDriver {
  private final BookSync[] syncs;
  private final String[] symbols;
  private final int[] copies;
  private final BinanceMessages.WsMessage message = new BinanceMessages.WsMessage();

  /**
   * Books named {@code names[i]} of market {@code markets[i]}; book i is copy {@code copies[i]} of
   * its recording, and its prices and quantities are shifted by that copy number (half a unit of
   * price, a thousandth of quantity per copy), so that copies are distinct books, as a venue's
   * symbols are, and no file or compressor sees the same values twice.
   */
  public BinanceReplayDriver(String[] names, MarketType[] markets, int[] copies) {
    this.symbols = names.clone();
    this.copies = copies.clone();
    this.syncs = new BookSync[names.length];
    for (int i = 0; i < names.length; i++) {
      syncs[i] =
          new BookSync(
              BinanceVenue.NAME,
              markets[i],
              names[i],
              BinanceBooks.rules(markets[i]),
              null,
              (sync, delay) -> {});
    }
  }

  /** Parses a frame and hands it to book {@code index} (renamed to that book), adding its rows. */
  public void frame(int index, byte[] frame, long receivedMicros, List<LakeRow> rows) {
    BinanceMessages.parse(frame, frame.length, message);
    if (message.kind != BinanceMessages.Kind.DEPTH) {
      throw new IllegalStateException(
          "Cannot replay a frame: not a depth event (" + message.kind + ")");
    }
    message.depth.symbol = symbols[index];
    BookMessage depth = message.depth;
    shift(copies[index], depth.bids.prices, depth.bids.quantities, depth.bids.count);
    shift(copies[index], depth.asks.prices, depth.asks.quantities, depth.asks.count);
    syncs[index].onMessage(depth, receivedMicros, rows);
  }

  /** Loads a REST snapshot body into book {@code index}. */
  public void snapshot(int index, byte[] body, long receivedMicros, List<LakeRow> rows) {
    BinanceDepthSnapshot snapshot = BinanceRest.depth(body, receivedMicros);
    shift(
        copies[index], snapshot.bidPrices(), snapshot.bidQuantities(), snapshot.bidPrices().length);
    shift(
        copies[index], snapshot.askPrices(), snapshot.askQuantities(), snapshot.askPrices().length);
    syncs[index].onSnapshot(snapshot.toBookMessage(symbols[index]), receivedMicros, rows);
  }

  private static void shift(int copy, double[] prices, double[] quantities, int count) {
    if (copy == 0) {
      return;
    }
    for (int i = 0; i < count; i++) {
      prices[i] = Math.round((prices[i] + copy * 0.5) * 100) / 100.0;
      if (quantities[i] > 0) {
        quantities[i] = Math.round((quantities[i] + copy * 0.001) * 100_000) / 100_000.0;
      }
    }
  }

  /**
   * Parses a frame only: the decoding ceiling. Returns the number of levels, so nothing is dead
   * code.
   */
  public int parseOnly(byte[] frame) {
    BinanceMessages.parse(frame, frame.length, message);
    return message.depth.bids.count + message.depth.asks.count;
  }

  /** Depth events checked against the one before them and found in sequence, over all books. */
  public long validated() {
    long total = 0;
    for (BookSync sync : syncs) {
      total += sync.validated();
    }
    return total;
  }

  /** Gaps and duplicate events found, over all books. */
  public long gaps() {
    long total = 0;
    for (BookSync sync : syncs) {
      total += sync.gaps() + sync.duplicates();
    }
    return total;
  }

  /** Books in sync (live or just loaded). */
  public int synced() {
    int count = 0;
    for (BookSync sync : syncs) {
      if (sync.state() != BookSync.State.SYNCING) {
        count++;
      }
    }
    return count;
  }
}
