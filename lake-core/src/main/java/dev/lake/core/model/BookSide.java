package dev.lake.core.model;

/** The side of an order book level: {@code bid} or {@code ask}. */
public enum BookSide implements StoredEnum {
  // the codes are in write-ahead logs: never change or reuse one
  BID(1, "bid"),
  ASK(2, "ask");

  private final int code;
  private final String text;

  BookSide(int code, String text) {
    this.code = code;
    this.text = text;
  }

  /** The value stored in {@code orderbook_delta.side}. */
  @Override
  public String text() {
    return text;
  }

  @Override
  public int code() {
    return code;
  }

  @Override
  public String toString() {
    return text;
  }
}
