package dev.lake.exchanges.bybit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.json.Json;
import dev.lake.exchanges.json.MessageException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Bybit v5 public WebSocket payloads: order books ({@code orderbook.{depth}.{symbol}}), trades
 * ({@code publicTrade}), liquidations ({@code allLiquidation}), tickers ({@code tickers}), and the
 * answers to {@code subscribe} and {@code ping}. Parsing is one streaming pass with exact decimal
 * conversion, into a message reused per connection share; the topic and type are compared in place,
 * not copied. A message missing a required field, or with a mistyped one, is a {@link
 * MessageException} that names it. Bybit writes {@code topic} before {@code data} (every sample and
 * the docs' examples); a message whose {@code data} comes first is rejected as such.
 */
final class BybitMessages {
  private BybitMessages() {}

  enum Kind {
    BOOK,
    TRADES,
    LIQUIDATIONS,
    TICKER,
    REPLY,
    ERROR,
    OTHER
  }

  /** One parsed payload. Reused per share to spare allocations: not thread-safe. */
  static final class WsMessage {
    Kind kind;
    Kind topicKind;
    boolean hasTopic;
    boolean hasType;
    boolean snapshot;
    long ts;
    long cts;
    boolean hasBids;
    boolean hasAsks;
    final BookMessage book = new BookMessage();
    final Events events = new Events();
    final Ticker ticker = new Ticker();
    Boolean success;
    String replyMessage;

    /** Reads this message's fields; made once, so that parsing allocates no reader. */
    final Json.ObjectReader reader = parser -> parseTop(parser, this);

    void reset() {
      kind = Kind.OTHER;
      topicKind = Kind.OTHER;
      hasTopic = hasType = snapshot = hasBids = hasAsks = false;
      ts = cts = -1;
      book.reset();
      events.count = 0;
      ticker.reset();
      success = null;
      replyMessage = null;
    }
  }

  /**
   * The entries of a {@code publicTrade} or {@code allLiquidation} message's {@code data} array:
   * {@code T} (time, ms), {@code s}, {@code S} ({@code Buy} or {@code Sell}), {@code v} (size),
   * {@code p} (price) and, for trades, {@code i} (the trade id).
   */
  static final class Events {
    int count;
    long[] times = new long[8];
    String[] symbols = new String[8];
    boolean[] buys = new boolean[8];
    double[] prices = new double[8];
    double[] sizes = new double[8];
    String[] ids = new String[8];

    private void grow() {
      if (count == times.length) {
        int size = count * 2;
        times = Arrays.copyOf(times, size);
        symbols = Arrays.copyOf(symbols, size);
        buys = Arrays.copyOf(buys, size);
        prices = Arrays.copyOf(prices, size);
        sizes = Arrays.copyOf(sizes, size);
        ids = Arrays.copyOf(ids, size);
      }
    }
  }

  /**
   * The fields of a {@code tickers} message lake keeps, each with whether the message carried it: a
   * delta carries only the fields that changed, so an absent field is "unchanged", not 0.
   */
  static final class Ticker {
    String symbol;
    boolean hasOpenInterest;
    double openInterest;
    boolean hasFundingRate;
    double fundingRate;
    boolean hasNextFundingTime;
    long nextFundingTime;

    void reset() {
      symbol = null;
      hasOpenInterest = hasFundingRate = hasNextFundingTime = false;
    }
  }

  /** Parses a payload into a reused message. */
  static void parse(byte[] bytes, int length, WsMessage into) {
    into.reset();
    Json.parseObject(bytes, length, into.reader);
    finish(into);
  }

  private static void parseTop(JsonParser parser, WsMessage into) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "topic" -> topic(parser, into);
        case "type" -> {
          into.hasType = true;
          if (is(parser, "snapshot")) {
            into.snapshot = true;
          } else if (!is(parser, "delta")) {
            throw new MessageException(
                "type \"" + parser.getText() + "\" (expected snapshot or delta)");
          }
        }
        case "ts" -> into.ts = Json.integer(parser, "ts");
        case "cts" -> into.cts = Json.integer(parser, "cts");
        case "data" -> data(parser, into, value);
        case "success" -> into.success = value == JsonToken.VALUE_TRUE;
        case "ret_msg" -> into.replyMessage = parser.getValueAsString();
        case "op" -> {
          if (is(parser, "pong") || is(parser, "ping") || is(parser, "subscribe")) {
            into.kind = Kind.REPLY;
          }
          parser.skipChildren();
        }
        default -> parser.skipChildren();
      }
    }
  }

  private static void topic(JsonParser parser, WsMessage into) throws IOException {
    into.hasTopic = true;
    if (startsWith(parser, "orderbook.")) {
      into.topicKind = Kind.BOOK;
    } else if (startsWith(parser, "publicTrade.")) {
      into.topicKind = Kind.TRADES;
    } else if (startsWith(parser, "allLiquidation.")) {
      into.topicKind = Kind.LIQUIDATIONS;
    } else if (startsWith(parser, "tickers.")) {
      into.topicKind = Kind.TICKER;
    } else {
      throw new MessageException("unexpected topic " + parser.getText());
    }
  }

  private static void data(JsonParser parser, WsMessage into, JsonToken value) throws IOException {
    if (!into.hasTopic) {
      throw new MessageException("data before topic (Bybit writes topic first)");
    }
    switch (into.topicKind) {
      case BOOK -> {
        expect(value, JsonToken.START_OBJECT, "orderbook data");
        book(parser, into);
      }
      case TICKER -> {
        expect(value, JsonToken.START_OBJECT, "tickers data");
        ticker(parser, into.ticker);
      }
      default -> {
        expect(value, JsonToken.START_ARRAY, into.topicKind + " data");
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          event(parser, into.events, into.topicKind == Kind.TRADES);
        }
      }
    }
  }

  private static void book(JsonParser parser, WsMessage into) throws IOException {
    BookMessage book = into.book;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "s" -> book.symbol = parser.getValueAsString();
        case "u" -> book.lastId = Json.integer(parser, "u");
        case "seq" -> book.prevId = Json.integer(parser, "seq");
        case "b" -> {
          levels(parser, book.bids, "b");
          into.hasBids = true;
        }
        case "a" -> {
          levels(parser, book.asks, "a");
          into.hasAsks = true;
        }
        default -> parser.skipChildren();
      }
    }
  }

  private static void levels(JsonParser parser, BookMessage.Levels levels, String field)
      throws IOException {
    expect(parser.currentToken(), JsonToken.START_ARRAY, field);
    while (parser.nextToken() == JsonToken.START_ARRAY) {
      parser.nextToken();
      double price = Json.decimal(parser, field + " price");
      parser.nextToken();
      double size = Json.decimal(parser, field + " size");
      if (size < 0) {
        throw new MessageException(field + " has a negative size " + parser.getText());
      }
      if (parser.nextToken() != JsonToken.END_ARRAY) {
        throw new MessageException(field + ": a price level has more than price and size");
      }
      levels.add(price, size);
    }
    if (parser.currentToken() != JsonToken.END_ARRAY) {
      throw new MessageException(field + ": a price level is not a [price, size] array");
    }
  }

  private static void event(JsonParser parser, Events events, boolean trade) throws IOException {
    events.grow();
    int i = events.count;
    events.times[i] = -1;
    events.symbols[i] = null;
    events.ids[i] = null;
    events.prices[i] = events.sizes[i] = Double.NaN;
    Boolean buy = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "T" -> events.times[i] = Json.integer(parser, "T");
        case "s" -> events.symbols[i] = parser.getValueAsString();
        case "S" -> buy = side(parser);
        case "v" -> events.sizes[i] = Json.decimal(parser, "v");
        case "p" -> events.prices[i] = Json.decimal(parser, "p");
        case "i" -> events.ids[i] = parser.getValueAsString();
        default -> parser.skipChildren();
      }
    }
    String what = trade ? "publicTrade" : "allLiquidation";
    if (events.symbols[i] == null || buy == null) {
      throw new MessageException(what + " entry without s (symbol) or S (side)");
    }
    if (events.times[i] <= 0) {
      throw new MessageException(what + " entry without a valid T (time)");
    }
    if (Double.isNaN(events.prices[i]) || Double.isNaN(events.sizes[i])) {
      throw new MessageException(what + " entry without p (price) or v (size)");
    }
    if (events.prices[i] < 0 || events.sizes[i] < 0) {
      throw new MessageException(what + " entry with a negative price or size");
    }
    if (trade && (events.ids[i] == null || events.ids[i].isEmpty())) {
      throw new MessageException("publicTrade entry without i (trade id)");
    }
    events.buys[i] = buy;
    events.count++;
  }

  private static Boolean side(JsonParser parser) throws IOException {
    if (is(parser, "Buy")) {
      return Boolean.TRUE;
    }
    if (is(parser, "Sell")) {
      return Boolean.FALSE;
    }
    throw new MessageException("side S \"" + parser.getText() + "\" (expected Buy or Sell)");
  }

  private static void ticker(JsonParser parser, Ticker ticker) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      // Dated futures send "" for funding fields: no value, as if absent.
      boolean empty =
          parser.currentToken() == JsonToken.VALUE_STRING && parser.getTextLength() == 0;
      switch (field) {
        case "symbol" -> ticker.symbol = parser.getValueAsString();
        case "openInterest" -> {
          ticker.hasOpenInterest = !empty;
          ticker.openInterest = empty ? 0 : Json.decimal(parser, "openInterest");
        }
        case "fundingRate" -> {
          ticker.hasFundingRate = !empty;
          ticker.fundingRate = empty ? 0 : Json.decimal(parser, "fundingRate");
        }
        case "nextFundingTime" -> {
          ticker.hasNextFundingTime = !empty;
          ticker.nextFundingTime = empty ? 0 : Json.integer(parser, "nextFundingTime");
        }
        default -> parser.skipChildren();
      }
    }
  }

  private static void finish(WsMessage message) {
    if (message.success != null) {
      message.kind = message.success ? Kind.REPLY : Kind.ERROR;
      return;
    }
    if (message.kind == Kind.REPLY) {
      return;
    }
    if (!message.hasTopic) {
      message.kind = Kind.OTHER;
      return;
    }
    if (message.ts <= 0) {
      throw new MessageException(message.topicKind + " message without a valid ts");
    }
    switch (message.topicKind) {
      case BOOK -> validateBook(message);
      case TICKER -> {
        if (message.ticker.symbol == null) {
          throw new MessageException("tickers data without symbol");
        }
      }
      case TRADES, LIQUIDATIONS -> {
        if (message.events.count == 0 && !message.hasType) {
          throw new MessageException(message.topicKind + " message without data");
        }
      }
      default -> {}
    }
    message.kind = message.topicKind;
  }

  /**
   * Checks a book message: {@code s}, {@code u}, both sides and a type; its exchange time is {@code
   * cts} (the matching engine's time) where sent, else {@code ts}.
   */
  private static void validateBook(WsMessage message) {
    BookMessage book = message.book;
    if (!message.hasType) {
      throw new MessageException("orderbook message without type (snapshot or delta)");
    }
    if (book.symbol == null) {
      throw new MessageException("orderbook data without s (symbol)");
    }
    if (book.lastId == BookMessage.NONE || book.lastId < 1) {
      throw new MessageException("orderbook data without a valid u (update id)");
    }
    if (!message.hasBids || !message.hasAsks) {
      throw new MessageException("orderbook data without b or a");
    }
    book.snapshot = message.snapshot;
    book.firstId = book.lastId;
    book.timestampMicros = (message.cts > 0 ? message.cts : message.ts) * 1000;
  }

  private static void expect(JsonToken actual, JsonToken expected, String what) {
    if (actual != expected) {
      throw new MessageException(
          what + " is not " + (expected == JsonToken.START_ARRAY ? "an array" : "an object"));
    }
  }

  /** Whether the current string token is exactly {@code text}, without copying it. */
  static boolean is(JsonParser parser, String text) throws IOException {
    return parser.currentToken() == JsonToken.VALUE_STRING
        && parser.getTextLength() == text.length()
        && startsWith(parser, text);
  }

  /** Whether the current string token starts with {@code prefix}, without copying it. */
  static boolean startsWith(JsonParser parser, String prefix) throws IOException {
    if (parser.currentToken() != JsonToken.VALUE_STRING
        || parser.getTextLength() < prefix.length()) {
      return false;
    }
    char[] chars = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    for (int i = 0; i < prefix.length(); i++) {
      if (chars[offset + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
