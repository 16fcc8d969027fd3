package dev.lake.exchanges.okx;

import dev.lake.exchanges.book.BookRules;
import dev.lake.exchanges.book.BookSequence;

/**
 * OKX's book rules, from its "seqId implementation details" and the 2026 changes (exchanges.md
 * 3.3): each update names the previous {@code seqId} as {@code prevSeqId} ({@link
 * BookSequence#LINKED}: steps are irregular, a heartbeat repeats the id, ids may go down after
 * maintenance); the snapshot ({@code action: snapshot}, {@code prevSeqId = -1}) comes in the stream
 * after subscribing, and since OKX is withdrawing it the book is otherwise seeded from REST {@code
 * /api/v5/market/books}, whose {@code seqId} is stitched to the buffered updates; a CRC32 checksum
 * of the top 25 levels is verified after every message that carries one (OKX sends 0, meaning none,
 * since 2026-06-23).
 */
final class OkxBooks {
  static final BookRules.IdNames IDS = new BookRules.IdNames("seqId", "seqId", "prevSeqId");
  static final BookRules RULES =
      BookRules.streamSeeded(BookSequence.LINKED, IDS)
          .withRestFallback()
          .withChecksum(new OkxChecksum());

  private OkxBooks() {}
}
