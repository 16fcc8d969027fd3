package dev.lake.exchanges;

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
 */
public record ConnectorStats(
    int openConnections,
    long failedConnections,
    long messages,
    long validated,
    long gaps,
    long resyncs,
    long rejected,
    long rateLimited) {

  public static final ConnectorStats EMPTY = new ConnectorStats(0, 0, 0, 0, 0, 0, 0, 0);

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
        rateLimited + other.rateLimited);
  }
}
