package dev.lake.exchanges.binance;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.SymbolSelection;
import dev.lake.exchanges.Venue;
import java.net.URI;
import java.util.Collection;
import java.util.Locale;

/**
 * Binance spot and USD-M futures. Default URLs are Binance's production endpoints; USD-M book data
 * and trades ({@code @trade}) come from the {@code /public} route and liquidations from the {@code
 * /market} route (streams of the wrong route are silently not delivered).
 */
public final class BinanceVenue implements Venue {
  public static final String NAME = "binance";
  private static final int MAX_SYMBOL_LENGTH = 20;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public FeedSettings defaults(MarketType market, DataType type) {
    boolean spot = market == MarketType.SPOT;
    String rest = spot ? "https://api.binance.com/api/v3" : "https://fapi.binance.com/fapi/v1";
    URI depth = URI.create(rest + "/depth");
    return switch (type) {
      case ORDERBOOK_SNAPSHOT -> FeedSettings.defaults(type, depth, 1000, 100);
      case ORDERBOOK_DELTA ->
          new FeedSettings(
              type,
              true,
              URI.create(
                  spot
                      ? "wss://stream.binance.com:9443/ws"
                      : "wss://fstream.binance.com/public/ws"),
              100,
              0,
              null,
              1000,
              depth,
              SymbolSelection.none());
      case CONTRACTS ->
          FeedSettings.defaults(type, URI.create(rest + "/exchangeInfo"), 3_600_000, 0);
      case LIQUIDATION ->
          FeedSettings.defaults(type, URI.create("wss://fstream.binance.com/market/ws"), 0, 0);
      case OPEN_INTEREST ->
          FeedSettings.defaults(type, URI.create(rest + "/openInterest"), 10_000, 0);
      case FUNDING_RATE ->
          FeedSettings.defaults(type, URI.create(rest + "/premiumIndex"), 60_000, 0);
      case TRADES ->
          FeedSettings.defaults(
              type,
              URI.create(
                  spot
                      ? "wss://stream.binance.com:9443/ws"
                      : "wss://fstream.binance.com/public/ws"),
              0,
              0);
    };
  }

  /**
   * Binance's endpoints of a market share a host: a REST URL the user configured (a testnet such as
   * {@code https://testnet.binance.vision/api/v3/depth}, a mirror, a proxy) moves every REST
   * endpoint of the market there, including the snapshot that seeds the books and the exchangeInfo
   * of {@code symbols: all}; a WebSocket URL moves the other streams to its host.
   */
  @Override
  public FeedSettings defaults(MarketType market, DataType type, Collection<URI> configured) {
    FeedSettings defaults = defaults(market, type);
    URI rest = configured.stream().filter(BinanceVenue::isHttp).findFirst().orElse(null);
    URI socket = configured.stream().filter(uri -> !isHttp(uri)).findFirst().orElse(null);
    if (isHttp(defaults.url()) && rest != null) {
      defaults = defaults.withUrl(sibling(rest, defaults.url()));
    } else if (!isHttp(defaults.url()) && socket != null) {
      defaults = defaults.withUrl(Venue.sameHost(socket, defaults.url()));
    }
    if (defaults.snapshotUrl() != null && rest != null) {
      defaults = defaults.withSnapshotUrl(sibling(rest, defaults.snapshotUrl()));
    }
    return defaults;
  }

  @Override
  public boolean seedsBooksFromRest(MarketType market) {
    return true;
  }

  private static boolean isHttp(URI uri) {
    return uri.getScheme() != null && uri.getScheme().startsWith("http");
  }

  /** The endpoint named like {@code production}'s last path segment, beside {@code configured}. */
  private static URI sibling(URI configured, URI production) {
    String path = production.getPath();
    return configured.resolve(path.substring(path.lastIndexOf('/') + 1));
  }

  @Override
  public String check(MarketType market, FeedSettings feed) {
    boolean spot = market == MarketType.SPOT;
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
        String limits = spot ? null : checkOneOf(feed.limit(), FUTURES_LIMITS);
        if (spot && (feed.limit() < 1 || feed.limit() > 5000)) {
          return "limit " + feed.limit() + " (expected 1 to 5000)";
        }
        if (limits != null) {
          return "limit " + feed.limit() + " (expected one of " + limits + ")";
        }
      }
      case ORDERBOOK_DELTA -> {
        int[] speeds = spot ? new int[] {100, 1000} : new int[] {100, 250, 500};
        String speedList = checkOneOf((int) feed.intervalMs(), speeds);
        if (speedList != null) {
          return "interval_ms "
              + feed.intervalMs()
              + " (expected one of "
              + speedList
              + ": the stream's update speed)";
        }
        String limits = spot ? null : checkOneOf(feed.snapshotLimit(), FUTURES_LIMITS);
        if (spot && (feed.snapshotLimit() < 1 || feed.snapshotLimit() > 5000)) {
          return "snapshot_limit " + feed.snapshotLimit() + " (expected 1 to 5000)";
        }
        if (limits != null) {
          return "snapshot_limit " + feed.snapshotLimit() + " (expected one of " + limits + ")";
        }
      }
      default -> {}
    }
    return null;
  }

  /**
   * Binance's symbols: upper-case letters and digits ({@code BTCUSDT}), an underscore before the
   * delivery date of USD-M quarterly futures ({@code BTCUSDT_250926}), and letters without case
   * (Binance lists symbols such as {@code 币安人生USDT}); at most 20 characters, as Binance's REST API
   * documents in its error -1100 ({@code ^[A-Z0-9-_.]{1,20}$}), whose {@code -} and {@code .} no
   * listed symbol uses.
   */
  @Override
  public String checkSymbol(MarketType market, String symbol) {
    boolean valid =
        !symbol.isEmpty()
            && symbol.codePointCount(0, symbol.length()) <= MAX_SYMBOL_LENGTH
            && symbol.codePoints().allMatch(BinanceVenue::symbolCharacter);
    if (valid) {
      return null;
    }
    String expected =
        "a Binance symbol: up to "
            + MAX_SYMBOL_LENGTH
            + " upper-case letters and digits, e.g. BTCUSDT (BTCUSDT_250926 for a quarterly"
            + " future)";
    String upper = symbol.toUpperCase(Locale.ROOT);
    if (!upper.equals(symbol) && checkSymbol(market, upper) == null) {
      return expected + "; Binance symbols are upper case: write " + upper;
    }
    return expected;
  }

  private static boolean symbolCharacter(int c) {
    return c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || c == '_'
        || c > 0x7f
            && Character.isLetter(c)
            && !Character.isUpperCase(c)
            && !Character.isLowerCase(c)
            && !Character.isTitleCase(c);
  }

  private static final int[] FUTURES_LIMITS = {5, 10, 20, 50, 100, 500, 1000};

  /** Null when the value is one of the options, else the options as text. */
  private static String checkOneOf(int value, int[] options) {
    StringBuilder text = new StringBuilder();
    for (int option : options) {
      if (option == value) {
        return null;
      }
      text.append(text.length() == 0 ? "" : ", ").append(option);
    }
    return text.toString();
  }

  @Override
  public dev.lake.exchanges.Connector connector(
      dev.lake.exchanges.MarketSettings settings, dev.lake.exchanges.ConnectorContext context) {
    return new BinanceConnector(settings, context);
  }

  @Override
  public String unsupportedReason(MarketType market, DataType type) {
    return "Binance spot has no public " + type.table().replace('_', ' ') + " feed";
  }
}
