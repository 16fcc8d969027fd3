package dev.lake.exchanges.okx;

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
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * OKX v5: {@code spot} (instType SPOT) and {@code future} (SWAP perpetuals, and dated FUTURES where
 * the user lists them). Every public feed is on {@code /ws/v5/public} or the REST host {@code
 * https://www.okx.com}; the defaults are OKX's production endpoints.
 */
public final class OkxVenue implements Venue {
  public static final String NAME = "okx";
  static final String REST = "https://www.okx.com";
  static final String PUBLIC_WS = "wss://ws.okx.com:8443/ws/v5/public";

  /** The most levels {@code /api/v5/market/books} answers; {@code books-full} goes to 5000. */
  static final int BOOKS_MAX = 400;

  static final int BOOKS_FULL_MAX = 5000;

  private static final Pattern SPOT = Pattern.compile("[A-Z0-9]{1,20}-[A-Z0-9]{1,20}");
  private static final Pattern DERIVATIVE =
      Pattern.compile("[A-Z0-9]{1,20}-[A-Z0-9]{1,20}-(SWAP|[0-9]{6})");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public FeedSettings defaults(MarketType market, DataType type) {
    URI books = URI.create(REST + "/api/v5/market/books");
    URI socket = URI.create(PUBLIC_WS);
    return switch (type) {
      case ORDERBOOK_SNAPSHOT -> FeedSettings.defaults(type, books, 1000, 100);
      case ORDERBOOK_DELTA ->
          new FeedSettings(
              type, true, socket, 100, 0, null, BOOKS_MAX, books, SymbolSelection.none());
      case CONTRACTS ->
          FeedSettings.defaults(
              type, URI.create(REST + "/api/v5/public/instruments"), 3_600_000, 0);
      case LIQUIDATION, TRADES -> FeedSettings.defaults(type, socket, 0, 0);
      case OPEN_INTEREST ->
          FeedSettings.defaults(type, URI.create(REST + "/api/v5/public/open-interest"), 10_000, 0);
      case FUNDING_RATE ->
          FeedSettings.defaults(type, URI.create(REST + "/api/v5/public/funding-rate"), 60_000, 0);
    };
  }

  /**
   * OKX's paths are the same on every host (production, {@code us.okx.com}, {@code eea.okx.com}, a
   * proxy or a test server): a REST URL the user configured moves every REST endpoint of the market
   * to its host, the book seed and the instruments of {@code symbols: all} included; a WebSocket
   * URL moves the other streams.
   */
  @Override
  public FeedSettings defaults(MarketType market, DataType type, Collection<URI> configured) {
    FeedSettings defaults = defaults(market, type);
    URI rest = configured.stream().filter(OkxVenue::isHttp).findFirst().orElse(null);
    URI socket = configured.stream().filter(uri -> !isHttp(uri)).findFirst().orElse(null);
    URI host = isHttp(defaults.url()) ? rest : socket;
    if (host != null) {
      defaults = defaults.withUrl(Venue.sameHost(host, defaults.url()));
    }
    if (defaults.snapshotUrl() != null && rest != null) {
      defaults = defaults.withSnapshotUrl(Venue.sameHost(rest, defaults.snapshotUrl()));
    }
    return defaults;
  }

  /** OKX books are seeded from REST when its stream sends no snapshot (snapshot_url applies). */
  @Override
  public boolean seedsBooksFromRest(MarketType market) {
    return true;
  }

  static boolean isHttp(URI uri) {
    return uri.getScheme() != null && uri.getScheme().startsWith("http");
  }

  @Override
  public String check(MarketType market, FeedSettings feed) {
    boolean websocket =
        feed.type() == DataType.ORDERBOOK_DELTA
            || feed.type() == DataType.LIQUIDATION
            || feed.type() == DataType.TRADES;
    String scheme = Venue.checkScheme(feed, websocket);
    if (scheme != null) {
      return scheme;
    }
    switch (feed.type()) {
      case ORDERBOOK_SNAPSHOT -> {
        int max = maxLevels(feed.url());
        if (feed.limit() < 1 || feed.limit() > max) {
          return "limit " + feed.limit() + " (expected 1 to " + max + ")";
        }
      }
      case ORDERBOOK_DELTA -> {
        if (feed.intervalMs() != 100) {
          return "interval_ms "
              + feed.intervalMs()
              + " (expected 100: OKX's books channel pushes every 100 ms)";
        }
        int max = feed.snapshotUrl() == null ? BOOKS_MAX : maxLevels(feed.snapshotUrl());
        if (feed.snapshotLimit() < 1 || feed.snapshotLimit() > max) {
          return "snapshot_limit " + feed.snapshotLimit() + " (expected 1 to " + max + ")";
        }
      }
      default -> {}
    }
    return null;
  }

  /** 400 levels from {@code /market/books}, 5000 from {@code /market/books-full}. */
  static int maxLevels(URI url) {
    return url.getPath().endsWith("books-full") ? BOOKS_FULL_MAX : BOOKS_MAX;
  }

  /**
   * OKX instrument ids: upper-case letters and digits joined by {@code -}: {@code BTC-USDT} on
   * spot; {@code BTC-USDT-SWAP} (a perpetual) or {@code BTC-USD-250926} (a dated future) on future.
   */
  @Override
  public String checkSymbol(MarketType market, String symbol) {
    boolean spot = market == MarketType.SPOT;
    if ((spot ? SPOT : DERIVATIVE).matcher(symbol).matches()) {
      return null;
    }
    String expected =
        spot
            ? "an OKX spot instrument id: BASE-QUOTE in upper case, e.g. BTC-USDT"
            : "an OKX SWAP or FUTURES instrument id in upper case, e.g. BTC-USDT-SWAP or"
                + " BTC-USD-250926";
    String upper = symbol.toUpperCase(Locale.ROOT);
    if (!upper.equals(symbol) && checkSymbol(market, upper) == null) {
      return expected + "; OKX instrument ids are upper case: write " + upper;
    }
    return expected;
  }

  /** True for a dated future's id ({@code BTC-USD-250926}), false for a perpetual or spot. */
  static boolean datedFuture(String symbol) {
    return DERIVATIVE.matcher(symbol).matches() && !symbol.endsWith("-SWAP");
  }

  @Override
  public Connector connector(MarketSettings settings, ConnectorContext context) {
    return new OkxConnector(settings, context);
  }

  @Override
  public String unsupportedReason(MarketType market, DataType type) {
    return "OKX spot has no public " + type.table().replace('_', ' ') + " feed";
  }
}
