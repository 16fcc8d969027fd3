package dev.lake.exchanges;

/**
 * Collects the configured feeds of one venue market and hands their rows to a {@link RowSink}.
 * Every connector has the same life: {@link #start()} once, {@link #close()} once; the rows of
 * messages received before {@code close} are handed on. Thread-safe.
 */
public interface Connector extends AutoCloseable {
  /** Starts connecting and polling; returns at once. */
  void start();

  /** Stops every connection and poll. */
  @Override
  void close();

  /** Counters for status lines and tests. */
  ConnectorStats stats();
}
