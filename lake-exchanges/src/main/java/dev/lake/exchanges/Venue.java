package dev.lake.exchanges;

import dev.lake.core.model.MarketType;
import java.net.URI;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What lake knows of one venue: its markets, the feeds each market offers, and their default
 * settings (real URLs and intervals), which configuration overrides key by key.
 */
public interface Venue {
  /**
   * The venue's name in lower case, as in {@code source.<name>} and the {@code exchange} column.
   */
  String name();

  /** The markets lake collects from this venue: by default spot and futures. */
  default Set<MarketType> markets() {
    return EnumSet.allOf(MarketType.class);
  }

  /**
   * The feeds a market offers publicly: by default every feed on futures, and on spot every feed
   * but those of derivatives (liquidations, open interest, funding).
   */
  default Set<DataType> dataTypes(MarketType market) {
    return market == MarketType.SPOT ? DataType.spotFeeds() : EnumSet.allOf(DataType.class);
  }

  /** The default settings of a feed the market offers: the venue's production endpoints. */
  FeedSettings defaults(MarketType market, DataType type);

  /**
   * The default settings of a feed when the user configured the URLs of other feeds of the same
   * market: endpoints a feed derives (a REST snapshot that seeds a book, the instruments list of
   * {@code symbols: all}, sibling REST endpoints) follow the host the user chose (a testnet, a
   * mirror, a proxy) rather than production. The default keeps {@link #defaults(MarketType,
   * DataType)}.
   *
   * @param configured the URLs the user gave explicitly for this market's feeds ({@code url},
   *     {@code snapshot_url})
   */
  default FeedSettings defaults(MarketType market, DataType type, Collection<URI> configured) {
    return defaults(market, type);
  }

  /**
   * Keys a feed accepts beyond the common ones ({@code enabled, url, symbols, quote_assets,
   * max_symbols}, {@code interval_ms} where polled or streamed at a speed, {@code limit, source}
   * for snapshots, {@code snapshot_limit, snapshot_url} for REST-seeded books): the venue's own,
   * e.g. {@code depth} where it offers a choice of book depths. Their values reach the connector as
   * {@link FeedSettings#options()} and are checked by {@link #check}.
   */
  default List<String> extraFeedKeys(MarketType market, DataType type) {
    return List.of();
  }

  /** Whether the market needs {@code credentials: {key, secret, passphrase}} (from ${ENV}). */
  default boolean needsCredentials(MarketType market) {
    return false;
  }

  /**
   * Whether the market takes {@code credentials} at all: where it {@link #needsCredentials needs}
   * them, and where they are optional and unlock more than public data (KuCoin spot: the full-depth
   * book seed). A market that takes none refuses a {@code credentials} block.
   */
  default boolean acceptsCredentials(MarketType market) {
    return needsCredentials(market);
  }

  /** Whether the venue seeds books of this market from a REST snapshot (snapshot_url applies). */
  default boolean seedsBooksFromRest(MarketType market) {
    return false;
  }

  /**
   * Checks a feed's settings against what the venue accepts (levels, update speeds, URL schemes).
   *
   * @return null when fine, else what is wrong and what was expected, e.g. {@code "limit 7
   *     (expected one of 5, 10, 20, 50, 100, 500, 1000)"}
   */
  String check(MarketType market, FeedSettings feed);

  /**
   * Checks a symbol as configured in {@code symbols} against the symbols the venue can have on a
   * market. Symbols are sent to the venue in URLs and subscriptions and stored as the {@code
   * symbol} column, so they are taken exactly as written: a spelling the venue does not use (e.g.
   * lower case where it lists upper case) is refused, not corrected.
   *
   * @return null when the venue can have such a symbol, else what was expected, e.g. {@code "a
   *     Binance symbol: upper-case letters and digits, e.g. BTCUSDT"}
   */
  String checkSymbol(MarketType market, String symbol);

  /** A connector for one configured market of this venue. */
  Connector connector(MarketSettings settings, ConnectorContext context);

  /** Why a feed is not offered (e.g. "Binance spot has no public liquidations"). */
  String unsupportedReason(MarketType market, DataType type);

  /**
   * Checks that a feed's URL has the scheme its transport needs.
   *
   * @param websocket whether the feed is streamed ({@code ws://}, {@code wss://}) rather than
   *     polled ({@code http://}, {@code https://})
   * @return null when fine, else what is wrong and what was expected
   */
  static String checkScheme(FeedSettings feed, boolean websocket) {
    String scheme = feed.url().getScheme();
    if (websocket
        ? !"ws".equals(scheme) && !"wss".equals(scheme)
        : !"http".equals(scheme) && !"https".equals(scheme)) {
      return "url "
          + feed.url()
          + " (expected a "
          + (websocket ? "ws:// or wss://" : "http:// or https://")
          + " URL)";
    }
    return null;
  }

  /**
   * A default moved to the hosts the user configured for the market, for venues whose paths are the
   * same on every host: a REST default to the host of the first HTTP(S) URL configured, a WebSocket
   * default to the host of the first WebSocket URL; unchanged when none is configured.
   */
  static FeedSettings onConfiguredHost(FeedSettings defaults, Collection<URI> configured) {
    boolean http = isHttp(defaults.url());
    for (URI uri : configured) {
      if (isHttp(uri) == http) {
        return defaults.withUrl(sameHost(uri, defaults.url()));
      }
    }
    return defaults;
  }

  /** Whether a URL is HTTP(S), not a WebSocket. */
  static boolean isHttp(URI uri) {
    return uri.getScheme() != null && uri.getScheme().startsWith("http");
  }

  /** {@code production}'s path on {@code configured}'s scheme, host and port. */
  static URI sameHost(URI configured, URI production) {
    return URI.create(
        configured.getScheme() + "://" + configured.getRawAuthority() + production.getRawPath());
  }
}
