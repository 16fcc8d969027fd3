package dev.lake.core.model;

/** The side of an order book level: {@code bid} or {@code ask}. */
public enum BookSide {
  BID("bid"),
  ASK("ask");

  private final String text;

  BookSide(String text) {
    this.text = text;
  }

  /** The value stored in {@code orderbook_delta.side}. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
