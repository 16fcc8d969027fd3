package dev.lake.exchanges.bybit;

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
 * Bybit v5 REST answers: order-book snapshots, instruments (paged by {@code nextPageCursor}),
 * tickers (funding) and open interest. Every answer is {@code
 * {"retCode":0,"retMsg":"OK","result":{..},"time":ms}}; a {@code retCode} other than 0 is an error
 * even with HTTP 200 ({@link #rules}). A result missing a required field is a {@link
 * MessageException}.
 */
final class BybitRest {
  /** Bybit counts requests, not weights. */
  static final int WEIGHT = 1;

  private BybitRest() {}

  /** The {@code category} query value of a market. */
  static String category(MarketType market) {
    return market == MarketType.SPOT ? "spot" : "linear";
  }

  /**
   * Bybit's REST rules: about 600 requests per 5 s per IP across endpoints (exchanges.md 2.7,
   * unverified); errors inside HTTP 200 bodies as {@code retCode}/{@code retMsg}; {@code retCode}
   * 10006 (too many visits) pauses requests until {@code X-Bapi-Limit-Reset-Timestamp}, else 1 s;
   * HTTP 403 ("access too frequent", an IP ban) pauses for Bybit's 10 minutes.
   */
  static RestRules rules() {
    return RestRules.builder()
        .budget(600, Duration.ofSeconds(5))
        .errorCode("retCode", "0", "retMsg")
        .rateLimitCode("10006", Duration.ofSeconds(1))
        .rateLimitStatus(403, Duration.ofMinutes(10))
        .pauseHeader("X-Bapi-Limit-Reset-Timestamp", RestRules.PauseUnit.EPOCH_MILLISECONDS)
        .build();
  }

  private static JsonNode result(byte[] body) {
    JsonNode root = Json.tree(body);
    JsonNode result = root.get("result");
    if (result == null || !result.isObject()) {
      throw new MessageException("missing result");
    }
    return result;
  }

  private static long time(byte[] body, long receivedMicros) {
    JsonNode time = Json.tree(body).get("time");
    return time != null && time.canConvertToLong() ? time.longValue() : receivedMicros / 1000;
  }

  /** A {@code /v5/market/orderbook} answer as an {@code orderbook_snapshot} row. */
  static OrderBookSnapshot snapshot(
      MarketType market, String symbol, byte[] body, long receivedMicros) {
    JsonNode result = result(body);
    String answered = Json.text(result, "s");
    if (!answered.equals(symbol)) {
      throw new MessageException("orderbook of " + answered + " (expected " + symbol + ")");
    }
    return new OrderBookSnapshot(
        BybitVenue.NAME,
        market,
        symbol,
        Json.integer(result, "ts"),
        levels(result, "b"),
        levels(result, "a"),
        receivedMicros,
        Json.integer(result, "u"),
        SnapshotSource.REST);
  }

  private static List<PriceLevel> levels(JsonNode result, String field) {
    JsonNode array = result.get(field);
    if (array == null || !array.isArray()) {
      throw new MessageException("missing result." + field);
    }
    List<PriceLevel> levels = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode level = array.get(i);
      if (!level.isArray() || level.size() != 2) {
        throw new MessageException(field + "[" + i + "] is not a [price, size] pair");
      }
      double price = decimal(level.get(0), field + "[" + i + "] price");
      double size = decimal(level.get(1), field + "[" + i + "] size");
      if (size < 0) {
        throw new MessageException(field + "[" + i + "] has a negative size");
      }
      levels.add(new PriceLevel(price, size));
    }
    return levels;
  }

  private static double decimal(JsonNode value, String what) {
    try {
      double parsed = Double.parseDouble(value.asText());
      if (!Double.isFinite(parsed)) {
        throw new MessageException(what + " is out of range: " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new MessageException(what + " is not a number: " + value);
    }
  }

  /** The cursor of the next page of instruments, or null after the last page. */
  static String nextCursor(byte[] body) {
    JsonNode cursor = result(body).get("nextPageCursor");
    return cursor == null || cursor.asText().isEmpty() ? null : cursor.asText();
  }

  /** The trading instruments of every page of instruments-info, and their contracts rows. */
  static Instruments instruments(MarketType market, List<byte[]> pages, long receivedMicros) {
    List<SymbolSelection.Instrument> instruments = new ArrayList<>();
    List<Contract> contracts = new ArrayList<>();
    for (byte[] page : pages) {
      long time = time(page, receivedMicros);
      JsonNode list = result(page).get("list");
      if (list == null || !list.isArray()) {
        throw new MessageException("missing result.list");
      }
      for (JsonNode entry : list) {
        if (!"Trading".equals(entry.path("status").asText())) {
          continue;
        }
        String symbol = Json.text(entry, "symbol");
        String quote = Json.text(entry, "quoteCoin");
        instruments.add(new SymbolSelection.Instrument(symbol, quote));
        boolean spot = market == MarketType.SPOT;
        contracts.add(
            new Contract(
                BybitVenue.NAME,
                market,
                symbol,
                null,
                spot ? "SPOT" : Json.text(entry, "contractType"),
                Json.text(entry, "baseCoin"),
                quote,
                Json.decimal(entry.path("priceFilter"), "tickSize"),
                spot ? null : 1.0,
                time,
                receivedMicros));
      }
    }
    return new Instruments(instruments, contracts);
  }

  /**
   * Funding from {@code /v5/market/tickers?category=linear} (every symbol at once), kept for the
   * chosen symbols (null: all); dated futures (no funding rate) are left out. The funding time is
   * {@code nextFundingTime}, the settlement the rate applies to.
   */
  static List<FundingRate> fundingRates(byte[] body, long receivedMicros, Set<String> symbols) {
    long time = time(body, receivedMicros);
    JsonNode list = result(body).get("list");
    if (list == null || !list.isArray()) {
      throw new MessageException("missing result.list");
    }
    List<FundingRate> rates = new ArrayList<>();
    for (JsonNode entry : list) {
      String symbol = Json.text(entry, "symbol");
      if (symbols != null && !symbols.contains(symbol)
          || entry.path("fundingRate").asText().isEmpty()) {
        continue;
      }
      long next = Json.integer(entry, "nextFundingTime");
      if (next <= 0) {
        continue;
      }
      rates.add(
          new FundingRate(
              BybitVenue.NAME,
              MarketType.FUTURE,
              symbol,
              Json.decimal(entry, "fundingRate"),
              next,
              time,
              receivedMicros));
    }
    return rates;
  }

  /**
   * The latest open interest of {@code /v5/market/open-interest?limit=1} (base coin for linear),
   * stamped with the interval's {@code timestamp}.
   */
  static OpenInterest openInterest(String symbol, byte[] body, long receivedMicros) {
    JsonNode result = result(body);
    JsonNode list = result.get("list");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new MessageException("missing result.list[0]");
    }
    JsonNode latest = list.get(0);
    return new OpenInterest(
        BybitVenue.NAME,
        MarketType.FUTURE,
        symbol,
        Json.decimal(latest, "openInterest"),
        Json.integer(latest, "timestamp"),
        receivedMicros);
  }
}
