package dev.lake.exchanges.kucoin;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.book.BookRules;
import dev.lake.exchanges.book.BookSequence;
import java.net.URI;

/**
 * KuCoin's book rules (exchanges.md 4.2, 4.3), both seeded from a REST snapshot stitched to the
 * buffered messages ({@link BookSequence#CONTIGUOUS}). Spot {@code trade.l2update} covers {@code
 * sequenceStart..sequenceEnd}; the first applied satisfies {@code sequenceStart <= sequence + 1 <=
 * sequenceEnd}, and within it each change applies only if its own sequence is past the book's (the
 * levels carry it). Futures {@code level2} carries one {@code sequence}, the previous + 1. No
 * checksum.
 */
final class KucoinBooks {
  static final BookRules.IdNames SPOT_IDS =
      new BookRules.IdNames("sequenceStart", "sequenceEnd", "sequence");
  static final BookRules.IdNames FUTURE_IDS =
      new BookRules.IdNames("sequence", "sequence", "sequence");
  static final BookRules SPOT = BookRules.restSeeded(BookSequence.CONTIGUOUS, SPOT_IDS);
  static final BookRules FUTURE = BookRules.restSeeded(BookSequence.CONTIGUOUS, FUTURE_IDS);

  private KucoinBooks() {}

  /**
   * The rules of a market's books seeded from {@code seedUrl}. A spot seed from the public {@code
   * level2_20} or {@code level2_100} holds only the top of the book: the book is kept to that depth
   * (a level beyond it was never seeded, so it is never shown as validated), and each {@code
   * resync} row says so. The signed full-depth seed ({@link KucoinVenue#FULL_BOOK}) keeps it all.
   */
  static BookRules rules(MarketType market, URI seedUrl) {
    if (market != MarketType.SPOT) {
      return FUTURE;
    }
    BookRules.SeedCover cover = cover(seedUrl);
    return cover.depth() == 0 ? SPOT : SPOT.truncatedTo(cover.depth()).withSeedNote(cover.note());
  }

  /**
   * What a spot seed from {@code seedUrl} covers: the public {@code level2_20} or {@code
   * level2_100} the top levels only (the depth the book is kept to, and a note saying so), the
   * signed full-depth book everything.
   */
  static BookRules.SeedCover cover(URI seedUrl) {
    int depth = KucoinVenue.maxLevels(seedUrl);
    if (depth == 0) {
      return BookRules.SeedCover.FULL;
    }
    return new BookRules.SeedCover(
        depth,
        "public top-"
            + depth
            + " seed: the book is exact near the top only, levels beyond the top "
            + depth
            + " are not known and not kept");
  }
}
