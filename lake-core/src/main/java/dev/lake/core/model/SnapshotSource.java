package dev.lake.core.model;

/** Where an order book snapshot came from, as stored in {@code orderbook_snapshot.source}. */
public enum SnapshotSource implements StoredEnum {
  // the codes are in write-ahead logs: never change or reuse one
  /** Polled from the venue's REST depth endpoint. */
  REST(1, "rest"),
  /** Taken from the locally maintained, sequence-validated book. */
  BOOK(2, "book");

  private final int code;
  private final String text;

  SnapshotSource(int code, String text) {
    this.code = code;
    this.text = text;
  }

  /** The value stored in the table. */
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
