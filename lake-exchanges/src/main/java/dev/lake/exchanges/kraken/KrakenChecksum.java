package dev.lake.exchanges.kraken;

import dev.lake.core.model.BookSide;
import dev.lake.exchanges.book.BookChecksum;
import dev.lake.exchanges.book.ChecksumText;
import dev.lake.exchanges.book.OrderBook;

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

  @Override
  public long compute(OrderBook book) {
    ChecksumText text = ChecksumText.start();
    side(book, BookSide.ASK, text);
    side(book, BookSide.BID, text);
    return text.crc32();
  }

  private static void side(OrderBook book, BookSide side, ChecksumText text) {
    int levels = Math.min(LEVELS, book.depth(side));
    for (int i = 0; i < levels; i++) {
      number(text, book.priceText(side, i));
      number(text, book.quantityText(side, i));
    }
  }

  /** The number without its "." and without leading zeros. */
  private static void number(ChecksumText text, String number) {
    boolean leading = true;
    for (int i = 0; i < number.length(); i++) {
      char c = number.charAt(i);
      if (c == '.' || leading && c == '0') {
        continue;
      }
      leading = false;
      text.put(c);
    }
  }
}
