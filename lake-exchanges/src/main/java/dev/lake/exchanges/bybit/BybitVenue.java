package dev.lake.exchanges.bybit;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.Connector;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.Venue;
import java.net.URI;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Bybit v5: spot ({@code category=spot}) and linear USDT/USDC perpetuals and futures ({@code
 * category=linear}, market {@code future}). Default URLs are Bybit's production endpoints. Books
 * come from {@code orderbook.{depth}.{symbol}} (the {@code depth} key: 1, 50, 200 or 1000; default
 * 200), seeded by the snapshot in the stream; open interest and funding from the {@code tickers}
 * stream by default, or from REST when their {@code url} is HTTP(S).
 */
public final class BybitVenue implements Venue {
  public static final String NAME = "bybit";

  /** The {@code orderbook.delta} key choosing the book depth subscribed. */
  static final String DEPTH = "depth";

  static final int DEFAULT_DEPTH = 200;
  // Bybit's docs list these depths; the real linear sample (2024-12) is orderbook.500, a depth
  // Bybit has since replaced by 1000. The docs win for what lake subscribes; the parser reads any.
  private static final int[] DEPTHS = {1, 50, 200, 1000};
  private static final int MAX_SYMBOL_LENGTH = 30;
  private static final String REST = "https://api.bybit.com/v5/market/";
  private static final String STREAM = "wss://stream.bybit.com/v5/public/";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<DataType> dataTypes(MarketType market) {
    return market == MarketType.SPOT
        ? EnumSet.of(
            DataType.ORDERBOOK_SNAPSHOT,
            DataType.ORDERBOOK_DELTA,
            DataType.CONTRACTS,
            DataType.TRADES)
        : EnumSet.allOf(DataType.class);
  }

  @Override
  public FeedSettings defaults(MarketType market, DataType type) {
    URI stream = URI.create(STREAM + BybitRest.category(market));
    return switch (type) {
      case ORDERBOOK_SNAPSHOT ->
          FeedSettings.defaults(type, URI.create(REST + "orderbook"), 1000, 50);
      case ORDERBOOK_DELTA ->
          FeedSettings.defaults(type, stream, pushIntervalMs(market, DEFAULT_DEPTH), 0);
      case CONTRACTS ->
          FeedSettings.defaults(type, URI.create(REST + "instruments-info"), 3_600_000, 0);
      case LIQUIDATION, TRADES -> FeedSettings.defaults(type, stream, 0, 0);
      case OPEN_INTEREST, FUNDING_RATE -> FeedSettings.defaults(type, stream, 60_000, 0);
    };
  }

  /**
   * Bybit's REST endpoints share a host, and so do its streams: a REST URL the user configured (a
   * testnet such as {@code https://api-testnet.bybit.com}, a mirror, a proxy) moves every REST
   * endpoint of the market there with Bybit's paths, including the instruments of {@code symbols:
   * all}; a WebSocket URL moves the other streams to its host.
   */
  @Override
  public FeedSettings defaults(MarketType market, DataType type, Collection<URI> configured) {
    FeedSettings defaults = defaults(market, type);
    URI rest = configured.stream().filter(BybitVenue::isHttp).findFirst().orElse(null);
    URI socket = configured.stream().filter(uri -> !isHttp(uri)).findFirst().orElse(null);
    URI host = isHttp(defaults.url()) ? rest : socket;
    return host == null ? defaults : defaults.withUrl(Venue.sameHost(host, defaults.url()));
  }

  static boolean isHttp(URI uri) {
    return uri.getScheme() != null && uri.getScheme().startsWith("http");
  }

  /** How often Bybit pushes a book of a depth (docs): its {@code interval_ms}. */
  static long pushIntervalMs(MarketType market, int depth) {
    return switch (depth) {
      case 1 -> 10;
      case 50 -> 20;
      case 200 -> market == MarketType.SPOT ? 200 : 100;
      default -> 200;
    };
  }

