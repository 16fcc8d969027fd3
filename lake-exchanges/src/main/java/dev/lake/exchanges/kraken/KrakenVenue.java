package dev.lake.exchanges.kraken;

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
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Kraken: {@code spot} (WebSocket v2 {@code wss://ws.kraken.com/v2}, REST {@code
 * https://api.kraken.com/0/public/}) and {@code future} (Kraken Futures perpetuals and dated
 * futures: {@code wss://futures.kraken.com/ws/v1}, REST {@code
 * https://futures.kraken.com/derivatives/api/v3/}). Books come from the {@code book} channel or
 * feed, seeded by the snapshot in the stream; spot books are kept at the subscribed depth (the
 * {@code depth} key: 10, 25, 100, 500 or 1000) and checked by Kraken's CRC32 after every message.
 * Book snapshots default to the validated local book on the grid (Kraken's public REST allows about
 * one request a second). Open interest and funding come from the futures {@code ticker} feed.
 */
public final class KrakenVenue implements Venue {
  public static final String NAME = "kraken";

  /** The {@code orderbook.delta} key choosing the spot book depth subscribed. */
  static final String DEPTH = "depth";

  static final int DEFAULT_DEPTH = 100;

  /** The most levels spot {@code Depth} answers ({@code count}); snapshots keep as many. */
  static final int MAX_LEVELS = 500;

  private static final int[] DEPTHS = {10, 25, 100, 500, 1000};
  static final String SPOT_REST = "https://api.kraken.com/0/public/";
  static final String SPOT_WS = "wss://ws.kraken.com/v2";
  static final String FUTURES_REST = "https://futures.kraken.com/derivatives/api/v3/";
  static final String FUTURES_WS = "wss://futures.kraken.com/ws/v1";

  private static final Pattern SPOT = Pattern.compile("[A-Z0-9][A-Za-z0-9]{0,15}/[A-Z0-9]{1,16}");
  private static final Pattern FUTURE =
      Pattern.compile("(PI|PF|FI|FF|PV)_[A-Z0-9][A-Za-z0-9]{1,23}(_[0-9]{6})?");

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
    return market == MarketType.SPOT ? DataType.spotFeeds() : EnumSet.allOf(DataType.class);
  }

  @Override
  public FeedSettings defaults(MarketType market, DataType type) {
    boolean spot = market == MarketType.SPOT;
    URI socket = URI.create(spot ? SPOT_WS : FUTURES_WS);
    String rest = spot ? SPOT_REST : FUTURES_REST;
    return switch (type) {
      case ORDERBOOK_SNAPSHOT ->
          new FeedSettings(
              type,
              true,
              URI.create(rest + (spot ? "Depth" : "orderbook")),
              1000,
              10,
              SnapshotSource.BOOK,
              0,
              null,
              SymbolSelection.none());
      case ORDERBOOK_DELTA -> FeedSettings.defaults(type, socket, 0, 0);
      case CONTRACTS ->
          FeedSettings.defaults(
              type, URI.create(rest + (spot ? "AssetPairs" : "instruments")), 3_600_000, 0);
      case LIQUIDATION, TRADES, OPEN_INTEREST, FUNDING_RATE ->
          FeedSettings.defaults(type, socket, 0, 0);
    };
  }

  /**
   * Kraken's REST paths are the same on every host, and so are its stream paths: a REST URL the
   * user configured moves the market's other REST endpoints (the instruments of {@code symbols:
   * all} included) to its host, a WebSocket URL the other streams.
   */
  @Override
  public FeedSettings defaults(MarketType market, DataType type, Collection<URI> configured) {
    return Venue.onConfiguredHost(defaults(market, type), configured);
  }

  static boolean isHttp(URI uri) {
    return Venue.isHttp(uri);
  }

  /** The depth a spot delta feed subscribes: its {@code depth} key, else 100. */
  static int depth(FeedSettings feed) {
    String value = feed.option(DEPTH);
    return value == null ? DEFAULT_DEPTH : Integer.parseInt(value);
  }

  @Override
  public List<String> extraFeedKeys(MarketType market, DataType type) {
    return market == MarketType.SPOT && type == DataType.ORDERBOOK_DELTA
        ? List.of(DEPTH)
        : List.of();
  }

  @Override
  public String check(MarketType market, FeedSettings feed) {
    boolean websocket =
        switch (feed.type()) {
          case ORDERBOOK_SNAPSHOT, CONTRACTS -> false;
          default -> true;
        };
    String scheme = Venue.checkScheme(feed, websocket);
    if (scheme != null) {
      return scheme;
    }
    return switch (feed.type()) {
      case ORDERBOOK_SNAPSHOT ->
          feed.limit() >= 1 && feed.limit() <= MAX_LEVELS
              ? null
              : "limit " + feed.limit() + " (expected 1 to " + MAX_LEVELS + ")";
      case ORDERBOOK_DELTA -> checkDepth(feed.option(DEPTH));
      default -> null;
    };
  }

  private static String checkDepth(String value) {
    if (value == null) {
      return null;
    }
    try {
      int depth = Integer.parseInt(value);
      for (int option : DEPTHS) {
        if (option == depth) {
          return null;
        }
      }
    } catch (NumberFormatException e) {
      // refused below with what was expected
    }
    return "depth " + value + " (expected one of 10, 25, 100, 500, 1000: Kraken's book depths)";
  }

  /**
   * Kraken's WebSocket v2 pair names on spot ({@code BTC/USD}: Kraken v2 writes BTC, where REST and
   * v1 write XBT), and Kraken Futures product ids on future ({@code PF_XBTUSD}, {@code PI_XBTUSD},
   * {@code FI_XBTUSD_250926}), upper case.
   */
  @Override
  public String checkSymbol(MarketType market, String symbol) {
    boolean spot = market == MarketType.SPOT;
    if ((spot ? SPOT : FUTURE).matcher(symbol).matches()) {
      if (spot && symbol.startsWith("XBT/")) {
        return "a Kraken WebSocket v2 pair, which writes bitcoin as BTC: write "
            + "BTC"
            + symbol.substring(3);
      }
      return null;
    }
    String expected =
        spot
            ? "a Kraken WebSocket v2 pair: BASE/QUOTE in upper case, e.g. BTC/USD"
            : "a Kraken Futures product id in upper case, e.g. PF_XBTUSD, PI_XBTUSD or"
                + " FI_XBTUSD_250926";
    String upper = symbol.toUpperCase(Locale.ROOT);
    if (!upper.equals(symbol) && checkSymbol(market, upper) == null) {
      return expected + "; Kraken symbols are upper case: write " + upper;
    }
    return expected;
  }

  @Override
  public Connector connector(MarketSettings settings, ConnectorContext context) {
    return new KrakenConnector(settings, context);
  }

  @Override
  public String unsupportedReason(MarketType market, DataType type) {
    return "Kraken spot has no public " + type.table().replace('_', ' ') + " feed";
  }
}
