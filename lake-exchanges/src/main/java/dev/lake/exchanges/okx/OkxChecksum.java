package dev.lake.exchanges.okx;

import dev.lake.core.model.BookSide;
import dev.lake.exchanges.book.BookChecksum;
import dev.lake.exchanges.book.OrderBook;
import java.util.zip.CRC32;

/**
 * OKX's book checksum: CRC32 of the top 25 levels as {@code bid0.px:bid0.sz:ask0.px:ask0.sz:...},
 * bid and ask interleaved (one side alone once the other runs out), from the exact text OKX sent,
 * taken as a signed 32-bit integer. Verified on a real {@code books} snapshot (checksum {@code
 * -1462286744}). Thread-safe: each thread reuses its own buffer and CRC, so no allocation per
 * message.
 */
final class OkxChecksum implements BookChecksum {
  static final int LEVELS = 25;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  @Override
  public long compute(OrderBook book) {
    Scratch scratch = SCRATCH.get();
    scratch.length = 0;
    int bids = Math.min(LEVELS, book.depth(BookSide.BID));
    int asks = Math.min(LEVELS, book.depth(BookSide.ASK));
    for (int i = 0; i < LEVELS; i++) {
      if (i < bids) {
        scratch.level(book.priceText(BookSide.BID, i), book.quantityText(BookSide.BID, i));
      }
      if (i < asks) {
        scratch.level(book.priceText(BookSide.ASK, i), book.quantityText(BookSide.ASK, i));
      }
    }
    scratch.crc.reset();
    scratch.crc.update(scratch.bytes, 0, scratch.length);
    return (int) scratch.crc.getValue();
  }

  /** A reused text buffer (prices and sizes are ASCII) and CRC. */
  private static final class Scratch {
    final CRC32 crc = new CRC32();
    byte[] bytes = new byte[4096];
    int length;

    void level(String price, String quantity) {
      if (length > 0) {
        put(':');
      }
      put(price);
      put(':');
      put(quantity);
    }

    private void put(String text) {
      for (int i = 0; i < text.length(); i++) {
        put(text.charAt(i));
      }
    }

    private void put(char c) {
      if (length == bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
      }
      bytes[length++] = (byte) c;
    }
  }
}
