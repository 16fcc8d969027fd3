package dev.lake.exchanges.kucoin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
    // data fields, whichever subject they belong to
    String symbol;
    long sequenceStart;
    long sequenceEnd;
    long sequence;
    long time;
    long ts;
    long timestamp;
    String change;
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
      hasChanges = false;
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
          case "type" -> into.type = parser.getText();
          case "topic" -> into.topic = parser.getText();
          case "subject" -> into.subject = parser.getText();
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
        case "symbol" -> into.symbol = parser.getText();
        case "sequenceStart" -> into.sequenceStart = Json.integer(parser, "sequenceStart");
        case "sequenceEnd" -> into.sequenceEnd = Json.integer(parser, "sequenceEnd");
        case "sequence" -> into.sequence = Json.integer(parser, "sequence");
        case "time" -> into.time = Json.integer(parser, "time");
        case "ts" -> into.ts = Json.integer(parser, "ts");
        case "timestamp" -> into.timestamp = Json.integer(parser, "timestamp");
        case "change" -> into.change = parser.getText();
        case "tradeId" -> into.tradeId = parser.getText();
        case "side" -> into.side = parser.getText();
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

  private static void futureBook(WsMessage into) {
    if (into.sequence == BookMessage.NONE) {
      throw new MessageException("level2 without data.sequence");
    }
    if (into.change == null) {
      throw new MessageException("level2 without data.change");
    }
    String change = into.change;
    int first = change.indexOf(',');
    int second = first < 0 ? -1 : change.indexOf(',', first + 1);
    if (second < 0 || change.indexOf(',', second + 1) >= 0) {
      throw new MessageException("level2 change \"" + change + "\" (expected \"price,side,size\")");
    }
    double price;
    double size;
    try {
      price = Double.parseDouble(change.substring(0, first));
      size = Double.parseDouble(change.substring(second + 1));
    } catch (NumberFormatException e) {
      throw new MessageException(
          "level2 change \"" + change + "\" has a price or size that is not a number");
    }
    if (!(price > 0) || !(size >= 0) || !Double.isFinite(price) || !Double.isFinite(size)) {
      throw new MessageException(
          "level2 change \"" + change + "\" has a non-positive price or a negative size");
    }
    boolean buy = change.regionMatches(first + 1, "buy", 0, 3) && second - first == 4;
    boolean sell = change.regionMatches(first + 1, "sell", 0, 4) && second - first == 5;
    if (!buy && !sell) {
      throw new MessageException(
          "level2 change \"" + change + "\" has a side other than buy or sell");
    }
    BookMessage book = into.book;
    book.symbol = into.topic.substring(into.topic.indexOf(':') + 1);
    book.firstId = into.sequence;
    book.lastId = into.sequence;
    book.timestampMicros = into.timestamp > 0 ? into.timestamp * 1000 : 0;
    (buy ? book.bids : book.asks).add(price, size);
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
