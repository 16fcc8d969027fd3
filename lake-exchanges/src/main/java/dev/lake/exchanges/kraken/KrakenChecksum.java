package dev.lake.exchanges.kraken;

import dev.lake.core.model.BookSide;
import dev.lake.exchanges.book.BookChecksum;
import dev.lake.exchanges.book.OrderBook;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Kraken spot WebSocket v2's book checksum (its "Book checksum" guide): CRC32, unsigned, of the top
 * 10 asks (price low to high) then the top 10 bids (high to low), each level written as its price
 * then its quantity, each with the "." removed and leading zeros stripped, from the exact text
 * Kraken sent ({@code 0.00100000} is {@code 100000}; a double would lose the trailing zeros).
 * Verified on a real v2 snapshot (4162058887) and the guide's example (3310070434). Thread-safe:
 * each thread reuses its own buffer and CRC, so no allocation per message.
 */
final class KrakenChecksum implements BookChecksum {
  static final int LEVELS = 10;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  @Override
  public long compute(OrderBook book) {
    Scratch scratch = SCRATCH.get();
    scratch.length = 0;
    side(book, BookSide.ASK, scratch);
    side(book, BookSide.BID, scratch);
    scratch.crc.reset();
    scratch.crc.update(scratch.bytes, 0, scratch.length);
    return scratch.crc.getValue();
  }

  private static void side(OrderBook book, BookSide side, Scratch scratch) {
    int levels = Math.min(LEVELS, book.depth(side));
    for (int i = 0; i < levels; i++) {
      scratch.number(book.priceText(side, i));
      scratch.number(book.quantityText(side, i));
    }
  }

  /** A reused text buffer (prices and quantities are ASCII) and CRC. */
  private static final class Scratch {
    final CRC32 crc = new CRC32();
    byte[] bytes = new byte[1024];
    int length;

    /** The number without its "." and without leading zeros. */
    void number(String text) {
      boolean leading = true;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '.' || leading && c == '0') {
          continue;
        }
        leading = false;
        if (length == bytes.length) {
          bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        bytes[length++] = (byte) c;
      }
    }
  }
}
