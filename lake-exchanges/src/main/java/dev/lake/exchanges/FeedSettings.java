package dev.lake.exchanges;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.SnapshotSource;
import java.net.URI;
import java.util.Map;

/**
 * The settings of one feed of one venue market, as configured under {@code
 * source.<exchange>.<market>}.
 *
 * @param type which feed
 * @param enabled whether it runs
 * @param url the REST endpoint or WebSocket base URL
 * @param intervalMs polling interval (REST feeds), snapshot grid ({@code source: book}), or the
 *     update speed of a delta stream (e.g. 100)
 * @param limit levels per snapshot
 * @param snapshotSource rest or book, for snapshots
 * @param snapshotLimit levels of the snapshot that syncs a delta stream's book
 * @param snapshotUrl REST endpoint of that snapshot (default: the market's snapshot URL)
 * @param symbols which symbols
 * @param options the venue's own keys of this feed (see {@link Venue#extraFeedKeys}), as written,
 *     e.g. {@code depth: 200}; empty for most feeds
 */
public record FeedSettings(
    DataType type,
    boolean enabled,
    URI url,
    long intervalMs,
    int limit,
    SnapshotSource snapshotSource,
    int snapshotLimit,
    URI snapshotUrl,
    SymbolSelection symbols,
    Map<String, String> options) {
  public FeedSettings {
    requireNonNull(type, "type is null");
    requireNonNull(url, "url is null");
    requireNonNull(symbols, "symbols is null");
    options = Map.copyOf(options);
  }

  /** A feed without venue-specific options. */
  public FeedSettings(
      DataType type,
      boolean enabled,
      URI url,
      long intervalMs,
      int limit,
      SnapshotSource snapshotSource,
      int snapshotLimit,
      URI snapshotUrl,
      SymbolSelection symbols) {
    this(
        type,
        enabled,
        url,
        intervalMs,
        limit,
        snapshotSource,
        snapshotLimit,
        snapshotUrl,
        symbols,
        Map.of());
  }

  /**
   * A venue's default for a feed: enabled, for no symbols yet, snapshots from REST, no book seed.
   */
  public static FeedSettings defaults(DataType type, URI url, long intervalMs, int limit) {
    return new FeedSettings(
        type,
        true,
        url,
        intervalMs,
        limit,
        type == DataType.ORDERBOOK_SNAPSHOT ? SnapshotSource.REST : null,
        0,
        null,
        SymbolSelection.none());
  }

  /** A venue-specific option, or null when not configured. */
  public String option(String key) {
    return options.get(key);
  }

  /** The same feed for other symbols. */
  public FeedSettings withSymbols(SymbolSelection value) {
    return new FeedSettings(
        type,
        enabled,
        url,
        intervalMs,
        limit,
        snapshotSource,
        snapshotLimit,
        snapshotUrl,
        value,
        options);
  }

  /** The same feed from another endpoint (a test server, a mirror, a testnet). */
  public FeedSettings withUrl(URI value) {
    return new FeedSettings(
        type,
        enabled,
        value,
        intervalMs,
        limit,
        snapshotSource,
        snapshotLimit,
        snapshotUrl,
        symbols,
        options);
  }

  /** The same delta feed seeding its books from another REST endpoint. */
  public FeedSettings withSnapshotUrl(URI value) {
    return new FeedSettings(
        type,
        enabled,
        url,
        intervalMs,
        limit,
        snapshotSource,
        snapshotLimit,
        value,
        symbols,
        options);
  }
}
