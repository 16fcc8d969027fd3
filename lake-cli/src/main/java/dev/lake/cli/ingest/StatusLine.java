package dev.lake.cli.ingest;

import dev.lake.core.write.WriterStats;
import dev.lake.exchanges.ConnectorStats;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One status line per interval: rates per table, connections, queue, log, last commit, gaps. */
final class StatusLine {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Map<String, String> SHORT =
      Map.of(
          "orderbook_delta", "delta",
          "orderbook_snapshot", "snapshot",
          "contracts", "contracts",
          "liquidation", "liquidation",
          "open_interest", "oi",
          "funding_rate", "funding",
          "stream_events", "events");

  private Map<String, Long> previous = Map.of();
  private long previousNanos = System.nanoTime();

  String next(IngestSnapshot snapshot) {
    WriterStats writer = snapshot.writer();
    ConnectorStats connectors = snapshot.connectors();
    Instant now = snapshot.at();
    long nanos = System.nanoTime();
    double seconds = Math.max(0.001, (nanos - previousNanos) / 1e9);
    StringBuilder line = new StringBuilder(TIME.format(now)).append(" rows/s");
    long total = 0;
    for (Map.Entry<String, Long> entry : new TreeMap<>(writer.rowsAppended()).entrySet()) {
      long delta = entry.getValue() - previous.getOrDefault(entry.getKey(), 0L);
      total += delta;
      if (delta > 0) {
        line.append(' ')
            .append(SHORT.getOrDefault(entry.getKey(), entry.getKey()))
            .append(' ')
            .append(Math.round(delta / seconds));
      }
    }
    if (total == 0) {
      line.append(" 0");
    }
    line.append(" | connections ").append(connectors.openConnections());
    line.append(" | queue ").append(snapshot.queuedRows());
    line.append(" | buffered ")
        .append(String.format(Locale.ROOT, "%.1f MiB", writer.bufferedBytes() / 1048576.0));
    line.append(" | wal ")
        .append(String.format(Locale.ROOT, "%.1f MiB", writer.walBytes() / 1048576.0));
    Instant last = writer.lastCommit();
    line.append(" | last commit ")
        .append(last == null ? "none yet" : Duration.between(last, now).toSeconds() + " s ago");
    line.append(" | books in sync ")
        .append(connectors.booksInSync())
        .append('/')
        .append(connectors.books());
    line.append(" | gaps ").append(connectors.gaps());
    if (connectors.rejected() > 0) {
      line.append(" | rejected ").append(connectors.rejected());
    }
    if (writer.lastError() != null) {
      line.append(" | ").append(writer.lastError());
    }
    previous = writer.rowsAppended();
    previousNanos = nanos;
    return line.toString();
  }
}
