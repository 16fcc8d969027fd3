package dev.lake.exchanges.kucoin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lake.core.model.Contract;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.SnapshotSource;
import dev.lake.exchanges.ContractSize;
import dev.lake.exchanges.SymbolSelection;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.json.Json;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.poll.Instruments;
import dev.lake.exchanges.transport.RestException;
import dev.lake.exchanges.transport.RestRules;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * KuCoin REST answers ({@code {"code":"200000","data":..}}): the bullet token, books (spot {@code
 * level2_20|100}, futures {@code level2/snapshot} and {@code depth20|100}), spot symbols, futures
 * contracts (with their {@code multiplier} and {@code openInterest}) and the current funding rate.
 * A response missing a required field is a {@link MessageException}.
 */
final class KucoinRest {
  private KucoinRest() {}

  /** KuCoin's success code: every other {@code code} (in an HTTP 200 answer too) is an error. */
  static final String OK = "200000";

  /**
   * KuCoin's REST rules: the public resource pool, about 2000 weight per 30 s per IP (lake keeps to
   * 1000); errors are {@code code} other than "200000", HTTP 200 or not; code 429000 and HTTP 429
   * are rate limits, which pause requests for the pool's 30 s window.
   */
  static RestRules rules() {
    return rules(null);
  }

  /** The rules, signing the full-depth book with {@code signer} (null: signing nothing). */
  static RestRules rules(KucoinSigner signer) {
    RestRules.Builder rules =
        RestRules.builder()
            .budget(1000, Duration.ofSeconds(30))
            .errorCode("code", OK, "msg")
            .rateLimitCode("429000", Duration.ofSeconds(30))
            .rateLimitStatus(429, Duration.ofSeconds(30));
    return (signer == null ? rules : rules.signer(signer)).build();
  }

  /** KuCoin's answers to a signed request it refuses (HTTP 401), by code: what to fix. */
  private static final Map<String, String> REFUSALS =
      Map.of(
          "400001", "a KC-API header is missing",
          "400002", "the timestamp is more than 5 s from KuCoin's clock: set this machine's clock",
          "400003", "KuCoin knows no such API key",
          "400004", "the passphrase, or the secret that signs it, is wrong",
          "400005", "the signature does not match: the secret is wrong",
          "400006", "this machine's IP address is not in the API key's whitelist",
          "400007", "the API key may not read market data",
          "411100", "the account is frozen");

  // KuCoin's code as RestClient words it: "code 400005: .." (HTTP 200) or the body
  // {"code":"400005"}
  private static final Pattern REFUSAL_CODE =
      Pattern.compile("(?:code |\"code\":\")(4000\\d\\d|411100)\\b");

  /**
   * What is wrong when a failure is KuCoin refusing a signed request (HTTP 401, or one of its
   * authentication codes), else null. Built from the status and KuCoin's code only, never from the
   * request, so it cannot show a credential.
   */
  static String refusal(Throwable failure) {
    if (!(failure instanceof RestException rest)) {
      return null;
    }
    String message = rest.getMessage() == null ? "" : rest.getMessage();
    Matcher code = REFUSAL_CODE.matcher(message);
    boolean coded = code.find() && REFUSALS.containsKey(code.group(1));
    if (!coded && rest.status() != 401 && rest.status() != 403) {
      return null;
    }
    String status = rest.status() == 0 ? "" : "HTTP " + rest.status() + ", ";
    return coded
        ? status + "code " + code.group(1) + ": " + REFUSALS.get(code.group(1))
        : status + "authentication failed";
  }

  /** A bullet token: the token, the endpoint to connect to and the ping interval. */
  record Bullet(String token, URI endpoint, Duration pingInterval) {
    @Override
    public String toString() {
      return "bullet for " + endpoint + " (token withheld), ping every " + pingInterval;
    }
  }

