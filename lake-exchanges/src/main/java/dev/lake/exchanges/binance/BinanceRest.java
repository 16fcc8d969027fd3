package dev.lake.exchanges.binance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lake.core.model.Contract;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.SnapshotSource;
import dev.lake.exchanges.SymbolSelection;
import dev.lake.exchanges.json.Json;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.poll.Instruments;
import dev.lake.exchanges.transport.RestRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Binance REST responses: depth snapshots, exchange information (instruments), open interest and
 * premium index (funding). A response missing a required field is a {@link MessageException}.
 */
final class BinanceRest {
  /** Request weight of premiumIndex for every symbol at once. */
  static final int FUNDING_WEIGHT = 10;

  /** Request weight of openInterest. */
  static final int OPEN_INTEREST_WEIGHT = 1;

  private BinanceRest() {}

  /** Request weight of a depth request by level count (spot and USD-M weigh differently). */
  static int depthWeight(MarketType market, int limit) {
    if (market == MarketType.SPOT) {
      return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
    }
    return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
  }

  /** Request weight of exchangeInfo. */
  static int exchangeInfoWeight(MarketType market) {
    return market == MarketType.SPOT ? 20 : 1;
  }

  /**
   * Binance's REST rules: the per-IP weight budget per minute (spot 6000, USD-M 2400); 429 (too
   * many requests) and 418 (IP banned) pause for their {@code Retry-After}, else 60 s and 120 s.
   * Errors come as HTTP statuses, never inside a 200.
   */
  static RestRules rules(MarketType market) {
    return RestRules.builder()
        .budget(market == MarketType.SPOT ? 6000 : 2400, Duration.ofMinutes(1))
        .rateLimitStatus(429, Duration.ofSeconds(60))
        .rateLimitStatus(418, Duration.ofSeconds(120))
        .pauseHeader("Retry-After", RestRules.PauseUnit.SECONDS)
        .build();
  }

  static BinanceDepthSnapshot depth(byte[] body, long receivedMicros) {
    JsonNode root = Json.tree(body);
    long id = Json.integer(root, "lastUpdateId");
    long eventTime = root.has("E") ? Json.integer(root, "E") : -1;
    double[][] bids = levels(root, "bids");
    double[][] asks = levels(root, "asks");
    return new BinanceDepthSnapshot(
        id, eventTime, bids[0], bids[1], asks[0], asks[1], receivedMicros);
  }

  private static double[][] levels(JsonNode root, String field) {
    JsonNode array = root.get(field);
    if (array == null || !array.isArray()) {
      throw new MessageException("missing " + field);
    }
    double[][] levels = new double[2][array.size()];
    for (int i = 0; i < array.size(); i++) {
      JsonNode level = array.get(i);
      if (!level.isArray() || level.size() < 2) {
        throw new MessageException(field + "[" + i + "] is not a [price, quantity] pair");
      }
      levels[0][i] = decimal(level.get(0), field + "[" + i + "] price");
      levels[1][i] = decimal(level.get(1), field + "[" + i + "] quantity");
      if (levels[1][i] < 0) {
        throw new MessageException(field + "[" + i + "] has a negative quantity");
      }
    }
    return levels;
  }

  private static double decimal(JsonNode value, String what) {
    try {
      double parsed = value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asText());
      if (!Double.isFinite(parsed)) {
        throw new MessageException(what + " is out of range: " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new MessageException(what + " is not a number: " + value);
    }
  }

  /** A REST depth snapshot as an {@code orderbook_snapshot} row. */
  static OrderBookSnapshot snapshotRow(
      MarketType market, String symbol, BinanceDepthSnapshot depth) {
    return new OrderBookSnapshot(
        BinanceVenue.NAME,
        market,
        symbol,
        depth.timestampMicros() / 1000,
        toLevels(depth.bidPrices(), depth.bidQuantities()),
        toLevels(depth.askPrices(), depth.askQuantities()),
        depth.receivedMicros(),
        depth.lastUpdateId(),
        SnapshotSource.REST);
  }

  private static List<PriceLevel> toLevels(double[] prices, double[] quantities) {
    List<PriceLevel> levels = new ArrayList<>(prices.length);
    for (int i = 0; i < prices.length; i++) {
      levels.add(new PriceLevel(prices[i], quantities[i]));
    }
    return levels;
  }

  /** The trading instruments of exchangeInfo, and their {@code contracts} rows. */
  static Instruments exchangeInfo(MarketType market, byte[] body, long receivedMicros) {
    JsonNode root = Json.tree(body);
    long serverTime =
        root.has("serverTime") ? Json.integer(root, "serverTime") : receivedMicros / 1000;
    JsonNode symbols = root.get("symbols");
    if (symbols == null || !symbols.isArray()) {
      throw new MessageException("missing symbols");
    }
    List<SymbolSelection.Instrument> instruments = new ArrayList<>();
    List<Contract> contracts = new ArrayList<>();
    for (JsonNode entry : symbols) {
      String symbol = Json.text(entry, "symbol");
      if (!"TRADING".equals(entry.path("status").asText())) {
        continue;
      }
      String base = Json.text(entry, "baseAsset");
      String quote = Json.text(entry, "quoteAsset");
      instruments.add(new SymbolSelection.Instrument(symbol, quote));
      boolean spot = market == MarketType.SPOT;
      contracts.add(
          new Contract(
              BinanceVenue.NAME,
              market,
              symbol,
              spot ? null : entry.path("pair").asText(null),
              spot ? "SPOT" : entry.path("contractType").asText(null),
              base,
              quote,
              tickSize(entry),
              spot ? null : 1.0,
              serverTime,
              receivedMicros));
    }
    return new Instruments(instruments, contracts);
  }

  private static double tickSize(JsonNode entry) {
    for (JsonNode filter : entry.path("filters")) {
      if ("PRICE_FILTER".equals(filter.path("filterType").asText())) {
        return Json.decimal(filter, "tickSize");
      }
    }
    throw new MessageException("symbol " + entry.path("symbol").asText() + " has no PRICE_FILTER");
  }

  static OpenInterest openInterest(byte[] body, long receivedMicros) {
    JsonNode root = Json.tree(body);
    return new OpenInterest(
        BinanceVenue.NAME,
        MarketType.FUTURE,
        Json.text(root, "symbol"),
        Json.decimal(root, "openInterest"),
        Json.integer(root, "time"),
        receivedMicros);
  }

  /** premiumIndex for all symbols (an array) or one (an object), kept for the chosen symbols. */
  static List<FundingRate> fundingRates(byte[] body, long receivedMicros, Set<String> symbols) {
    JsonNode root = Json.tree(body);
    List<FundingRate> rates = new ArrayList<>();
    for (JsonNode entry : root.isArray() ? root : List.of(root)) {
      String symbol = Json.text(entry, "symbol");
      if (symbols != null && !symbols.contains(symbol)) {
        continue;
      }
      long nextFunding = Json.integer(entry, "nextFundingTime");
      if (nextFunding <= 0) {
        continue; // delivery contracts have no funding
      }
      rates.add(
          new FundingRate(
              BinanceVenue.NAME,
              MarketType.FUTURE,
              symbol,
              Json.decimal(entry, "lastFundingRate"),
              nextFunding,
              Json.integer(entry, "time"),
              receivedMicros));
    }
    return rates;
  }
}
