package dev.lake.exchanges.coinbase;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lake.core.model.Contract;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.SnapshotSource;
import dev.lake.exchanges.SymbolSelection;
import dev.lake.exchanges.json.Json;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.json.Rfc3339;
import dev.lake.exchanges.poll.Instruments;
import dev.lake.exchanges.transport.RestRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Advanced Trade's public REST answers: {@code /market/product_book} ({@code
 * {"pricebook":{"product_id","bids":[{"price","size"}],"asks","time"},..}}, no sequence number) and
 * {@code /market/products} ({@code {"products":[{product_id, base_currency_id, quote_currency_id,
 * price_increment, status, trading_disabled, alias, alias_to}]}}). Errors come with an HTTP error
 * status and {@code {"error","error_details","message"}}; HTTP 429 is Coinbase's rate limit.
 */
final class CoinbaseRest {
  /** Coinbase counts requests. */
  static final int WEIGHT = 1;

  private CoinbaseRest() {}

  /** About 10 public requests a second per IP (exchanges.md 5.1); 429 pauses for a second. */
  static RestRules rules() {
    return RestRules.builder()
        .budget(10, Duration.ofSeconds(1))
        .errorList("error")
        .rateLimitStatus(429, Duration.ofSeconds(1))
        .build();
  }

  /** A {@code product_book} answer as an {@code orderbook_snapshot} row. */
  static OrderBookSnapshot snapshot(
      MarketType market, String symbol, byte[] body, long receivedMicros) {
    JsonNode book = Json.tree(body).get("pricebook");
    if (book == null || !book.isObject()) {
      throw new MessageException("missing pricebook");
    }
    String answered = Json.text(book, "product_id");
    if (!answered.equals(symbol)) {
      throw new MessageException("pricebook of " + answered + " (expected " + symbol + ")");
    }
    String time = Json.text(book, "time");
    long micros = Rfc3339.micros(time.toCharArray(), 0, time.length(), "pricebook.time");
    return new OrderBookSnapshot(
        CoinbaseVenue.NAME,
        market,
        symbol,
        micros / 1000,
        levels(book, "bids"),
        levels(book, "asks"),
        receivedMicros,
        null,
        SnapshotSource.REST);
  }

  private static List<PriceLevel> levels(JsonNode book, String field) {
    JsonNode array = book.get(field);
    if (array == null || !array.isArray()) {
      throw new MessageException("missing pricebook." + field);
    }
    List<PriceLevel> levels = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode level = array.get(i);
      double size = Json.decimal(level, "size");
      if (size < 0) {
        throw new MessageException(field + "[" + i + "] has a negative size");
      }
      levels.add(new PriceLevel(Json.decimal(level, "price"), size));
    }
    return levels;
  }

  /**
   * An INTX {@code /api/v1/instruments} answer ({@code [{symbol, type, base_asset_name,
   * quote_asset_name, quote_increment, trading_state}]}): its perpetuals ({@code type PERP}), sizes
   * in the base asset ({@code contract_size} 1); those {@code TRADING} are selectable.
   */
  static Products intxInstruments(MarketType market, byte[] body, long receivedMicros) {
    JsonNode list = Json.tree(body);
    if (!list.isArray()) {
      throw new MessageException("instruments is not an array");
    }
    List<SymbolSelection.Instrument> instruments = new ArrayList<>();
    List<Contract> contracts = new ArrayList<>();
    for (JsonNode instrument : list) {
      if (!"PERP".equals(instrument.path("type").asText())) {
        continue;
      }
      String symbol = Json.text(instrument, "symbol");
      String quote = Json.text(instrument, "quote_asset_name");
      contracts.add(
          new Contract(
              CoinbaseVenue.NAME,
              market,
              symbol,
              null,
              "PERP",
              Json.text(instrument, "base_asset_name"),
              quote,
              Json.decimal(instrument, "quote_increment"),
              1.0,
              receivedMicros / 1000,
              receivedMicros));
      if ("TRADING".equals(instrument.path("trading_state").asText())) {
        instruments.add(new SymbolSelection.Instrument(symbol, quote));
      }
    }
    return new Products(new Instruments(instruments, contracts), Map.of());
  }

  /** The products of one answer: the tradable ones, their contracts rows, their aliases. */
  record Products(Instruments instruments, Map<String, String> aliases) {}

  /**
   * A {@code products} answer. A product with a non-empty {@code alias} (e.g. {@code BTC-USDC},
   * whose market data is {@code BTC-USD}'s) is no book of its own: it is left out of the
   * instruments ({@code symbols: all} lists each book once) and its alias is kept, so that a listed
   * alias is collected as the product it stands for; its contracts row is kept.
   */
  static Products products(MarketType market, byte[] body, long receivedMicros) {
    JsonNode products = Json.tree(body).get("products");
    if (products == null || !products.isArray()) {
      throw new MessageException("missing products");
    }
    List<SymbolSelection.Instrument> instruments = new ArrayList<>();
    List<Contract> contracts = new ArrayList<>();
    Map<String, String> aliases = new HashMap<>();
    for (JsonNode product : products) {
      if (!"SPOT".equals(product.path("product_type").asText("SPOT"))) {
        continue;
      }
      String symbol = Json.text(product, "product_id");
      String quote = Json.text(product, "quote_currency_id");
      contracts.add(
          new Contract(
              CoinbaseVenue.NAME,
              market,
              symbol,
              null,
              "SPOT",
              Json.text(product, "base_currency_id"),
              quote,
              Json.decimal(product, "price_increment"),
              null,
              receivedMicros / 1000,
              receivedMicros));
      String alias = product.path("alias").asText("");
      if (!alias.isEmpty()) {
        aliases.put(symbol, alias);
      } else if ("online".equals(product.path("status").asText())
          && !product.path("trading_disabled").asBoolean(false)) {
        instruments.add(new SymbolSelection.Instrument(symbol, quote));
      }
    }
    return new Products(new Instruments(instruments, contracts), aliases);
  }
}
