package dev.lake.exchanges.kucoin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.json.Json;
import dev.lake.exchanges.json.MessageException;
import java.io.IOException;

/**
 * KuCoin's public WebSocket frames ({@code {"id","type","topic","subject","data"}}): {@code
 * welcome}, {@code ack}, {@code pong}, {@code error}, and {@code message} pushes of spot {@code
 * trade.l2update} ({@code /market/level2}), futures {@code level2} ({@code
 * /contractMarket/level2}), spot {@code trade.l3match} ({@code /market/match}) and futures {@code
 * match} ({@code /contractMarket/execution}). One streaming pass; {@code data} may come before
 * {@code subject} (it does in real captures), so its fields are read into one reused message and
 * interpreted once the frame is read. A message missing a required field is a {@link
 * MessageException} naming it.
 */
final class KucoinMessages {
  private KucoinMessages() {}

  enum Kind {
    WELCOME,
    ACK,
    PONG,
    ERROR,
    SPOT_BOOK,
    FUTURE_BOOK,
    TRADE,
    OTHER
  }

  /** One parsed frame, reused per connection share: not thread-safe. */
  static final class WsMessage {
    Kind kind;
    String type;
    String topic;
    String subject;
    String code;
    String errorData;
    final BookMessage book = new BookMessage();
    final Texts texts = new Texts();
    // data fields, whichever subject they belong to
    String symbol;
    long sequenceStart;
    long sequenceEnd;
    long sequence;
    long time;
    long ts;
    long timestamp;
    String change;
    boolean hasChange;
    double changePrice;
    double changeSize;
    int changeSide; // 1 buy, -1 sell, 0 neither
    final java.util.Map<String, String> topicSymbols = new java.util.HashMap<>();
    boolean hasChanges;
    int placeholders;
    String tradeId;
    String side;
    double price;
    double size;

    void reset() {
      kind = Kind.OTHER;
      type = topic = subject = code = errorData = symbol = change = tradeId = side = null;
      sequenceStart = sequenceEnd = sequence = BookMessage.NONE;
      time = ts = timestamp = -1;
      hasChanges = hasChange = false;
      changeSide = 0;
      changePrice = changeSize = Double.NaN;
      placeholders = 0;
      price = size = Double.NaN;
      book.reset();
    }

    /** The symbol of the frame for a rejection: the data's, else the topic's. */
    String symbolOrNull() {
      if (symbol != null) {
        return symbol;
      }
      return topic == null || topic.indexOf(':') < 0
          ? null
          : topic.substring(topic.indexOf(':') + 1);
    }
  }

  /**
   * The texts a connection sees again and again (types, topics, subjects, symbols, sides), kept so
   * that reading one allocates nothing once it has been seen: a small table by hash, whose entry is
   * replaced when another text lands on it.
   */
  static final class Texts {
    private final String[] table = new String[64];

    String of(JsonParser parser) throws IOException {
      if (parser.currentToken() != JsonToken.VALUE_STRING) {
        return parser.getText();
      }
      char[] chars = parser.getTextCharacters();
      int offset = parser.getTextOffset();
      int length = parser.getTextLength();
      int hash = 0;
      for (int i = 0; i < length; i++) {
        hash = 31 * hash + chars[offset + i];
      }
      int slot = (hash ^ (hash >>> 16)) & (table.length - 1);
      String known = table[slot];
      if (known != null && known.length() == length) {
        boolean same = true;
        for (int i = 0; i < length && same; i++) {
          same = known.charAt(i) == chars[offset + i];
        }
        if (same) {
          return known;
        }
      }
      String text = new String(chars, offset, length);
      table[slot] = text;
      return text;
    }
  }

  /** Parses one frame into a reused message. */
  static void parse(byte[] bytes, int length, WsMessage into) {
    into.reset();
    try (JsonParser parser = Json.FACTORY.createParser(bytes, 0, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MessageException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "type" -> into.type = into.texts.of(parser);
          case "topic" -> into.topic = into.texts.of(parser);
          case "subject" -> into.subject = into.texts.of(parser);
          case "code" -> into.code = parser.getText();
          case "data" -> {
            if (value == JsonToken.START_OBJECT) {
              data(parser, into);
            } else {
              into.errorData = value == JsonToken.VALUE_STRING ? parser.getText() : null;
              parser.skipChildren();
            }
          }
          default -> parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw new MessageException("trailing data after the JSON object");
      }
    } catch (MessageException e) {
      throw e;
    } catch (IOException e) {
      throw new MessageException("invalid JSON: " + Json.firstLine(e.getMessage()), e);
    }
    finish(into);
  }

