package dev.lake.exchanges.book;

import dev.lake.core.model.PriceLevel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One order-book message of any venue, in neutral form: a full book ({@link #snapshot}) or changed
 * levels, with the venue's sequence ids where it has them. A venue's parser fills one instance per
 * connection and reuses it (no allocation per message); {@link #copy()} makes one that may be kept
 * (buffered while a book syncs). Quantities are absolute; 0 removes a level.
 *
 * <p>Ids are {@link #NONE} where the venue has none: {@link #lastId} is the message's own id
 * (Binance {@code u}, Bybit {@code u}, OKX {@code seqId}, KuCoin {@code sequenceEnd}), {@link
 * #firstId} the first id it covers (Binance {@code U}, KuCoin {@code sequenceStart}), {@link
 * #prevId} the id of the message before it as the venue states it (Binance USD-M {@code pu}, OKX
 * {@code prevSeqId}).
 */
public final class BookMessage {
  /** An id the venue does not give. */
  public static final long NONE = Long.MIN_VALUE;

  /** The symbol, as the venue writes it. */
  public String symbol;

  /** True when the message is a whole book that replaces the local one. */
  public boolean snapshot;

  /** Exchange time in epoch microseconds; the receive time where the venue gives none. */
  public long timestampMicros;

  public long firstId = NONE;
  public long lastId = NONE;
  public long prevId = NONE;

  /** The venue's checksum of the book after this message, when {@link #hasChecksum}. */
  public long checksum;

  public boolean hasChecksum;

  /** Changed (or, in a snapshot, all) bid levels, best first where the venue orders them. */
  public final Levels bids = new Levels();

  /** Changed (or, in a snapshot, all) ask levels. */
  public final Levels asks = new Levels();

  /** Clears every field for the next message. */
  public void reset() {
    symbol = null;
    snapshot = false;
    timestampMicros = 0;
    firstId = lastId = prevId = NONE;
    checksum = 0;
    hasChecksum = false;
    bids.clear();
    asks.clear();
  }

  /** A copy with exactly sized arrays, which later messages do not overwrite. */
  public BookMessage copy() {
    BookMessage copy = new BookMessage();
    copy.symbol = symbol;
    copy.snapshot = snapshot;
    copy.timestampMicros = timestampMicros;
    copy.firstId = firstId;
    copy.lastId = lastId;
    copy.prevId = prevId;
    copy.checksum = checksum;
    copy.hasChecksum = hasChecksum;
    copy.bids.copyFrom(bids);
    copy.asks.copyFrom(asks);
    return copy;
  }

  /** The level lists of a side. */
  public Levels side(dev.lake.core.model.BookSide side) {
    return side == dev.lake.core.model.BookSide.BID ? bids : asks;
  }

  @Override
  public String toString() {
    return (snapshot ? "snapshot " : "update ")
        + symbol
        + " ids "
        + id(firstId)
        + ".."
        + id(lastId)
        + " prev "
        + id(prevId)
        + ", "
        + bids.count
        + " bids, "
        + asks.count
        + " asks";
  }

  private static String id(long id) {
    return id == NONE ? "-" : Long.toString(id);
  }

  /**
   * The levels of one side: prices and quantities, and where the venue has a checksum, their wire
   * text (the exact characters the checksum is computed from).
   */
  public static final class Levels {
    public double[] prices = new double[64];
    public double[] quantities = new double[64];
    public String[] priceTexts;
    public String[] quantityTexts;

    /**
     * The venue's own sequence of each level, where it numbers the changes within a message (KuCoin
     * spot); null otherwise. A level whose sequence is not past the book's id is not applied: it is
     * part of the snapshot already.
     */
    public long[] sequences;

    public int count;

    /** Appends a level. */
    public void add(double price, double quantity) {
      grow();
      prices[count] = price;
      quantities[count++] = quantity;
    }

    /** Appends a level with the text the venue wrote its numbers in. */
    public void add(double price, double quantity, String priceText, String quantityText) {
      grow();
      if (priceTexts == null) {
        priceTexts = new String[prices.length];
        quantityTexts = new String[prices.length];
      }
      prices[count] = price;
      quantities[count] = quantity;
      priceTexts[count] = priceText;
      quantityTexts[count++] = quantityText;
    }

    /** Appends a level with the venue's sequence of this change. */
    public void add(double price, double quantity, long sequence) {
      grow();
      if (sequences == null) {
        sequences = new long[prices.length];
      }
      prices[count] = price;
      quantities[count] = quantity;
      sequences[count++] = sequence;
    }

    /** The levels as price levels, in their order (for snapshot rows). */
    public List<PriceLevel> toPriceLevels() {
      List<PriceLevel> list = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        list.add(new PriceLevel(prices[i], quantities[i]));
      }
      return list;
    }

    /** The venue's sequence of a level, or {@link BookMessage#NONE}. */
    public long sequence(int index) {
      return sequences == null ? NONE : sequences[index];
    }

    public String priceText(int index) {
      return priceTexts == null ? null : priceTexts[index];
    }

    public String quantityText(int index) {
      return quantityTexts == null ? null : quantityTexts[index];
    }

    void clear() {
      if (priceTexts != null) {
        Arrays.fill(priceTexts, 0, count, null);
        Arrays.fill(quantityTexts, 0, count, null);
      }
      count = 0;
    }

    private void grow() {
      if (count == prices.length) {
        int size = Math.max(16, count * 2);
        prices = Arrays.copyOf(prices, size);
        quantities = Arrays.copyOf(quantities, size);
        if (priceTexts != null) {
          priceTexts = Arrays.copyOf(priceTexts, size);
          quantityTexts = Arrays.copyOf(quantityTexts, size);
        }
        if (sequences != null) {
          sequences = Arrays.copyOf(sequences, size);
        }
      }
    }

    private void copyFrom(Levels other) {
      prices = Arrays.copyOf(other.prices, other.count);
      quantities = Arrays.copyOf(other.quantities, other.count);
      if (other.priceTexts != null) {
        priceTexts = Arrays.copyOf(other.priceTexts, other.count);
        quantityTexts = Arrays.copyOf(other.quantityTexts, other.count);
      }
      if (other.sequences != null) {
        sequences = Arrays.copyOf(other.sequences, other.count);
      }
      count = other.count;
    }
  }
}
