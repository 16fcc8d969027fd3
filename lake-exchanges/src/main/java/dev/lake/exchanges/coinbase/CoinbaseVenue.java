package dev.lake.exchanges.coinbase;

import dev.lake.core.model.MarketType;
import dev.lake.core.model.SnapshotSource;
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
 * Coinbase: {@code spot} is Advanced Trade (books from the public {@code level2} channel of {@code
 * wss://advanced-trade-ws.coinbase.com}, trades from {@code market_trades}, book snapshots and
 * products from the public REST host {@code https://api.coinbase.com}); {@code future} is Coinbase
 * International (INTX) perpetuals ({@code LEVEL2}, {@code MATCH}, {@code RISK} and {@code FUNDING}
 * on {@code wss://ws-md.international.coinbase.com}, every subscribe signed with the user's API
 * key, so the market needs {@code credentials}; instruments from {@code
 * https://api.international.coinbase.com/api/v1/instruments}). Neither publishes liquidations.
 */
public final class CoinbaseVenue implements Venue {
  public static final String NAME = "coinbase";
  static final String REST = "https://api.coinbase.com";
  static final String WS = "wss://advanced-trade-ws.coinbase.com";
  static final String INTX_REST = "https://api.international.coinbase.com";
  static final String INTX_WS = "wss://ws-md.international.coinbase.com";

  /** The most levels {@code product_book} answers with {@code limit}. */
  static final int BOOK_MAX = 1000;

  private static final Pattern PRODUCT = Pattern.compile("[A-Z0-9]{1,20}-[A-Z0-9]{1,20}");
  private static final Pattern PERPETUAL = Pattern.compile("[A-Z0-9]{1,20}-PERP");

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
    if (market == MarketType.SPOT) {
      return DataType.spotFeeds();
    }
    EnumSet<DataType> types = EnumSet.allOf(DataType.class);
    types.remove(DataType.LIQUIDATION);
    return types;
  }

  /** INTX signs every subscription, public market data included. */
  @Override
  public boolean needsCredentials(MarketType market) {
    return market == MarketType.FUTURE;
  }

  @Override
  public FeedSettings defaults(MarketType market, DataType type) {
    if (market == MarketType.FUTURE) {
      return intxDefaults(type);
    }
    URI socket = URI.create(WS);
    return switch (type) {
      case ORDERBOOK_SNAPSHOT ->
          FeedSettings.defaults(
              type, URI.create(REST + "/api/v3/brokerage/market/product_book"), 1000, 100);
      case ORDERBOOK_DELTA ->
          new FeedSettings(type, true, socket, 0, 0, null, 0, null, SymbolSelection.none());
      case CONTRACTS ->
          FeedSettings.defaults(
              type, URI.create(REST + "/api/v3/brokerage/market/products"), 3_600_000, 0);
      case TRADES -> FeedSettings.defaults(type, socket, 0, 0);
      default -> throw new IllegalArgumentException(unsupportedReason(market, type));
    };
  }

  private FeedSettings intxDefaults(DataType type) {
    URI socket = URI.create(INTX_WS);
    return switch (type) {
      case ORDERBOOK_SNAPSHOT ->
          new FeedSettings(
              type, true, socket, 1000, 100, SnapshotSource.BOOK, 0, null, SymbolSelection.none());
      case ORDERBOOK_DELTA ->
          new FeedSettings(type, true, socket, 0, 0, null, 0, null, SymbolSelection.none());
      case CONTRACTS ->
          FeedSettings.defaults(type, URI.create(INTX_REST + "/api/v1/instruments"), 3_600_000, 0);
      case TRADES, OPEN_INTEREST, FUNDING_RATE -> FeedSettings.defaults(type, socket, 0, 0);
      case LIQUIDATION ->
          throw new IllegalArgumentException(unsupportedReason(MarketType.FUTURE, type));
    };
  }

  /**
   * Coinbase's paths are the same on every host: a REST URL the user configured moves the market's
   * other REST endpoints (the products that {@code symbols: all} and aliases come from) to its
   * host.
   */
  @Override
  public FeedSettings defaults(MarketType market, DataType type, Collection<URI> configured) {
    FeedSettings defaults = defaults(market, type);
    URI rest = configured.stream().filter(CoinbaseVenue::isHttp).findFirst().orElse(null);
    URI socket = configured.stream().filter(uri -> !isHttp(uri)).findFirst().orElse(null);
    URI host = isHttp(defaults.url()) ? rest : socket;
    return host == null ? defaults : defaults.withUrl(Venue.sameHost(host, defaults.url()));
  }

  static boolean isHttp(URI uri) {
    return uri.getScheme() != null && uri.getScheme().startsWith("http");
  }

  @Override
  public String check(MarketType market, FeedSettings feed) {
    if (market == MarketType.FUTURE
        && feed.type() == DataType.ORDERBOOK_SNAPSHOT
        && feed.snapshotSource() != SnapshotSource.BOOK) {
      return "source "
          + feed.snapshotSource().toString().toLowerCase(Locale.ROOT)
          + " (expected book: INTX has no public REST order book, snapshots come from the"
          + " validated local book)";
    }
    boolean websocket =
        feed.type() == DataType.ORDERBOOK_DELTA
            || feed.type() == DataType.TRADES
            || feed.type() == DataType.OPEN_INTEREST
            || feed.type() == DataType.FUNDING_RATE
            || (market == MarketType.FUTURE && feed.type() == DataType.ORDERBOOK_SNAPSHOT);
    String scheme = Venue.checkScheme(feed, websocket);
    if (scheme != null) {
      return scheme;
    }
    if (market == MarketType.SPOT
        && feed.type() == DataType.ORDERBOOK_SNAPSHOT
        && (feed.limit() < 1 || feed.limit() > BOOK_MAX)) {
      return "limit " + feed.limit() + " (expected 1 to " + BOOK_MAX + ")";
    }
    return null;
  }

  /**
   * Coinbase product ids in upper case: spot BASE-QUOTE ({@code BTC-USD}), INTX perpetuals
   * BASE-PERP ({@code BTC-PERP}).
   */
  @Override
  public String checkSymbol(MarketType market, String symbol) {
    Pattern pattern = market == MarketType.SPOT ? PRODUCT : PERPETUAL;
    if (pattern.matcher(symbol).matches()) {
      return null;
    }
    String expected =
        market == MarketType.SPOT
            ? "a Coinbase product id: BASE-QUOTE in upper case, e.g. BTC-USD"
            : "a Coinbase INTX perpetual: BASE-PERP in upper case, e.g. BTC-PERP";
    String upper = symbol.toUpperCase(Locale.ROOT);
    if (!upper.equals(symbol) && pattern.matcher(upper).matches()) {
      return expected + "; Coinbase product ids are upper case: write " + upper;
    }
    return expected;
  }

  @Override
  public Connector connector(MarketSettings settings, ConnectorContext context) {
    return new CoinbaseConnector(settings, context);
  }

  @Override
  public String unsupportedReason(MarketType market, DataType type) {
    if (type == DataType.LIQUIDATION) {
      return "Coinbase publishes no liquidations (neither Advanced Trade nor INTX)";
    }
    return "Coinbase "
        + (market == MarketType.SPOT ? "spot" : "INTX")
        + " has no public "
        + type.table().replace('_', ' ')
        + " feed";
  }
}
