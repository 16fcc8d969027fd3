package dev.lake.exchanges.coinbase;

import dev.lake.exchanges.book.BookRules;
import dev.lake.exchanges.book.BookSequence;

/**
 * Coinbase's book rules: the snapshot comes in the stream after subscribing ({@code l2_data} event
 * of type {@code snapshot}); books have no ids of their own, so lake assigns them ({@link
 * BookSequence#NONE}); continuity is the connection's {@code sequence_num}, checked by {@link
 * CoinbaseBookStreams}, and a break asks every book of the connection for a new snapshot by
 * subscribing again. No checksum.
 */
final class CoinbaseBooks {
  static final BookRules RULES =
      BookRules.streamSeeded(BookSequence.NONE, BookRules.IdNames.GENERIC);

  private CoinbaseBooks() {}
}
