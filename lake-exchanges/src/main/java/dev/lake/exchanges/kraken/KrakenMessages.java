package dev.lake.exchanges.kraken;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.json.Json;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.json.Rfc3339;
import java.io.IOException;
import java.util.Arrays;

/**
 * Kraken's public WebSocket payloads, in one streaming pass with exact decimal conversion. Spot v2
 * ({@code {"channel":..,"type":..,"data":[..]}}): {@code book} (levels {@code {"price":n,"qty":n}}
 * whose wire text is kept for the checksum: Kraken sends JSON numbers carrying the pair's full
 * precision, trailing zeros included), {@code trade}, {@code heartbeat}, {@code status}, and method
 * replies ({@code subscribe}, {@code pong}). Kraken Futures ({@code {"feed":..}} or {@code
 * {"event":..}}, flat objects): {@code book_snapshot}, single-level {@code book} deltas with their
 * {@code seq}, {@code trade} (fills and liquidations), {@code ticker}, {@code heartbeat}, and
 * events ({@code subscribed}, {@code info}, {@code alert}, {@code error}). A message missing a
 * required field, or with a mistyped one, is a {@link MessageException} naming it.
 */
final class KrakenMessages {
  private KrakenMessages() {}

  enum Kind {
    BOOK,
    TRADES,
    TICKER,
    HEARTBEAT,
    STATUS,
    REPLY,
    ERROR,
    OTHER
  }

  /** One parsed payload, reused per connection share: not thread-safe. */
  static final class WsMessage {
    Kind kind;

    /** Spot {@code channel} or futures {@code feed}. */
    String channel;

    /** Spot {@code type} (snapshot, update) or a futures trade's type (fill, liquidation, ...). */
    String type;

    String method;
    String event;
    String error;
    boolean failed;
    String symbol;
    int entries;
    final BookMessage book = new BookMessage();
    final Trades trades = new Trades();
    // A futures message's own fields (flat): a book delta's level, a trade, a ticker.
    String side;
    double price;
    double qty;
    String priceText;
    String qtyText;
    long seq;
    long timeMs;
    String uid;
    double openInterest;
    double relativeFundingRate;
    long nextFundingTimeMs;

    void reset() {
      kind = Kind.OTHER;
      channel = type = method = event = error = symbol = side = priceText = qtyText = uid = null;
      failed = false;
      entries = 0;
      price = qty = openInterest = relativeFundingRate = Double.NaN;
      seq = BookMessage.NONE;
      timeMs = nextFundingTimeMs = -1;
      book.reset();
      trades.clear();
    }
  }

  /**
   * The trades of one payload, as parallel arrays: symbol, id text ({@code trade_id}, futures
   * {@code uid}), the number trades are ordered by ({@code trade_id}, futures {@code seq}), price,
   * quantity, side (the taker's), type (futures {@code fill}, {@code liquidation}, ...) and time in
   * epoch microseconds.
   */
  static final class Trades {
    int count;
    String[] symbols = new String[8];
    String[] ids = new String[8];
    long[] numbers = new long[8];
    double[] prices = new double[8];
    double[] sizes = new double[8];
    String[] sides = new String[8];
    String[] types = new String[8];
    long[] timesMicros = new long[8];

    void clear() {
      Arrays.fill(symbols, 0, count, null);
      Arrays.fill(ids, 0, count, null);
      Arrays.fill(sides, 0, count, null);
      Arrays.fill(types, 0, count, null);
      count = 0;
    }

    int next() {
      if (count == prices.length) {
        int size = count * 2;
        symbols = Arrays.copyOf(symbols, size);
        ids = Arrays.copyOf(ids, size);
        numbers = Arrays.copyOf(numbers, size);
        prices = Arrays.copyOf(prices, size);
        sizes = Arrays.copyOf(sizes, size);
        sides = Arrays.copyOf(sides, size);
        types = Arrays.copyOf(types, size);
        timesMicros = Arrays.copyOf(timesMicros, size);
      }
      prices[count] = sizes[count] = Double.NaN;
      timesMicros[count] = -1;
      numbers[count] = BookMessage.NONE;
      return count++;
    }
  }

  /** Parses a spot v2 payload into a reused message. */
  static void parseSpot(byte[] bytes, int length, WsMessage into) {
    into.reset();
    Json.parseObject(bytes, length, parser -> spotTop(parser, into));
    finishSpot(into);
  }

  /** Parses a Kraken Futures payload into a reused message. */
  static void parseFutures(byte[] bytes, int length, WsMessage into) {
    into.reset();
    Json.parseObject(bytes, length, parser -> futuresTop(parser, into));
    finishFutures(into);
  }

