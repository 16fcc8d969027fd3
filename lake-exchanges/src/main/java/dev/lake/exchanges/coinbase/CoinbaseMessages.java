package dev.lake.exchanges.coinbase;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.json.Json;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.json.Rfc3339;
import java.io.IOException;
import java.util.Arrays;

/**
 * Advanced Trade WebSocket messages, read without allocating per message beyond the texts Jackson
 * makes. Every data message is {@code {"channel","client_id","timestamp","sequence_num",
 * "events":[..]}}; {@code sequence_num} counts every message of the connection, whatever its
 * channel. {@code l2_data} events are one product's {@code snapshot} or {@code update} with {@code
 * updates:[{side: bid|offer, event_time, price_level, new_quantity}]} ({@code new_quantity}
 * absolute, "0" removes), and one message may carry several products; {@code market_trades} events
 * carry {@code trades:[{trade_id, product_id, price, size, side, time}]}; {@code heartbeats} and
 * {@code subscriptions} carry nothing lake stores. A refused request is {@code
 * {"type":"error","message":..}}.
 */
final class CoinbaseMessages {
  /** What a message is. */
  enum Channel {
    L2_DATA,
    MARKET_TRADES,
    /** INTX {@code RISK}: mark price and open interest. */
    RISK,
    /** INTX {@code FUNDING}: funding rate, predicted or settled. */
    FUNDING,
    HEARTBEATS,
    SUBSCRIPTIONS,
    ERROR,
    OTHER
  }

  /** One parsed message; reused per connection share. */
  static final class WsMessage {
    Channel channel;
    String channelName;
    long sequenceNum;
    boolean hasSequence;
    long timestampMicros;
    String errorMessage;

    /** The books of an {@code l2_data} message, one a product event; the first {@code count}. */
    BookMessage[] books = {new BookMessage(), new BookMessage()};

    int bookCount;

    /** INTX RISK and FUNDING: the product, its values (NaN when absent) and whether final. */
    String product;

    double openInterest;
    double fundingRate;
    boolean isFinal;

    /** The trades of a {@code market_trades} message. */
    final Trades trades = new Trades();

    void reset() {
      channel = Channel.OTHER;
      channelName = null;
      sequenceNum = 0;
      hasSequence = false;
      timestampMicros = 0;
      errorMessage = null;
      bookCount = 0;
      trades.count = 0;
      product = null;
      openInterest = Double.NaN;
      fundingRate = Double.NaN;
      isFinal = false;
    }

    BookMessage nextBook() {
      if (bookCount == books.length) {
        books = Arrays.copyOf(books, books.length * 2);
        for (int i = bookCount; i < books.length; i++) {
          books[i] = new BookMessage();
        }
      }
      BookMessage book = books[bookCount++];
      book.reset();
      return book;
    }
  }

  /** Trades, column-wise. */
  static final class Trades {
    String[] ids = new String[16];
    String[] products = new String[16];
    double[] prices = new double[16];
    double[] sizes = new double[16];
    String[] sides = new String[16];
    long[] timesMicros = new long[16];
    int count;

    void grow() {
      if (count == ids.length) {
        int size = count * 2;
        ids = Arrays.copyOf(ids, size);
        products = Arrays.copyOf(products, size);
        prices = Arrays.copyOf(prices, size);
        sizes = Arrays.copyOf(sizes, size);
        sides = Arrays.copyOf(sides, size);
        timesMicros = Arrays.copyOf(timesMicros, size);
      }
    }
  }

  private CoinbaseMessages() {}

  /** Parses one frame into {@code into}. */
  static void parse(byte[] bytes, int length, WsMessage into) {
    into.reset();
    Json.parseObject(bytes, length, parser -> readMessage(parser, into));
    if (into.channel == Channel.ERROR) {
      return;
    }
    if (into.channelName == null) {
      throw new MessageException("message without channel");
    }
    if (!into.hasSequence) {
      throw new MessageException("message without sequence_num");
    }
    for (int i = 0; i < into.bookCount; i++) {
      into.books[i].timestampMicros = into.timestampMicros;
    }
  }

