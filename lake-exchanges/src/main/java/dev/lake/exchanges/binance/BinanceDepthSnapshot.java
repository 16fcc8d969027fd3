package dev.lake.exchanges.binance;

import dev.lake.exchanges.book.BookMessage;

/**
 * A REST depth snapshot: the book at {@code lastUpdateId}.
 *
 * @param lastUpdateId the book's sequence id
 * @param eventTime the venue's time (futures {@code E}), or -1 when it gives none (spot)
 * @param bidPrices bid prices, best first
 * @param bidQuantities bid quantities
 * @param askPrices ask prices, best first
 * @param askQuantities ask quantities
 * @param receivedMicros receive time
 */
record BinanceDepthSnapshot(
    long lastUpdateId,
    long eventTime,
    double[] bidPrices,
    double[] bidQuantities,
    double[] askPrices,
    double[] askQuantities,
    long receivedMicros) {

  /** The snapshot as a neutral book message, to seed a book. */
  BookMessage toBookMessage(String symbol) {
    BookMessage message = new BookMessage();
    message.symbol = symbol;
    message.snapshot = true;
    message.lastId = lastUpdateId;
    message.timestampMicros = timestampMicros();
    for (int i = 0; i < bidPrices.length; i++) {
      message.bids.add(bidPrices[i], bidQuantities[i]);
    }
    for (int i = 0; i < askPrices.length; i++) {
      message.asks.add(askPrices[i], askQuantities[i]);
    }
    return message;
  }

  /** Exchange time in microseconds; the receive time where the venue gives none. */
  long timestampMicros() {
    return eventTime > 0 ? eventTime * 1000 : receivedMicros;
  }
}