  private static void spotTop(JsonParser parser, WsMessage into) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "channel" -> into.channel = parser.getValueAsString();
        case "type" -> into.type = parser.getValueAsString();
        case "method" -> into.method = parser.getValueAsString();
        case "error" -> into.error = parser.getValueAsString();
        case "success" -> into.failed = value == JsonToken.VALUE_FALSE;
        case "data" -> {
          if (value != JsonToken.START_ARRAY) {
            throw new MessageException("data is not an array");
          }
          if (into.channel == null) {
            // Kraken writes channel before data; without it the entries cannot be read.
            throw new MessageException("data before channel");
          }
          spotData(parser, into);
        }
        default -> parser.skipChildren();
      }
    }
  }

  private static void spotData(JsonParser parser, WsMessage into) throws IOException {
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      into.entries++;
      switch (into.channel) {
        case "book" -> {
          if (into.entries > 1) {
            throw new MessageException("a book message with more than one data entry");
          }
          spotBook(parser, into.book);
        }
        case "trade" -> spotTrade(parser, into.trades);
        default -> parser.skipChildren();
      }
    }
    if (parser.currentToken() != JsonToken.END_ARRAY) {
      throw new MessageException("a data entry is not an object");
    }
  }

  private static void spotBook(JsonParser parser, BookMessage book) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "symbol" -> book.symbol = parser.getValueAsString();
        case "bids" -> levels(parser, book.bids, "bids");
        case "asks" -> levels(parser, book.asks, "asks");
        case "checksum" -> {
          book.checksum = Json.integer(parser, "checksum");
          book.hasChecksum = true;
        }
        case "timestamp" -> {
          if (value != JsonToken.VALUE_STRING) {
            throw new MessageException("timestamp is not an RFC 3339 text: " + value);
          }
          book.timestampMicros = timeMicros(parser, "timestamp");
        }
        default -> parser.skipChildren();
      }
    }
  }

  /**
   * Levels {@code [{"price":n,"qty":n}, ..]}, keeping the wire text of both numbers. Kraken's docs
   * and its wire send JSON numbers; the real v2 capture in the samples stored them as strings (its
   * .wireform twin has the numbers): both are read, and the text is kept exactly as written.
   */
  private static void levels(JsonParser parser, BookMessage.Levels levels, String field)
      throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new MessageException(field + " is not an array");
    }
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      double price = Double.NaN;
      double qty = Double.NaN;
      String priceText = null;
      String qtyText = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if (name.equals("price")) {
          price = Json.decimal(parser, field + " price");
          priceText = parser.getText();
        } else if (name.equals("qty")) {
          qty = Json.decimal(parser, field + " qty");
          qtyText = parser.getText();
        } else {
          parser.skipChildren();
        }
      }
      if (priceText == null || qtyText == null) {
        throw new MessageException(
            field + " level without " + (priceText == null ? "price" : "qty"));
      }
      if (qty < 0) {
        throw new MessageException(field + " qty is negative: " + qtyText);
      }
      levels.add(price, qty, priceText, qtyText);
    }
    if (parser.currentToken() != JsonToken.END_ARRAY) {
      throw new MessageException(field + " level is not an object");
    }
  }

  private static void spotTrade(JsonParser parser, Trades trades) throws IOException {
    int i = trades.next();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "symbol" -> trades.symbols[i] = parser.getValueAsString();
        case "side" -> trades.sides[i] = parser.getValueAsString();
        case "price" -> trades.prices[i] = Json.decimal(parser, "price");
        case "qty" -> trades.sizes[i] = Json.decimal(parser, "qty");
        case "ord_type" -> trades.types[i] = parser.getValueAsString();
        case "trade_id" -> {
          trades.numbers[i] = Json.integer(parser, "trade_id");
          trades.ids[i] = parser.getText();
        }
        case "timestamp" -> {
          if (value != JsonToken.VALUE_STRING) {
            throw new MessageException("timestamp is not an RFC 3339 text: " + value);
          }
          trades.timesMicros[i] = timeMicros(parser, "timestamp");
        }
        default -> parser.skipChildren();
      }
    }
    require(trades.symbols[i], "trade symbol");
    require(trades.ids[i], "trade_id");
    side(trades.sides[i]);
    if (Double.isNaN(trades.prices[i]) || Double.isNaN(trades.sizes[i])) {
      throw new MessageException(
          "trade without " + (Double.isNaN(trades.prices[i]) ? "price" : "qty"));
    }
    if (trades.timesMicros[i] < 0) {
      throw new MessageException("trade without timestamp");
    }
  }

  private static void finishSpot(WsMessage into) {
    if (into.channel != null) {
      switch (into.channel) {
        case "book" -> {
          into.kind = Kind.BOOK;
          boolean snapshot = "snapshot".equals(into.type);
          if (!snapshot && !"update".equals(into.type)) {
            throw new MessageException(
                "book message of type " + into.type + " (expected snapshot or update)");
          }
          if (into.entries != 1) {
            throw new MessageException("book message without a data entry");
          }
          into.book.snapshot = snapshot;
          into.symbol = require(into.book.symbol, "book symbol");
          if (!into.book.hasChecksum) {
            throw new MessageException("book message without checksum");
          }
        }
        case "trade" -> into.kind = Kind.TRADES;
        case "heartbeat" -> into.kind = Kind.HEARTBEAT;
        case "status" -> into.kind = Kind.STATUS;
        default -> into.kind = Kind.OTHER;
      }
      return;
    }
    if (into.method != null) {
      into.kind = into.failed ? Kind.ERROR : Kind.REPLY;
    } else if (into.error != null) {
      into.kind = Kind.ERROR;
    }
  }

  private static void futuresTop(JsonParser parser, WsMessage into) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value == JsonToken.VALUE_NULL) {
        continue; // Kraken Futures writes null for fields it has no value for (tickSize)
      }
      switch (field) {
        case "feed" -> into.channel = parser.getValueAsString();
        case "event" -> into.event = parser.getValueAsString();
        case "message", "error" -> into.error = parser.getValueAsString();
        case "product_id" -> into.symbol = parser.getValueAsString();
        case "seq" -> into.seq = Json.integer(parser, "seq");
        case "timestamp", "time" -> into.timeMs = Json.integer(parser, field);
        case "side" -> into.side = parser.getValueAsString();
        case "type" -> into.type = parser.getValueAsString();
        case "uid" -> into.uid = parser.getValueAsString();
        case "price" -> {
          into.price = Json.decimal(parser, "price");
          into.priceText = parser.getText();
        }
        case "qty" -> {
          into.qty = Json.decimal(parser, "qty");
          into.qtyText = parser.getText();
        }
        case "bids" -> levels(parser, into.book.bids, "bids");
        case "asks" -> levels(parser, into.book.asks, "asks");
        case "openInterest" -> into.openInterest = Json.decimal(parser, "openInterest");
        case "relative_funding_rate" ->
            into.relativeFundingRate = Json.decimal(parser, "relative_funding_rate");
        case "next_funding_rate_time" ->
            into.nextFundingTimeMs = Json.integer(parser, "next_funding_rate_time");
        default -> parser.skipChildren();
      }
    }
  }

  private static void finishFutures(WsMessage into) {
    if (into.event != null) {
      into.kind =
          switch (into.event) {
            case "subscribed", "unsubscribed", "info", "pong" -> Kind.REPLY;
            case "error", "alert", "subscribed_failed", "unsubscribed_failed" -> Kind.ERROR;
            default -> Kind.OTHER;
          };
      return;
    }
    if (into.channel == null) {
      into.kind = into.error != null ? Kind.ERROR : Kind.OTHER;
      return;
    }
    switch (into.channel) {
      case "book_snapshot" -> {
        futuresBook(into);
        into.book.snapshot = true;
      }
      case "book" -> {
        futuresBook(into);
        String side = side(into.side);
        if (into.priceText == null || into.qtyText == null) {
          throw new MessageException(
              "book delta without " + (into.priceText == null ? "price" : "qty"));
        }
        if (into.qty < 0) {
          throw new MessageException("book delta qty is negative: " + into.qtyText);
        }
        (side.equals("buy") ? into.book.bids : into.book.asks)
            .add(into.price, into.qty, into.priceText, into.qtyText);
      }
      case "trade" -> {
        into.kind = Kind.TRADES;
        Trades trades = into.trades;
        int i = trades.next();
        trades.symbols[i] = require(into.symbol, "product_id");
        trades.ids[i] = require(into.uid, "uid");
        trades.numbers[i] = into.seq;
        trades.sides[i] = side(into.side);
        trades.types[i] = require(into.type, "type");
        if (Double.isNaN(into.price) || Double.isNaN(into.qty)) {
          throw new MessageException(
              "trade without " + (Double.isNaN(into.price) ? "price" : "qty"));
        }
        trades.prices[i] = into.price;
        trades.sizes[i] = into.qty;
        if (into.timeMs < 0) {
          throw new MessageException("trade without time");
        }
        trades.timesMicros[i] = into.timeMs * 1000;
      }
      case "ticker" -> {
        into.kind = Kind.TICKER;
        require(into.symbol, "product_id");
        if (into.timeMs < 0) {
          throw new MessageException("ticker without time");
        }
      }
      case "heartbeat" -> into.kind = Kind.HEARTBEAT;
      case "trade_snapshot" -> into.kind = Kind.REPLY;
      default -> into.kind = Kind.OTHER;
    }
  }

  private static void futuresBook(WsMessage into) {
    into.kind = Kind.BOOK;
    BookMessage book = into.book;
    book.symbol = require(into.symbol, "product_id");
    if (into.seq == BookMessage.NONE) {
      throw new MessageException(into.channel + " without seq");
    }
    if (into.timeMs < 0) {
      throw new MessageException(into.channel + " without timestamp");
    }
    book.firstId = book.lastId = into.seq;
    book.timestampMicros = into.timeMs * 1000;
  }

  private static String side(String side) {
    if (!"buy".equals(side) && !"sell".equals(side)) {
      throw new MessageException("side " + side + " (expected buy or sell)");
    }
    return side;
  }

  private static String require(String value, String field) {
    if (value == null) {
      throw new MessageException("missing " + field);
    }
    return value;
  }

  /** The current string token, an RFC 3339 UTC time, in epoch microseconds (no allocation). */
  private static long timeMicros(JsonParser parser, String field) throws IOException {
    return Rfc3339.micros(
        parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), field);
  }
}
