package dev.lake.exchanges.okx;

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
import dev.lake.exchanges.transport.RestRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * OKX REST answers ({@code {"code":"0","msg":"","data":[..]}}): books, instruments, open interest
 * and funding rates. The same readers take the {@code data} of WebSocket pushes of {@code
 * open-interest} and {@code funding-rate}, whose entries have the same shape. A response missing a
 * required field is a {@link MessageException}.
 */
final class OkxRest {
  private OkxRest() {}

  /**
   * OKX's REST rules: limits per endpoint and IP, the strictest of the public ones being 20
   * requests per 2 s (instruments, open interest, funding rate); errors are HTTP 200 (or 4xx) with
   * {@code code} other than "0"; code 50011 and HTTP 429 are rate limits, which pause requests for
   * the 2 s window.
   */
  static RestRules rules() {
    return RestRules.builder()
        .budgetPerEndpoint(20, Duration.ofSeconds(2))
        .errorCode("code", "0", "msg")
        .rateLimitCode("50011", Duration.ofSeconds(2))
        .rateLimitStatus(429, Duration.ofSeconds(2))
        .build();
  }

  private static JsonNode data(byte[] body) {
    JsonNode root = Json.tree(body);
    JsonNode data = root.get("data");
    if (data == null || !data.isArray()) {
      throw new MessageException("missing data");
    }
    return data;
  }

  /** A books answer as a book message ({@code lastId} = {@code seqId}), sizes converted. */
  static BookMessage book(String instId, byte[] body, ContractSize size) {
    JsonNode data = data(body);
    if (data.size() != 1) {
      throw new MessageException("books answer with " + data.size() + " entries (expected 1)");
    }
    JsonNode entry = data.get(0);
    BookMessage book = new BookMessage();
    book.symbol = instId;
    book.snapshot = true;
    book.timestampMicros = Json.integer(entry, "ts") * 1000;
    if (entry.hasNonNull("seqId")) {
      book.lastId = Json.integer(entry, "seqId");
    }
    levels(entry, "bids", book.bids, size);
    levels(entry, "asks", book.asks, size);
    return book;
  }

  /** A books answer that must carry {@code seqId}, to seed a book. */
  static BookMessage seed(String instId, byte[] body, ContractSize size) {
    BookMessage book = book(instId, body, size);
    if (book.lastId == BookMessage.NONE) {
      throw new MessageException("books answer without seqId: it cannot seed a book");
    }
    return book;
  }

  private static void levels(
      JsonNode entry, String field, BookMessage.Levels levels, ContractSize size) {
    JsonNode array = entry.get(field);
    if (array == null || !array.isArray()) {
      throw new MessageException("missing " + field);
    }
    for (int i = 0; i < array.size(); i++) {
      JsonNode level = array.get(i);
      if (!level.isArray() || level.size() < 2) {
        throw new MessageException(field + "[" + i + "] is not [px, sz, ...]");
      }
      String price = level.get(0).asText();
      String quantity = level.get(1).asText();
      double px = number(price, field + "[" + i + "] px");
      double sz = number(quantity, field + "[" + i + "] sz");
      if (px <= 0 || sz < 0) {
        throw new MessageException(field + "[" + i + "] has a non-positive px or a negative sz");
      }
      levels.add(px, size.apply(sz), price, quantity);
    }
  }

