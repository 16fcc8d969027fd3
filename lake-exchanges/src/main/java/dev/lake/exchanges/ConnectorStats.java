package dev.lake.exchanges;

import java.util.HashMap;
import java.util.Map;

/**
 * A connector's counters since it started.
 *
 * @param openConnections WebSocket connections open now
 * @param failedConnections attempts to open a WebSocket connection that failed before it opened
 *     (these are logged, not {@code disconnect} rows: no connection existed)
 * @param messages WebSocket messages and REST responses received
 * @param validated depth events checked in sequence against the previous one
 * @param gaps sequence breaks recorded (gap and restart_gap)
 * @param resyncs books (re)loaded from snapshots
 * @param rejected messages rejected (malformed, unknown, duplicate)
 * @param rateLimited rate-limit answers from the venue
 * @param books order books kept
 * @param booksInSync order books whose every message is applied and checked now (the others wait
 *     for a snapshot after a start, a gap or a checksum mismatch)
 * @param checksumMismatches books found different from the venue's checksum
 * @param reconnects connections that closed after opening and were reopened
 * @param messagesByFeed {@code messages} per feed, by the feed's table (feeds of a venue without a
 *     count per feed are absent)
 */
public record ConnectorStats(
    int openConnections,
    long failedConnections,
    long messages,
    long validated,
    long gaps,
    long resyncs,
    long rejected,
    long rateLimited,
    int books,
    int booksInSync,
    long checksumMismatches,
    long reconnects,
    Map<String, Long> messagesByFeed) {

  public static final ConnectorStats EMPTY =
      new ConnectorStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());

  public ConnectorStats {
    messagesByFeed = Map.copyOf(messagesByFeed);
  }

  /** The sum of two connectors' counters. */
  public ConnectorStats plus(ConnectorStats other) {
    return new ConnectorStats(
        openConnections + other.openConnections,
        failedConnections + other.failedConnections,
        messages + other.messages,
        validated + other.validated,
        gaps + other.gaps,
        resyncs + other.resyncs,
        rejected + other.rejected,
        rateLimited + other.rateLimited,
        books + other.books,
        booksInSync + other.booksInSync,
        checksumMismatches + other.checksumMismatches,
        reconnects + other.reconnects,
        sum(messagesByFeed, other.messagesByFeed));
  }

  private static Map<String, Long> sum(Map<String, Long> one, Map<String, Long> other) {
    Map<String, Long> sum = new HashMap<>(one);
    other.forEach((feed, count) -> sum.merge(feed, count, Long::sum));
    return sum;
  }
}
