package dev.lake.exchanges.bybit;

import dev.lake.exchanges.book.BookRules;
import dev.lake.exchanges.book.BookSequence;

/**
 * Bybit's book rules, from its v5 order-book docs: the snapshot comes in the stream right after
 * subscribing; each later message on a topic has {@code u = previous u + 1} (one id a message, so
 * {@code firstId = lastId}), and a break is mended by subscribing again for a fresh snapshot. Any
 * new snapshot replaces the book, and a message with {@code u = 1} means Bybit's service restarted:
 * it too replaces the book. Both are resets, never duplicates. No checksum.
 */
final class BybitBooks {
  static final BookRules.IdNames IDS = new BookRules.IdNames("u", "u", "previous u");
  static final BookRules RULES =
      BookRules.streamSeeded(BookSequence.CONTIGUOUS, IDS)
          .resetWhen(message -> message.lastId == 1);

  private BybitBooks() {}
}