  private static double number(String text, String what) {
    try {
      double value = Double.parseDouble(text);
      if (!Double.isFinite(value)) {
        throw new MessageException(what + " is out of range: " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new MessageException(what + " is not a number: \"" + text + "\"");
    }
  }

  /** A books answer as an {@code orderbook_snapshot} row. */
  static OrderBookSnapshot snapshotRow(MarketType market, BookMessage book, long receivedMicros) {
    return new OrderBookSnapshot(
        OkxVenue.NAME,
        market,
        book.symbol,
        book.timestampMicros / 1000,
        book.bids.toPriceLevels(),
        book.asks.toPriceLevels(),
        receivedMicros,
        book.lastId == BookMessage.NONE ? null : book.lastId,
        SnapshotSource.REST);
  }

  /**
   * The live instruments of an instruments answer, their contract values, and their {@code
   * contracts} rows. SWAP and FUTURES leave {@code baseCcy} and {@code quoteCcy} empty: the base is
   * taken from {@code instFamily} ({@code BTC-USDT}: BTC), the quote from {@code settleCcy} for a
   * linear contract and {@code ctValCcy} (USD) for an inverse one.
   */
  static Instruments instruments(
      MarketType market, byte[] body, long receivedMicros, OkxContractSizes sizes) {
    List<SymbolSelection.Instrument> instruments = new ArrayList<>();
    List<Contract> contracts = new ArrayList<>();
    boolean spot = market == MarketType.SPOT;
    for (JsonNode entry : data(body)) {
      String instId = Json.text(entry, "instId");
      if (!"live".equals(entry.path("state").asText())) {
        continue;
      }
      String base = entry.path("baseCcy").asText("");
      String quote = entry.path("quoteCcy").asText("");
      Double contractSize = null;
      if (!spot) {
        String family = Json.text(entry, "instFamily");
        int dash = family.indexOf('-');
        base = dash > 0 ? family.substring(0, dash) : family;
        quote =
            "inverse".equals(entry.path("ctType").asText())
                ? Json.text(entry, "ctValCcy")
                : Json.text(entry, "settleCcy");
        String ctVal = Json.text(entry, "ctVal");
        try {
          sizes.put(instId, ContractSize.of(ctVal));
        } catch (IllegalArgumentException e) {
          throw new MessageException("instrument " + instId + " has ctVal " + ctVal);
        }
        contractSize = Json.decimal(entry, "ctVal");
      }
      if (base.isEmpty() || quote.isEmpty()) {
        throw new MessageException("instrument " + instId + " without base or quote currency");
      }
      instruments.add(new SymbolSelection.Instrument(instId, quote));
      String type = Json.text(entry, "instType");
      contracts.add(
          new Contract(
              OkxVenue.NAME,
              market,
              instId,
              spot ? null : entry.path("instFamily").asText(null),
              spot ? type : type + " " + entry.path("ctType").asText(""),
              base,
              quote,
              Json.decimal(entry, "tickSz"),
              contractSize,
              receivedMicros / 1000,
              receivedMicros));
    }
    return new Instruments(instruments, contracts);
  }

  /**
   * Open interest in coins ({@code oiCcy}) of the chosen instruments (null: all). OKX's {@code oi}
   * is in contracts; {@code oiCcy} is the same amount in the base coin, which is what lake stores
   * for every venue.
   */
  static List<OpenInterest> openInterest(byte[] body, long receivedMicros, Set<String> symbols) {
    List<OpenInterest> rows = new ArrayList<>();
    for (JsonNode entry : data(body)) {
      String instId = Json.text(entry, "instId");
      if (symbols != null && !symbols.contains(instId)) {
        continue;
      }
      rows.add(
          new OpenInterest(
              OkxVenue.NAME,
              MarketType.FUTURE,
              instId,
              Json.decimal(entry, "oiCcy"),
              Json.integer(entry, "ts"),
              receivedMicros));
    }
    return rows;
  }

  /**
   * Funding rates: {@code fundingRate} for the settlement at {@code fundingTime}. An entry without
   * {@code fundingRate} (OKX has pushed ones with only {@code nextFundingRate}) makes no row and is
   * no error.
   */
  static List<FundingRate> fundingRates(byte[] body, long receivedMicros) {
    List<FundingRate> rows = new ArrayList<>();
    for (JsonNode entry : data(body)) {
      String instId = Json.text(entry, "instId");
      JsonNode rate = entry.get("fundingRate");
      if (rate == null || rate.isNull() || rate.asText().isEmpty()) {
        continue;
      }
      long fundingTime = Json.integer(entry, "fundingTime");
      rows.add(
          new FundingRate(
              OkxVenue.NAME,
              MarketType.FUTURE,
              instId,
              Json.decimal(entry, "fundingRate"),
              fundingTime,
              entry.hasNonNull("ts") ? Json.integer(entry, "ts") : receivedMicros / 1000,
              receivedMicros));
    }
    return rows;
  }
}