  private static void data(JsonParser parser, WsMessage into) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "symbol" -> into.symbol = into.texts.of(parser);
        case "sequenceStart" -> into.sequenceStart = Json.integer(parser, "sequenceStart");
        case "sequenceEnd" -> into.sequenceEnd = Json.integer(parser, "sequenceEnd");
        case "sequence" -> into.sequence = Json.integer(parser, "sequence");
        case "time" -> into.time = Json.integer(parser, "time");
        case "ts" -> into.ts = Json.integer(parser, "ts");
        case "timestamp" -> into.timestamp = Json.integer(parser, "timestamp");
        case "change" -> change(parser, into);
        case "tradeId" -> into.tradeId = parser.getText();
        case "side" -> into.side = into.texts.of(parser);
        case "price" -> into.price = Json.decimal(parser, "price");
        case "size" -> into.size = Json.decimal(parser, "size");
        case "changes" -> changes(parser, into);
        default -> parser.skipChildren();
      }
    }
  }

  private static void changes(JsonParser parser, WsMessage into) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw new MessageException("changes is not an object");
    }
    into.hasChanges = true;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "asks" -> levels(parser, "asks", into.book.asks, into);
        case "bids" -> levels(parser, "bids", into.book.bids, into);
        default -> parser.skipChildren();
      }
    }
  }

  /**
   * Spot changes {@code [price, size, sequence]}. Price "0" entries are sequence-only placeholders
   * (seen in real messages, exchanges.md 4.2): they advance the sequence, which {@code
   * sequenceStart..sequenceEnd} covers already, and change no level, so they make no level here.
   */
  private static void levels(
      JsonParser parser, String side, BookMessage.Levels levels, WsMessage into)
      throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new MessageException("changes." + side + " is not an array");
    }
    int index = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      String what = "changes." + side + "[" + index + "]";
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        throw new MessageException(what + " is not [price, size, sequence]");
      }
      if (parser.nextToken() == JsonToken.END_ARRAY) {
        throw new MessageException(what + " is empty (expected [price, size, sequence])");
      }
      double price = Json.decimal(parser, what + " price");
      if (parser.nextToken() == JsonToken.END_ARRAY) {
        throw new MessageException(what + " has no size (expected [price, size, sequence])");
      }
      double size = Json.decimal(parser, what + " size");
      if (parser.nextToken() == JsonToken.END_ARRAY) {
        throw new MessageException(what + " has no sequence (expected [price, size, sequence])");
      }
      long sequence = Json.integer(parser, what + " sequence");
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        parser.skipChildren();
      }
      if (price < 0 || size < 0) {
        throw new MessageException(what + " has a negative price or size");
      }
      if (price == 0) {
        into.placeholders++;
      } else {
        levels.add(price, size, sequence);
      }
      index++;
    }
    inSequenceOrder(levels);
  }

  /**
   * Puts a side's changes in the order of their sequences: KuCoin does not promise the order within
   * a message, and both the book and a reader replaying the rows apply them in row order, so the
   * later change of a price must come last (a stable insertion sort, run only when out of order).
   */
  static void inSequenceOrder(BookMessage.Levels levels) {
    for (int i = 1; i < levels.count; i++) {
      long sequence = levels.sequences[i];
      if (sequence >= levels.sequences[i - 1]) {
        continue;
      }
      double price = levels.prices[i];
      double quantity = levels.quantities[i];
      int j = i - 1;
      while (j >= 0 && levels.sequences[j] > sequence) {
        levels.sequences[j + 1] = levels.sequences[j];
        levels.prices[j + 1] = levels.prices[j];
        levels.quantities[j + 1] = levels.quantities[j];
        j--;
      }
      levels.sequences[j + 1] = sequence;
      levels.prices[j + 1] = price;
      levels.quantities[j + 1] = quantity;
    }
  }

  private static void finish(WsMessage into) {
    if (into.type == null) {
      throw new MessageException("missing type");
    }
    switch (into.type) {
      case "welcome" -> into.kind = Kind.WELCOME;
      case "ack" -> into.kind = Kind.ACK;
      case "pong" -> into.kind = Kind.PONG;
      case "error" -> into.kind = Kind.ERROR;
      case "message" -> message(into);
      default -> into.kind = Kind.OTHER;
    }
  }

  private static void message(WsMessage into) {
    if (into.topic == null) {
      throw new MessageException("message without topic");
    }
    if (into.topic.startsWith("/market/level2:")) {
      spotBook(into);
    } else if (into.topic.startsWith("/contractMarket/level2:")) {
      futureBook(into);
    } else if (into.topic.startsWith("/market/match:")
        || into.topic.startsWith("/contractMarket/execution:")) {
      trade(into);
    } else {
      into.kind = Kind.OTHER;
    }
  }

  private static void spotBook(WsMessage into) {
    if (into.symbol == null) {
      throw new MessageException("trade.l2update without data.symbol");
    }
    if (into.sequenceStart == BookMessage.NONE || into.sequenceEnd == BookMessage.NONE) {
      throw new MessageException("trade.l2update without sequenceStart and sequenceEnd");
    }
    if (into.sequenceStart > into.sequenceEnd) {
      throw new MessageException(
          "sequenceStart " + into.sequenceStart + " is past sequenceEnd " + into.sequenceEnd);
    }
    if (!into.hasChanges) {
      throw new MessageException("trade.l2update without changes");
    }
    BookMessage book = into.book;
    book.symbol = into.symbol;
    book.firstId = into.sequenceStart;
    book.lastId = into.sequenceEnd;
    // Real captures omit data.time at times; 0 asks for the receive time.
    book.timestampMicros = into.time > 0 ? into.time * 1000 : 0;
    into.kind = Kind.SPOT_BOOK;
  }

  /**
   * Reads a futures {@code "price,side,size"} change in place (no text is made of a good one); a
   * change that does not read keeps its text for the rejection.
   */
  private static void change(JsonParser parser, WsMessage into) throws IOException {
    into.hasChange = true;
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      into.change = parser.getText();
      return;
    }
    char[] chars = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    int end = offset + parser.getTextLength();
    int first = -1;
    int second = -1;
    for (int i = offset; i < end; i++) {
      if (chars[i] == ',') {
        if (first < 0) {
          first = i;
        } else if (second < 0) {
          second = i;
        } else {
          second = -1;
          break;
        }
      }
    }
    try {
      if (first < 0 || second < 0) {
        throw new NumberFormatException();
      }
      into.changePrice = NumberInput.parseDouble(chars, offset, first - offset, true);
      into.changeSize = NumberInput.parseDouble(chars, second + 1, end - second - 1, true);
      int side = second - first - 1;
      if (side == 3
          && chars[first + 1] == 'b'
          && chars[first + 2] == 'u'
          && chars[first + 3] == 'y') {
        into.changeSide = 1;
      } else if (side == 4
          && chars[first + 1] == 's'
          && chars[first + 2] == 'e'
          && chars[first + 3] == 'l'
          && chars[first + 4] == 'l') {
        into.changeSide = -1;
      }
    } catch (NumberFormatException e) {
      into.changePrice = Double.NaN;
    }
    if (Double.isNaN(into.changePrice) || into.changeSide == 0) {
      into.change = parser.getText();
    }
  }

  private static void futureBook(WsMessage into) {
    if (into.sequence == BookMessage.NONE) {
      throw new MessageException("level2 without data.sequence");
    }
    if (!into.hasChange) {
      throw new MessageException("level2 without data.change");
    }
    if (into.change != null) {
      throw new MessageException(
          "level2 change \""
              + into.change
              + "\" (expected \"price,side,size\" with side buy or sell)");
    }
    double price = into.changePrice;
    double size = into.changeSize;
    if (!(price > 0) || !(size >= 0) || !Double.isFinite(price) || !Double.isFinite(size)) {
      throw new MessageException(
          "level2 change has price "
              + price
              + " and size "
              + size
              + " (expected a positive price and a size of 0 or more)");
    }
    BookMessage book = into.book;
    String symbol = into.topicSymbols.get(into.topic);
    if (symbol == null) {
      symbol = into.topic.substring(into.topic.indexOf(':') + 1);
      into.topicSymbols.put(into.topic, symbol);
    }
    book.symbol = symbol;
    book.firstId = into.sequence;
    book.lastId = into.sequence;
    book.timestampMicros = into.timestamp > 0 ? into.timestamp * 1000 : 0;
    (into.changeSide > 0 ? book.bids : book.asks).add(price, size);
    into.kind = Kind.FUTURE_BOOK;
  }

  private static void trade(WsMessage into) {
    if (into.symbol == null) {
      throw new MessageException("trade without data.symbol");
    }
    if (into.tradeId == null) {
      throw new MessageException("trade without data.tradeId");
    }
    if (into.sequence == BookMessage.NONE) {
      throw new MessageException("trade without data.sequence");
    }
    if (Double.isNaN(into.price) || Double.isNaN(into.size)) {
      throw new MessageException("trade without price and size");
    }
    if (!"buy".equals(into.side) && !"sell".equals(into.side)) {
      throw new MessageException("trade side " + into.side + " (expected buy or sell)");
    }
    // Spot gives data.time and futures data.ts, both in nanoseconds.
    long nanos = into.time > 0 ? into.time : into.ts;
    if (nanos <= 0) {
      throw new MessageException("trade without time or ts");
    }
    into.timestamp = nanos / 1000;
    into.kind = Kind.TRADE;
  }
}
