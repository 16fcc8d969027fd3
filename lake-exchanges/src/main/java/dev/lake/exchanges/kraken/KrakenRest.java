package dev.lake.exchanges.kraken;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lake.core.model.Contract;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.SnapshotSource;
import dev.lake.exchanges.SymbolSelection;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.json.Json;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.poll.Instruments;
import dev.lake.exchanges.transport.RestRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Kraken REST answers. Spot ({@code {"error":[..],"result":{..}}}): {@code AssetPairs} (pairs, the
 * WebSocket v2 names lake uses as symbols, and their REST names) and {@code Depth} (keyed by the
 * legacy pair name, e.g. {@code XXBTZUSD}, whatever name was asked). Kraken Futures ({@code
 * {"result":"success",..}}): {@code instruments} and {@code orderbook}. A response missing a
 * required field is a {@link MessageException}.
 */
final class KrakenRest {
  private KrakenRest() {}

  /**
   * Spot REST rules: public calls are limited to about one a second per IP (exchanges.md 6.1);
   * errors are a non-empty {@code error} list, in HTTP 200 answers too; {@code EAPI:Rate limit
   * exceeded} and {@code EGeneral:Too many requests} (and HTTP 429) pause requests for 5 s.
   */
  static RestRules spotRules() {
    return RestRules.builder()
        .budget(1, Duration.ofSeconds(1))
        .errorList("error")
        .rateLimitMessage("EAPI:Rate limit exceeded", Duration.ofSeconds(5))
        .rateLimitMessage("EGeneral:Too many requests", Duration.ofSeconds(5))
        .rateLimitStatus(429, Duration.ofSeconds(5))
        .build();
  }

  /**
   * Kraken Futures REST rules: {@code result} is {@code success} or {@code error} with the reason
   * in {@code error}; {@code apiLimitExceeded} (and HTTP 429) pause requests for 10 s; lake keeps
   * within 100 requests per 10 s (Kraken's public derivatives budget is 500 cost units per 10 s).
   */
  static RestRules futuresRules() {
    return RestRules.builder()
        .budget(100, Duration.ofSeconds(10))
        .errorCode("result", "success", "error")
        .rateLimitMessage("apiLimitExceeded", Duration.ofSeconds(10))
        .rateLimitStatus(429, Duration.ofSeconds(10))
        .build();
  }

  /** What AssetPairs says of a spot pair: its v2 symbol and its REST name. */
  record Pair(String symbol, String restName) {}

  /** WebSocket v2 names of assets whose REST and v1 names differ (Kraken's v2 docs). */
  private static final Map<String, String> V2_ASSETS = Map.of("XBT", "BTC", "XDG", "DOGE");

  /** A v1 {@code wsname} ({@code XBT/USD}) as WebSocket v2 writes it ({@code BTC/USD}). */
  static String v2Symbol(String wsname) {
    int slash = wsname.indexOf('/');
    if (slash <= 0) {
      throw new MessageException("wsname " + wsname + " (expected BASE/QUOTE)");
    }
    String base = wsname.substring(0, slash);
    String quote = wsname.substring(slash + 1);
    return V2_ASSETS.getOrDefault(base, base) + "/" + V2_ASSETS.getOrDefault(quote, quote);
  }

  private static JsonNode spotResult(byte[] body) {
    JsonNode root = Json.tree(body);
    JsonNode result = root.get("result");
    if (result == null || !result.isObject()) {
      throw new MessageException("missing result");
    }
    return result;
  }