  /** The depth a delta feed subscribes: its {@code depth} key, else 200. */
  static int depth(FeedSettings feed) {
    String value = feed.option(DEPTH);
    return value == null ? DEFAULT_DEPTH : Integer.parseInt(value);
  }

  @Override
  public List<String> extraFeedKeys(MarketType market, DataType type) {
    return type == DataType.ORDERBOOK_DELTA ? List.of(DEPTH) : List.of();
  }

  @Override
  public String check(MarketType market, FeedSettings feed) {
    String scheme = feed.url().getScheme();
    boolean websocket = "ws".equals(scheme) || "wss".equals(scheme);
    boolean http = "http".equals(scheme) || "https".equals(scheme);
    switch (feed.type()) {
      case ORDERBOOK_DELTA, LIQUIDATION, TRADES -> {
        if (!websocket) {
          return "url " + feed.url() + " (expected a ws:// or wss:// URL)";
        }
      }
      case OPEN_INTEREST, FUNDING_RATE -> {
        if (!websocket && !http) {
          return "url "
              + feed.url()
              + " (expected a wss:// URL for the tickers stream or an https:// URL for REST)";
        }
      }
      default -> {
        if (!http) {
          return "url " + feed.url() + " (expected a http:// or https:// URL)";
        }
      }
    }
    return switch (feed.type()) {
      case ORDERBOOK_SNAPSHOT -> checkLimit(market, feed.limit());
      case ORDERBOOK_DELTA -> checkDepth(market, feed);
      default -> null;
    };
  }

  private static String checkLimit(MarketType market, int limit) {
    int max = market == MarketType.SPOT ? 200 : 500;
    return limit >= 1 && limit <= max ? null : "limit " + limit + " (expected 1 to " + max + ")";
  }

  private static String checkDepth(MarketType market, FeedSettings feed) {
    String value = feed.option(DEPTH);
    int depth;
    try {
      depth = value == null ? DEFAULT_DEPTH : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      depth = -1;
    }
    boolean known = false;
    for (int option : DEPTHS) {
      known |= option == depth;
    }
    if (!known) {
      return "depth " + value + " (expected one of 1, 50, 200, 1000: Bybit's book depths)";
    }
    long speed = pushIntervalMs(market, depth);
    long unset = pushIntervalMs(market, DEFAULT_DEPTH);
    if (feed.intervalMs() != speed && feed.intervalMs() != unset) {
      return "interval_ms "
          + feed.intervalMs()
          + " (expected "
          + speed
          + ": Bybit pushes orderbook."
          + depth
          + " every "
          + speed
          + " ms; depth chooses the speed)";
    }
    return null;
  }

  /**
   * Bybit's symbols: upper-case letters and digits ({@code BTCUSDT}, {@code BTCPERP}), a hyphen
   * before the delivery date of linear futures ({@code BTC-26DEC25}); at most 30 characters.
   */
  @Override
  public String checkSymbol(MarketType market, String symbol) {
    boolean valid =
        !symbol.isEmpty()
            && symbol.length() <= MAX_SYMBOL_LENGTH
            && symbol
                .chars()
                .allMatch(c -> c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-');
    if (valid) {
      return null;
    }
    String expected =
        "a Bybit symbol: up to "
            + MAX_SYMBOL_LENGTH
            + " upper-case letters and digits, e.g. BTCUSDT (BTC-26DEC25 for a dated future)";
    String upper = symbol.toUpperCase(Locale.ROOT);
    if (!upper.equals(symbol) && checkSymbol(market, upper) == null) {
      return expected + "; Bybit symbols are upper case: write " + upper;
    }
    return expected;
  }

  @Override
  public Connector connector(MarketSettings settings, ConnectorContext context) {
    return new BybitConnector(settings, context);
  }

  @Override
  public String unsupportedReason(MarketType market, DataType type) {
    return "Bybit spot has no public " + type.table().replace('_', ' ') + " feed";
  }
}
