package dev.lake.exchanges.binance;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.book.BookRules;
import dev.lake.exchanges.book.BookSequence;

/**
 * Binance's book rules, from its "how to manage a local order book" procedures: books are seeded by
 * a deep REST snapshot stitched to the buffered diff-depth events. Spot events cover {@code U..u}
 * with {@code U = previous u + 1}; the first applied event satisfies {@code U <= lastUpdateId + 1
 * <= u}. USD-M events name the previous event's {@code u} as {@code pu}; the first applied event
 * satisfies {@code U <= lastUpdateId <= u}. No checksum.
 */
final class BinanceBooks {
  static final BookRules.IdNames IDS = new BookRules.IdNames("U", "u", "pu");
  static final BookRules SPOT = BookRules.restSeeded(BookSequence.CONTIGUOUS, IDS);
  static final BookRules USD_M = BookRules.restSeeded(BookSequence.LINKED_INCREASING, IDS);

  private BinanceBooks() {}

  static BookRules rules(MarketType market) {
    return market == MarketType.SPOT ? SPOT : USD_M;
  }
}