  /** The online pairs of an AssetPairs answer and their {@code contracts} rows. */
  static SpotPairs assetPairs(byte[] body, long receivedMicros) {
    List<SymbolSelection.Instrument> instruments = new ArrayList<>();
    List<Contract> contracts = new ArrayList<>();
    List<Pair> pairs = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = spotResult(body).fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode pair = field.getValue();
      String status = pair.path("status").asText("online");
      if (!pair.hasNonNull("wsname") || !status.equals("online")) {
        continue; // dark-pool pairs (.d) have no wsname; others are not trading
      }
      String symbol = v2Symbol(Json.text(pair, "wsname"));
      String quote = symbol.substring(symbol.indexOf('/') + 1);
      double tick =
          pair.hasNonNull("tick_size")
              ? Json.decimal(pair, "tick_size")
              : Math.pow(10, -Json.integer(pair, "pair_decimals"));
      pairs.add(new Pair(symbol, field.getKey()));
      instruments.add(new SymbolSelection.Instrument(symbol, quote));
      contracts.add(
          new Contract(
              KrakenVenue.NAME,
              MarketType.SPOT,
              symbol,
              field.getKey(),
              "spot",
              symbol.substring(0, symbol.indexOf('/')),
              quote,
              tick,
              null,
              receivedMicros / 1000,
              receivedMicros));
    }
    return new SpotPairs(new Instruments(instruments, contracts), pairs);
  }

  /** AssetPairs read: the instruments and how each v2 symbol is named in REST. */
  record SpotPairs(Instruments instruments, List<Pair> pairs) {}

  /** A Depth answer as a snapshot of {@code symbol}: its one result entry. */
  static BookMessage spotDepth(String symbol, byte[] body) {
    JsonNode result = spotResult(body);
    if (result.size() != 1) {
      throw new MessageException("Depth answer with " + result.size() + " pairs (expected 1)");
    }
    JsonNode book = result.elements().next();
    BookMessage message = new BookMessage();
    message.symbol = symbol;
    message.snapshot = true;
    long latest = 0;
    latest = Math.max(latest, spotLevels(book, "bids", message.bids));
    latest = Math.max(latest, spotLevels(book, "asks", message.asks));
    message.timestampMicros = latest * 1_000_000;
    return message;
  }

  /** Levels {@code ["price","volume",seconds]}; returns the latest level time, in seconds. */
  private static long spotLevels(JsonNode book, String side, BookMessage.Levels levels) {
    JsonNode array = book.get(side);
    if (array == null || !array.isArray()) {
      throw new MessageException("missing " + side);
    }
    long latest = 0;
    for (JsonNode level : array) {
      if (!level.isArray() || level.size() < 3) {
        throw new MessageException(side + " level " + level + " (expected [price, volume, time])");
      }
      String price = level.get(0).asText();
      String volume = level.get(1).asText();
      levels.add(number(price, side + " price"), number(volume, side + " volume"), price, volume);
      latest = Math.max(latest, level.get(2).asLong());
    }
    return latest;
  }

  private static double number(String text, String what) {
    try {
      double value = Double.parseDouble(text);
      if (Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new MessageException(what + " is not a number: \"" + text + "\"");
  }

  private static JsonNode futuresRoot(byte[] body) {
    JsonNode root = Json.tree(body);
    if (!"success".equals(root.path("result").asText())) {
      throw new MessageException("result " + root.path("result").asText() + " (expected success)");
    }
    return root;
  }

  /**
   * The tradeable instruments of a Kraken Futures instruments answer and their {@code contracts}
   * rows: {@code contract_type} is Kraken's {@code type} ({@code futures_inverse}, {@code
   * flexible_futures}, {@code futures_vanilla}) and {@code perpetual} ({@code PI_}, {@code PF_}) or
   * {@code dated}; {@code contract_size} is {@code contractSize}.
   */
  static Instruments futuresInstruments(byte[] body, long receivedMicros) {
    JsonNode list = futuresRoot(body).get("instruments");
    if (list == null || !list.isArray()) {
      throw new MessageException("missing instruments");
    }
    List<SymbolSelection.Instrument> instruments = new ArrayList<>();
    List<Contract> contracts = new ArrayList<>();
    for (JsonNode entry : list) {
      if (!entry.path("tradeable").asBoolean(false)) {
        continue;
      }
      // As listed: tokenized equities keep a lower-case x (PF_AAPLxUSD), as the streams write them.
      String symbol = Json.text(entry, "symbol");
      String base = entry.path("base").asText("");
      String quote = entry.path("quote").asText("");
      if (base.isEmpty() || quote.isEmpty()) {
        continue; // indices and instruments without a pair are not collected
      }
      boolean perpetual = symbol.startsWith("PI_") || symbol.startsWith("PF_");
      instruments.add(new SymbolSelection.Instrument(symbol, quote));
      contracts.add(
          new Contract(
              KrakenVenue.NAME,
              MarketType.FUTURE,
              symbol,
              entry.path("pair").asText(null),
              Json.text(entry, "type") + (perpetual ? " perpetual" : " dated"),
              base,
              quote,
              Json.decimal(entry, "tickSize"),
              Json.decimal(entry, "contractSize"),
              receivedMicros / 1000,
              receivedMicros));
    }
    return new Instruments(instruments, contracts);
  }

  /** A Kraken Futures orderbook answer ({@code [[price, qty], ..]}) as a snapshot. */
  static BookMessage futuresOrderbook(String symbol, byte[] body, long receivedMicros) {
    JsonNode book = futuresRoot(body).get("orderBook");
    if (book == null || !book.isObject()) {
      throw new MessageException("missing orderBook");
    }
    BookMessage message = new BookMessage();
    message.symbol = symbol;
    message.snapshot = true;
    message.timestampMicros = receivedMicros;
    futuresLevels(book, "bids", message.bids);
    futuresLevels(book, "asks", message.asks);
    return message;
  }

  private static void futuresLevels(JsonNode book, String side, BookMessage.Levels levels) {
    JsonNode array = book.get(side);
    if (array == null || !array.isArray()) {
      throw new MessageException("missing " + side);
    }
    for (JsonNode level : array) {
      if (!level.isArray() || level.size() < 2 || !level.get(0).isNumber()) {
        throw new MessageException(side + " level " + level + " (expected [price, qty])");
      }
      levels.add(level.get(0).doubleValue(), level.get(1).doubleValue());
    }
  }

  /** A polled snapshot row of at most {@code limit} levels a side. */
  static OrderBookSnapshot snapshotRow(
      MarketType market, BookMessage book, int limit, long receivedMicros) {
    return new OrderBookSnapshot(
        KrakenVenue.NAME,
        market,
        book.symbol,
        book.timestampMicros / 1000,
        toLevels(book.bids, limit),
        toLevels(book.asks, limit),
        receivedMicros,
        null,
        SnapshotSource.REST);
  }

  private static List<PriceLevel> toLevels(BookMessage.Levels levels, int limit) {
    int count = Math.min(limit, levels.count);
    List<PriceLevel> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(new PriceLevel(levels.prices[i], levels.quantities[i]));
    }
    return list;
  }
}
