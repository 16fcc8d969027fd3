package dev.lake.exchanges.okx;

import dev.lake.core.model.BookSide;
import dev.lake.exchanges.book.BookChecksum;
import dev.lake.exchanges.book.ChecksumText;
import dev.lake.exchanges.book.OrderBook;

/**
 * OKX's book checksum: CRC32 of the top 25 levels as {@code bid0.px:bid0.sz:ask0.px:ask0.sz:...},
 * bid and ask interleaved (one side alone once the other runs out), from the exact text OKX sent,
 * taken as a signed 32-bit integer. Verified on a real {@code books} snapshot (checksum {@code
 * -1462286744}). Thread-safe: each thread reuses its own buffer and CRC, so no allocation per
 * message.
 */
final class OkxChecksum implements BookChecksum {
  static final int LEVELS = 25;

  @Override
  public long compute(OrderBook book) {
    ChecksumText text = ChecksumText.start();
    int bids = Math.min(LEVELS, book.depth(BookSide.BID));
    int asks = Math.min(LEVELS, book.depth(BookSide.ASK));
    for (int i = 0; i < LEVELS; i++) {
      if (i < bids) {
        level(text, book.priceText(BookSide.BID, i), book.quantityText(BookSide.BID, i));
      }
      if (i < asks) {
        level(text, book.priceText(BookSide.ASK, i), book.quantityText(BookSide.ASK, i));
      }
    }
    return (int) text.crc32();
  }

  private static void level(ChecksumText text, String price, String quantity) {
    if (!text.isEmpty()) {
      text.put(':');
    }
    text.put(price);
    text.put(':');
    text.put(quantity);
  }
}
