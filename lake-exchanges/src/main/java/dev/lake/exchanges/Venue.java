package dev.lake.exchanges;

import dev.lake.core.model.MarketType;
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

  /** The markets lake collects from this venue. */
  Set<MarketType> markets();

  /** The feeds a market offers publicly. */
  Set<DataType> dataTypes(MarketType market);

  /** The default settings of a feed the market offers. */
  FeedSettings defaults(MarketType market, DataType type);

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
}
