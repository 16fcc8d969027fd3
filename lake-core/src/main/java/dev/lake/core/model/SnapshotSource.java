package dev.lake.core.model;

/** Where an order book snapshot came from, as stored in {@code orderbook_snapshot.source}. */
public enum SnapshotSource {
  /** Polled from the venue's REST depth endpoint. */
  REST("rest"),
  /** Taken from the locally maintained, sequence-validated book. */
  BOOK("book");

  private final String text;

  SnapshotSource(String text) {
    this.text = text;
  }

  /** The value stored in the table. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