  /** A {@code bullet-public} answer. Its error messages never quote the token. */
  static Bullet bullet(byte[] body) {
    JsonNode data = Json.tree(body).get("data");
    if (data == null || !data.isObject()) {
      throw new MessageException("bullet answer without data");
    }
    JsonNode token = data.get("token");
    if (token == null || !token.isTextual() || token.asText().isEmpty()) {
      throw new MessageException("bullet answer without token");
    }
    JsonNode servers = data.get("instanceServers");
    if (servers == null || !servers.isArray() || servers.isEmpty()) {
      throw new MessageException("bullet answer without instanceServers");
    }
    JsonNode server = servers.get(0);
    String endpoint = Json.text(server, "endpoint");
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new MessageException("bullet answer with endpoint \"" + endpoint + "\" (not a URL)");
    }
    if (uri.getScheme() == null || !uri.getScheme().startsWith("ws")) {
      throw new MessageException(
          "bullet answer with endpoint " + endpoint + " (expected ws(s)://)");
    }
    long ping = server.path("pingInterval").asLong(18_000);
    if (ping <= 0) {
      throw new MessageException("bullet answer with pingInterval " + ping + " (expected > 0)");
    }
    return new Bullet(token.asText(), uri, Duration.ofMillis(ping));
  }

  private static JsonNode data(byte[] body) {
    JsonNode data = Json.tree(body).get("data");
    if (data == null || data.isNull()) {
      throw new MessageException("missing data");
    }
    return data;
  }

  /**
   * A book answer as a snapshot message ({@code lastId} = {@code sequence}). Spot: {@code time} in
   * ms, {@code sequence} text; futures: {@code ts} in nanoseconds, numbers for everything, sizes in
   * contracts (times {@code multiplier}).
   */
  static BookMessage book(MarketType market, String symbol, byte[] body, ContractSize multiplier) {
    JsonNode data = data(body);
    BookMessage book = new BookMessage();
    book.symbol = symbol;
    book.snapshot = true;
    if (market == MarketType.SPOT) {
      book.timestampMicros = Json.integer(data, "time") * 1000;
    } else {
      book.timestampMicros = Json.integer(data, "ts") / 1000;
    }
    book.lastId = Json.integer(data, "sequence");
    levels(data, "bids", book.bids, multiplier);
    levels(data, "asks", book.asks, multiplier);
    return book;
  }

  private static void levels(
      JsonNode data, String field, BookMessage.Levels levels, ContractSize mult) {
    JsonNode array = data.get(field);
    if (array == null || !array.isArray()) {
      throw new MessageException("missing " + field);
    }
    for (int i = 0; i < array.size(); i++) {
      JsonNode level = array.get(i);
      if (!level.isArray() || level.size() < 2) {
        throw new MessageException(field + "[" + i + "] is not [price, size]");
      }
      double price = number(level.get(0), field + "[" + i + "] price");
      double size = number(level.get(1), field + "[" + i + "] size");
      if (price <= 0 || size < 0) {
        throw new MessageException(field + "[" + i + "] has a non-positive price or negative size");
      }
      levels.add(price, mult.apply(size));
    }
  }

  private static double number(JsonNode node, String what) {
    try {
      double value = node.isNumber() ? node.doubleValue() : Double.parseDouble(node.asText());
      if (!Double.isFinite(value)) {
        throw new MessageException(what + " is out of range: " + node.asText());
      }
      return value;
    } catch (NumberFormatException e) {
      throw new MessageException(what + " is not a number: \"" + node.asText() + "\"");
    }
  }

  /** A book answer as an {@code orderbook_snapshot} row. */
  static OrderBookSnapshot snapshotRow(MarketType market, BookMessage book, long receivedMicros) {
    return new OrderBookSnapshot(
        KucoinVenue.NAME,
        market,
        book.symbol,
        book.timestampMicros / 1000,
        book.bids.toPriceLevels(),
        book.asks.toPriceLevels(),
        receivedMicros,
        book.lastId,
        SnapshotSource.REST);
  }

  /** Spot {@code /api/v2/symbols}: every symbol with {@code enableTrading}. */
  static Instruments symbols(byte[] body, long receivedMicros) {
    JsonNode data = data(body);
    if (!data.isArray()) {
      throw new MessageException("symbols answer whose data is not a list");
    }
    List<SymbolSelection.Instrument> instruments = new ArrayList<>();
    List<Contract> contracts = new ArrayList<>();
    for (JsonNode entry : data) {
      if (!entry.path("enableTrading").asBoolean(true)) {
        continue;
      }
      String symbol = Json.text(entry, "symbol");
      String quote = Json.text(entry, "quoteCurrency");
      instruments.add(new SymbolSelection.Instrument(symbol, quote));
      contracts.add(
          new Contract(
              KucoinVenue.NAME,
              MarketType.SPOT,
              symbol,
              null,
              "SPOT",
              Json.text(entry, "baseCurrency"),
              quote,
              Json.decimal(entry, "priceIncrement"),
              null,
              receivedMicros / 1000,
              receivedMicros));
    }
    return new Instruments(instruments, contracts);
  }

  /** The open futures contracts and their multipliers (absolute: inverse ones are negative). */
  record Contracts(Instruments instruments, Map<String, Double> multipliers, JsonNode data) {}

  /**
   * Futures {@code /api/v1/contracts/active}: contracts with {@code status} Open. {@code XBT} is
   * KuCoin's name for BTC: the venue's symbol and currency names are kept as they are. {@code
   * contract_size} is {@code |multiplier|} (negative for inverse contracts, whose size is in USD).
   */
  static Contracts contracts(byte[] body, long receivedMicros) {
    JsonNode data = data(body);
    if (!data.isArray()) {
      throw new MessageException("contracts answer whose data is not a list");
    }
    List<SymbolSelection.Instrument> instruments = new ArrayList<>();
    List<Contract> contracts = new ArrayList<>();
    Map<String, Double> multipliers = new java.util.HashMap<>();
    for (JsonNode entry : data) {
      String symbol = Json.text(entry, "symbol");
      if (!"Open".equals(entry.path("status").asText("Open"))) {
        continue;
      }
      double multiplier = Math.abs(Json.decimal(entry, "multiplier"));
      if (multiplier == 0) {
        throw new MessageException("contract " + symbol + " has multiplier 0");
      }
      multipliers.put(symbol, multiplier);
      String quote = Json.text(entry, "quoteCurrency");
      instruments.add(new SymbolSelection.Instrument(symbol, quote));
      String type = Json.text(entry, "type");
      contracts.add(
          new Contract(
              KucoinVenue.NAME,
              MarketType.FUTURE,
              symbol,
              entry.path("rootSymbol").asText(null),
              (type.equals("FFWCSX") ? "perpetual" : type.equals("FFICSX") ? "futures" : type)
                  + (entry.path("isInverse").asBoolean(false) ? " inverse" : " linear"),
              Json.text(entry, "baseCurrency"),
              quote,
              Json.decimal(entry, "tickSize"),
              multiplier,
              receivedMicros / 1000,
              receivedMicros));
    }
    return new Contracts(new Instruments(instruments, contracts), multipliers, data);
  }

  /**
   * Open interest from the contracts answer's {@code openInterest} (contracts, as text), in the
   * base coin ({@code × multiplier}; USD for inverse contracts) for the chosen symbols (null: all).
   */
  static List<OpenInterest> openInterest(
      JsonNode data, Map<String, Double> multipliers, long receivedMicros, Set<String> symbols) {
    List<OpenInterest> rows = new ArrayList<>();
    for (JsonNode entry : data) {
      String symbol = Json.text(entry, "symbol");
      Double multiplier = multipliers.get(symbol);
      if (multiplier == null
          || (symbols != null && !symbols.contains(symbol))
          || !entry.hasNonNull("openInterest")) {
        continue;
      }
      rows.add(
          new OpenInterest(
              KucoinVenue.NAME,
              MarketType.FUTURE,
              symbol,
              ContractSize.ofMagnitude(multiplier).apply(Json.decimal(entry, "openInterest")),
              receivedMicros / 1000,
              receivedMicros));
    }
    return rows;
  }

  /**
   * {@code /api/v1/funding-rate/{symbol}/current}: {@code value} is the rate of the current period,
   * the one settled at its end ({@code fundingTime}, else {@code timePoint + granularity}); {@code
   * predictedValue} (the next period's estimate) is not stored.
   */
  static FundingRate funding(String symbol, byte[] body, long receivedMicros) {
    JsonNode data = data(body);
    long timePoint = Json.integer(data, "timePoint");
    long fundingTime =
        data.hasNonNull("fundingTime")
            ? Json.integer(data, "fundingTime")
            : timePoint + Json.integer(data, "granularity");
    return new FundingRate(
        KucoinVenue.NAME,
        MarketType.FUTURE,
        symbol,
        Json.decimal(data, "value"),
        fundingTime,
        timePoint,
        receivedMicros);
  }
}
