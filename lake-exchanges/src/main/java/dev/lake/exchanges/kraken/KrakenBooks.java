package dev.lake.exchanges.kraken;

import dev.lake.exchanges.book.BookRules;
import dev.lake.exchanges.book.BookSequence;

/**
 * Kraken's book rules (exchanges.md 6.2, 6.3). Spot v2: the snapshot comes in the stream after
 * subscribing; messages carry no ids ({@link BookSequence#NONE}: lake assigns them); after each
 * message the book is truncated to the subscribed depth (Kraken sends no delete for a level that
 * leaves it) and then checked against the message's CRC32 checksum ({@link KrakenChecksum}); a
 * mismatch subscribes the book again. Kraken Futures: {@code book_snapshot} in the stream, then
 * single-level deltas whose {@code seq} is the previous one + 1 per product ({@link
 * BookSequence#CONTIGUOUS}, one id a message); a gap subscribes the book again. No checksum.
 */
final class KrakenBooks {
  static final BookRules.IdNames SPOT_IDS = BookRules.IdNames.GENERIC;
  static final BookRules.IdNames FUTURES_IDS = new BookRules.IdNames("seq", "seq", "previous seq");
  static final BookRules FUTURES = BookRules.streamSeeded(BookSequence.CONTIGUOUS, FUTURES_IDS);

  private KrakenBooks() {}

  /** Spot rules for a subscribed depth. */
  static BookRules spot(int depth) {
    return BookRules.streamSeeded(BookSequence.NONE, SPOT_IDS)
        .withChecksum(new KrakenChecksum())
        .truncatedTo(depth);
  }
}
