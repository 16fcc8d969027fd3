package dev.lake.exchanges.book;

/**
 * A venue's checksum of the top of a book, computed from the exact text the venue wrote each price
 * and quantity in (never from doubles, which lose trailing zeros). The book it is given keeps wire
 * text ({@link OrderBook#keepingWireText()}).
 */
@FunctionalInterface
public interface BookChecksum {
  /** The checksum of the book as the venue computes it. */
  long compute(OrderBook book);
}
