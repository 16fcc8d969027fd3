package dev.lake.exchanges.book;

import static java.util.Objects.requireNonNull;

import java.util.function.Predicate;

/**
 * What a venue declares about its books, and all {@link BookSync} needs to keep one: how a book is
 * seeded, how its messages are numbered, an optional checksum, the depth it is truncated to after
 * each message, and which messages reset it.
 *
 * @param seed where the book's first (and every later) full state comes from
 * @param sequence how messages are numbered
 * @param checksum the venue's checksum, or null when it sends none
 * @param depth the depth the book is truncated to after each message (venues that send no deletes
 *     for levels falling out of the subscribed depth, such as Kraken), or 0 for none; each level
 *     truncated away is written as a quantity-0 {@code orderbook_delta} row of that message
 * @param resets messages that replace the book though not marked as snapshots (Bybit {@code u = 1}:
 *     the venue restarted); a message marked {@link BookMessage#snapshot} always does
 * @param ids how the venue calls its ids, for the details of {@code stream_events} rows
 * @param seedNote what a REST snapshot does not cover, added to the {@code resync} row's detail
 *     (KuCoin spot's public top-100 seed), or null
 */
public record BookRules(
    Seed seed,
    BookSequence sequence,
    BookChecksum checksum,
    int depth,
    Predicate<BookMessage> resets,
    IdNames ids,
    String seedNote) {

  /** Where full books come from. */
  public enum Seed {
    /**
     * A REST snapshot stitched to the messages buffered while it was fetched (Binance, KuCoin); a
     * break asks for a new one.
     */
    REST,
    /**
     * A snapshot in the stream, sent after subscribing (Bybit, OKX, Coinbase, Kraken); a break asks
     * for the subscription to be made again.
     */
    STREAM,
    /**
     * A snapshot in the stream when the venue sends one, else a REST snapshot stitched to the
     * messages buffered meanwhile (OKX, which is withdrawing its in-stream snapshot): messages are
     * buffered while the book waits, a break asks for the subscription again when the book was last
     * seeded from its stream, and for a REST snapshot when it was not or when no snapshot came in
     * the stream after subscribing again.
     */
    STREAM_OR_REST
  }

  /**
   * The venue's names of its ids, e.g. Binance {@code U}, {@code u}, {@code pu}.
   *
   * @param first the first id a message covers
   * @param last the message's id
   * @param previous the id of the message before it
   */
  public record IdNames(String first, String last, String previous) {
    /** Generic names. */
    public static final IdNames GENERIC = new IdNames("first id", "id", "previous id");
  }

  /**
   * What one REST snapshot covers, for a venue whose snapshots differ in depth from one seed to the
   * next (KuCoin spot: the signed full book, or the public top 100 when the signed request is
   * refused): the book takes these from that snapshot on, in place of the rules' {@code depth} and
   * {@code seedNote}.
   *
   * @param depth the depth the book is kept to after each message, or 0 for all
   * @param note what the snapshot does not cover, for the {@code resync} row, or null
   */
  public record SeedCover(int depth, String note) {
    /** A full-depth snapshot: nothing truncated, nothing to say. */
    public static final SeedCover FULL = new SeedCover(0, null);

    public SeedCover {
      if (depth < 0) {
        throw new IllegalArgumentException("Invalid depth: " + depth + " (expected 0 or more)");
      }
    }
  }

  /** Rules without a seed note. */
  public BookRules(
      Seed seed,
      BookSequence sequence,
      BookChecksum checksum,
      int depth,
      Predicate<BookMessage> resets,
      IdNames ids) {
    this(seed, sequence, checksum, depth, resets, ids, null);
  }

  public BookRules {
    requireNonNull(seed, "seed is null");
    requireNonNull(sequence, "sequence is null");
    requireNonNull(resets, "resets is null");
    requireNonNull(ids, "ids is null");
    if (depth < 0) {
      throw new IllegalArgumentException("Invalid depth: " + depth + " (expected 0 or more)");
    }
    if (sequence == BookSequence.NONE && seed != Seed.STREAM) {
      throw new IllegalArgumentException(
          "Invalid book rules: a REST snapshot cannot be stitched to messages without ids");
    }
  }

  /** A book seeded from REST snapshots (no checksum, no truncation, no resets). */
  public static BookRules restSeeded(BookSequence sequence, IdNames ids) {
    return new BookRules(Seed.REST, sequence, null, 0, message -> false, ids);
  }

  /** A book seeded by snapshots in its stream. */
  public static BookRules streamSeeded(BookSequence sequence, IdNames ids) {
    return new BookRules(Seed.STREAM, sequence, null, 0, message -> false, ids);
  }

  /** The same rules, seeded from the stream's snapshot or else from REST. */
  public BookRules withRestFallback() {
    return new BookRules(Seed.STREAM_OR_REST, sequence, checksum, depth, resets, ids, seedNote);
  }

  /** The same rules with a checksum. */
  public BookRules withChecksum(BookChecksum value) {
    return new BookRules(
        seed, sequence, requireNonNull(value, "checksum is null"), depth, resets, ids, seedNote);
  }

  /** The same rules, truncating the book to a depth after each message. */
  public BookRules truncatedTo(int value) {
    return new BookRules(seed, sequence, checksum, value, resets, ids, seedNote);
  }

  /** The same rules, with messages that reset the book. */
  public BookRules resetWhen(Predicate<BookMessage> value) {
    return new BookRules(seed, sequence, checksum, depth, value, ids, seedNote);
  }

  /**
   * The same rules, saying in every {@code resync} row of a REST seed what the snapshot does not
   * cover (e.g. "top 100 levels only: levels beyond them are not known").
   */
  public BookRules withSeedNote(String value) {
    return new BookRules(
        seed, sequence, checksum, depth, resets, ids, requireNonNull(value, "note is null"));
  }
}
