package dev.lake.exchanges;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.MarketType;
import java.util.Map;

/**
 * The configured feeds of one venue market.
 *
 * @param exchange the venue, lower case
 * @param market spot or future
 * @param feeds the feeds, by type; absent types are not collected
 * @param credentials the market's API credentials where the venue needs them for public data
 *     (Coinbase INTX signs its subscriptions), else null
 */
public record MarketSettings(
    String exchange,
    MarketType market,
    Map<DataType, FeedSettings> feeds,
    Credentials credentials) {
  public MarketSettings {
    requireNonNull(exchange, "exchange is null");
    requireNonNull(market, "market is null");
    feeds = Map.copyOf(feeds);
  }

  /** A market without credentials. */
  public MarketSettings(String exchange, MarketType market, Map<DataType, FeedSettings> feeds) {
    this(exchange, market, feeds, null);
  }

  /** The feed of a type when configured and enabled, else null. */
  public FeedSettings enabled(DataType type) {
    FeedSettings feed = feeds.get(type);
    return feed != null && feed.enabled() ? feed : null;
  }
}
