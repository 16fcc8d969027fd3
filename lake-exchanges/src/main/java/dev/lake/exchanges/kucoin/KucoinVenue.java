package dev.lake.exchanges.kucoin;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.Connector;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.SymbolSelection;
import dev.lake.exchanges.Venue;
import java.net.URI;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * KuCoin: {@code spot} ({@code https://api.kucoin.com}) and {@code future} (USDT-margined and
 * inverse perpetuals, {@code https://api-futures.kucoin.com}). Streamed feeds ({@code
 * orderbook_delta}, {@code trades}) are configured with the market's {@code bullet-public} URL:
 * KuCoin hands out the WebSocket endpoint and a token there before every connect. No public
 * liquidations on either market. Spot takes optional {@code credentials} (key, secret, passphrase
 * of a KuCoin API key): with them, spot books are seeded from the signed full-depth {@code
 * /api/v3/market/orderbook/level2} on the host of {@code snapshot_url}, which then names the public
 * fallback; without, from the public top 100.
 */
public final class KucoinVenue implements Venue {
  public static final String NAME = "kucoin";
  static final String SPOT_REST = "https://api.kucoin.com";
  static final String FUTURE_REST = "https://api-futures.kucoin.com";
  static final String BULLET = "/api/v1/bullet-public";

  /** The full-depth spot book, for signed requests only (see {@link KucoinSigner}). */
  static final String FULL_BOOK = "/api/v3/market/orderbook/level2";

  /** {@code level2_20} or {@code level2_100} (spot), {@code depth20} or {@code depth100}. */
  private static final Pattern SPOT = Pattern.compile("[A-Z0-9]{1,20}-[A-Z0-9]{1,20}");

  private static final Pattern FUTURE = Pattern.compile("[A-Z0-9]{2,30}");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<MarketType> markets() {
    return EnumSet.allOf(MarketType.class);
  }

  @Override
  public Set<DataType> dataTypes(MarketType market) {
    Set<DataType> types =
        market == MarketType.SPOT ? DataType.spotFeeds() : EnumSet.allOf(DataType.class);
    types = EnumSet.copyOf(types);
    types.remove(DataType.LIQUIDATION);
    return types;
  }

  private static String rest(MarketType market) {
    return market == MarketType.SPOT ? SPOT_REST : FUTURE_REST;
  }

  /** The endpoint of a market's book snapshots: top 100 (spot public) or full depth (futures). */
  private static URI seedUrl(MarketType market) {
    return URI.create(
        rest(market)
            + (market == MarketType.SPOT
                ? "/api/v1/market/orderbook/level2_100"
                : "/api/v1/level2/snapshot"));
  }

  @Override
  public FeedSettings defaults(MarketType market, DataType type) {
    String rest = rest(market);
    boolean spot = market == MarketType.SPOT;
    URI bullet = URI.create(rest + BULLET);
    return switch (type) {
      case ORDERBOOK_SNAPSHOT ->
          FeedSettings.defaults(
              type,
              URI.create(
                  rest
                      + (spot ? "/api/v1/market/orderbook/level2_100" : "/api/v1/level2/depth100")),
              1000,
              100);
      case ORDERBOOK_DELTA ->
          new FeedSettings(
              type, true, bullet, 0, 0, null, 0, seedUrl(market), SymbolSelection.none());
      case CONTRACTS ->
          FeedSettings.defaults(
              type,
              URI.create(rest + (spot ? "/api/v2/symbols" : "/api/v1/contracts/active")),
              3_600_000,
              0);
      case TRADES, LIQUIDATION -> FeedSettings.defaults(type, bullet, 0, 0);
      case OPEN_INTEREST ->
          FeedSettings.defaults(type, URI.create(rest + "/api/v1/contracts/active"), 10_000, 0);
      case FUNDING_RATE ->
          FeedSettings.defaults(type, URI.create(rest + "/api/v1/funding-rate"), 60_000, 0);
    };
  }

  /**
   * KuCoin's paths are the same on every host of a market: a URL the user configured moves every
   * endpoint of the market to its host (a proxy, a test server), the book seed included.
   */
  @Override
  public FeedSettings defaults(MarketType market, DataType type, Collection<URI> configured) {
    FeedSettings defaults = defaults(market, type);
    URI host = configured.stream().findFirst().orElse(null);
    if (host != null) {
      defaults = defaults.withUrl(Venue.sameHost(host, defaults.url()));
      if (defaults.snapshotUrl() != null) {
        defaults = defaults.withSnapshotUrl(Venue.sameHost(host, defaults.snapshotUrl()));
      }
    }
    return defaults;
  }

  /** Spot only: the full-depth seed is signed; futures' full depth is public. */
  @Override
  public boolean acceptsCredentials(MarketType market) {
    return market == MarketType.SPOT;
  }

  @Override
  public boolean seedsBooksFromRest(MarketType market) {
    return true;
  }

  @Override
  public String check(MarketType market, FeedSettings feed) {
    String scheme = Venue.checkScheme(feed, false);
    if (scheme != null) {
      return scheme
          + (feed.type() == DataType.ORDERBOOK_DELTA || feed.type() == DataType.TRADES
              ? "; KuCoin streams are reached through the bullet-public endpoint, e.g. "
                  + rest(market)
                  + BULLET
              : "");
    }
    boolean streamed = feed.type() == DataType.ORDERBOOK_DELTA || feed.type() == DataType.TRADES;
    if (streamed && !feed.url().getPath().endsWith(BULLET)) {
      return "url "
          + feed.url()
          + " (expected the bullet-public endpoint, e.g. "
          + rest(market)
          + BULLET
          + ")";
    }
    if (feed.type() == DataType.ORDERBOOK_SNAPSHOT) {
      int max = maxLevels(feed.url());
      if (max > 0 && (feed.limit() < 1 || feed.limit() > max)) {
        return "limit " + feed.limit() + " (expected 1 to " + max + " for " + feed.url() + ")";
      }
    }
    if (feed.type() == DataType.FUNDING_RATE && !feed.url().getPath().endsWith("/funding-rate")) {
      return "url "
          + feed.url()
          + " (expected the funding-rate endpoint, e.g. "
          + FUTURE_REST
          + "/api/v1/funding-rate: lake asks /{symbol}/current under it)";
    }
    return null;
  }

  /** The levels a snapshot endpoint answers: 20 or 100 by its name, 0 for the full book. */
  static int maxLevels(URI url) {
    String path = url.getPath();
    if (path.endsWith("20")) {
      return 20;
    }
    if (path.endsWith("100")) {
      return 100;
    }
    return 0;
  }

  /**
   * KuCoin symbols: {@code BTC-USDT} on spot; {@code XBTUSDTM} (linear perpetual) or {@code
   * XBTUSDM} (inverse) on future, upper case (KuCoin calls BTC {@code XBT} on futures).
   */
  @Override
  public String checkSymbol(MarketType market, String symbol) {
    boolean spot = market == MarketType.SPOT;
    if ((spot ? SPOT : FUTURE).matcher(symbol).matches()) {
      return null;
    }
    String expected =
        spot
            ? "a KuCoin spot symbol: BASE-QUOTE in upper case, e.g. BTC-USDT"
            : "a KuCoin futures symbol in upper case, e.g. XBTUSDTM or XBTUSDM";
    String upper = symbol.toUpperCase(Locale.ROOT);
    if (!upper.equals(symbol) && checkSymbol(market, upper) == null) {
      return expected + "; KuCoin symbols are upper case: write " + upper;
    }
    return expected;
  }

  @Override
  public Connector connector(MarketSettings settings, ConnectorContext context) {
    return new KucoinConnector(settings, context);
  }

  @Override
  public String unsupportedReason(MarketType market, DataType type) {
    if (type == DataType.LIQUIDATION) {
      return "KuCoin publishes no liquidations on spot or futures";
    }
    return "KuCoin spot has no public " + type.table().replace('_', ' ') + " feed";
  }
}