  private static void readMessage(JsonParser parser, WsMessage into) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "channel" -> {
          into.channelName = parser.getText();
          into.channel =
              switch (into.channelName) {
                case "l2_data" -> Channel.L2_DATA;
                case "market_trades" -> Channel.MARKET_TRADES;
                case "heartbeats" -> Channel.HEARTBEATS;
                case "subscriptions" -> Channel.SUBSCRIPTIONS;
                default -> Channel.OTHER;
              };
        }
        case "type" -> {
          if ("error".equals(parser.getText())) {
            into.channel = Channel.ERROR;
          }
        }
        case "message" -> into.errorMessage = parser.getText();
        case "sequence_num" -> {
          into.sequenceNum = Json.integer(parser, "sequence_num");
          into.hasSequence = true;
        }
        case "timestamp" -> into.timestampMicros = micros(parser, "timestamp");
        case "events" -> readEvents(parser, into);
        default -> Json.skip(parser);
      }
    }
  }

  private static void readEvents(JsonParser parser, WsMessage into) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new MessageException("events is not an array");
    }
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      readEvent(parser, into);
    }
  }

  /**
   * One event; {@code channel} comes before {@code events} in every message Coinbase documents, and
   * an event is read by what it holds ({@code updates} or {@code trades}) so order does not matter.
   */
  private static void readEvent(JsonParser parser, WsMessage into) throws IOException {
    BookMessage book = null;
    String type = null;
    String product = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "type" -> type = parser.getText();
        case "product_id" -> product = parser.getText();
        case "updates" -> {
          book = into.nextBook();
          readUpdates(parser, book);
        }
        case "trades" -> readTrades(parser, into.trades);
        default -> Json.skip(parser);
      }
    }
    if (book != null) {
      if (product == null) {
        throw new MessageException("l2_data event without product_id");
      }
      if (!"snapshot".equals(type) && !"update".equals(type)) {
        throw new MessageException(
            "l2_data event of type " + type + " (expected snapshot or update)");
      }
      book.symbol = product;
      book.snapshot = "snapshot".equals(type);
    }
  }

  private static void readUpdates(JsonParser parser, BookMessage book) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new MessageException("updates is not an array");
    }
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      int side = 0; // 1 bid, 2 offer
      double price = Double.NaN;
      double quantity = Double.NaN;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "side" -> {
            if (textIs(parser, "bid")) {
              side = 1;
            } else if (textIs(parser, "offer")) {
              side = 2;
            } else {
              throw new MessageException(
                  "update side " + parser.getText() + " (expected bid or offer)");
            }
          }
          case "price_level" -> price = Json.decimal(parser, "price_level");
          case "new_quantity" -> quantity = Json.decimal(parser, "new_quantity");
          default -> Json.skip(parser);
        }
      }
      if (side == 0 || Double.isNaN(price) || Double.isNaN(quantity)) {
        throw new MessageException("update without side, price_level or new_quantity");
      }
      if (quantity < 0) {
        throw new MessageException("new_quantity is negative: " + quantity);
      }
      (side == 1 ? book.bids : book.asks).add(price, quantity);
    }
  }

  private static void readTrades(JsonParser parser, Trades trades) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new MessageException("trades is not an array");
    }
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      trades.grow();
      int i = trades.count;
      trades.ids[i] = null;
      trades.products[i] = null;
      trades.sides[i] = null;
      trades.prices[i] = Double.NaN;
      trades.sizes[i] = Double.NaN;
      trades.timesMicros[i] = Long.MIN_VALUE;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "trade_id" -> trades.ids[i] = parser.getText();
          case "product_id" -> trades.products[i] = parser.getText();
          case "price" -> trades.prices[i] = Json.decimal(parser, "price");
          case "size" -> trades.sizes[i] = Json.decimal(parser, "size");
          case "side" -> trades.sides[i] = parser.getText();
          case "time" -> trades.timesMicros[i] = micros(parser, "time");
          default -> Json.skip(parser);
        }
      }
      if (trades.ids[i] == null
          || trades.products[i] == null
          || trades.sides[i] == null
          || Double.isNaN(trades.prices[i])
          || Double.isNaN(trades.sizes[i])
          || trades.timesMicros[i] == Long.MIN_VALUE) {
        throw new MessageException("trade without trade_id, product_id, price, size, side or time");
      }
      trades.count++;
    }
  }

  /** Whether the current string token is this ASCII text, without making a String of it. */
  static boolean textIs(JsonParser parser, String ascii) throws IOException {
    if (parser.currentToken() != JsonToken.VALUE_STRING
        || parser.getTextLength() != ascii.length()) {
      return false;
    }
    char[] chars = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    for (int i = 0; i < ascii.length(); i++) {
      if (chars[offset + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static long micros(JsonParser parser, String field) throws IOException {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      throw new MessageException(field + " is not an RFC 3339 time: " + parser.currentToken());
    }
    return Rfc3339.micros(
        parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), field);
  }
}
