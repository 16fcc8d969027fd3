package dev.lake.exchanges.binance;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.json.Json;
import dev.lake.exchanges.json.MessageException;
import java.io.IOException;

/**
 * Binance WebSocket payloads: diff-depth events ({@code depthUpdate}), liquidation orders ({@code
 * forceOrder}), trades ({@code trade}), and the replies to SUBSCRIBE. Raw ({@code /ws}) and
 * combined ({@code /stream}, {@code {"stream":..,"data":..}}) forms are both read. Parsing is one
 * streaming pass with exact decimal conversion; a message missing a required field, or with a
 * mistyped or out-of-range one, is a {@link MessageException} that names it.
 */
final class BinanceMessages {
  private BinanceMessages() {}

  enum Kind {
    DEPTH,
    FORCE_ORDER,
    TRADE,
    REPLY,
    ERROR,
    OTHER
  }

  /** One parsed payload. Reused per session to spare allocations: not thread-safe. */
  static final class WsMessage {
    Kind kind;
    String stream;
    String eventType;
    final BookMessage depth = new BookMessage();
    final DepthFields depthFields = new DepthFields();
    final ForceOrder forceOrder = new ForceOrder();
    final TradeFields trade = new TradeFields();
    String error;

    /** Reads this message's fields; made once, so that parsing allocates no reader. */
    final Json.ObjectReader reader = parser -> parseObject(parser, this, true);

    void reset() {
      kind = Kind.OTHER;
      stream = null;
      eventType = null;
      error = null;
      depth.reset();
      depthFields.reset();
      forceOrder.reset();
      trade.reset();
    }
  }

  /**
   * A trade event: {@code t} (trade id, contiguous per symbol), {@code p}, {@code q}, {@code T}
   * (trade time) and {@code m} (the buyer is the maker, so the taker sold); the symbol is {@code
   * s}.
   */
  static final class TradeFields {
    long id = -1;
    double price = Double.NaN;
    double quantity = Double.NaN;
    long tradeTime = -1;
    Boolean buyerIsMaker;

    void reset() {
      id = tradeTime = -1;
      price = quantity = Double.NaN;
      buyerIsMaker = null;
    }

    void validate(String symbol) {
      if (symbol == null) {
        throw new MessageException("trade without s (symbol)");
      }
      if (id < 0) {
        throw new MessageException("trade without a valid t (trade id)");
      }
      if (Double.isNaN(price) || Double.isNaN(quantity)) {
        throw new MessageException("trade without p or q");
      }
      if (price < 0 || quantity < 0) {
        throw new MessageException("trade with a negative price or quantity");
      }
      if (tradeTime <= 0) {
        throw new MessageException("trade without a valid T (trade time)");
      }
      if (buyerIsMaker == null) {
        throw new MessageException("trade without m (buyer is maker)");
      }
    }
  }

  /**
   * What a diff-depth event holds beyond the neutral {@link BookMessage}: which fields were present
   * and Binance's two times, checked before the event reaches its book.
   */
  static final class DepthFields {
    long eventTime = -1;
    long transactionTime = -1;
    boolean hasBids;
    boolean hasAsks;

    void reset() {
      eventTime = transactionTime = -1;
      hasBids = hasAsks = false;
    }
  }

  /** Checks a depth event and sets its exchange time ({@code E}). */
  private static void validateDepth(BookMessage depth, DepthFields fields) {
    if (depth.symbol == null) {
      throw new MessageException("depthUpdate without s (symbol)");
    }
    if (fields.eventTime <= 0) {
      throw new MessageException("depthUpdate without a valid E (event time)");
    }
    if (depth.firstId == BookMessage.NONE || depth.lastId == BookMessage.NONE) {
      throw new MessageException("depthUpdate without U or u");
    }
    if (depth.firstId > depth.lastId) {
      throw new MessageException("depthUpdate with U " + depth.firstId + " > u " + depth.lastId);
    }
    if (!fields.hasBids || !fields.hasAsks) {
      throw new MessageException("depthUpdate without b or a");
    }
    depth.timestampMicros = fields.eventTime * 1000;
  }

  /** A liquidation order event. */
  static final class ForceOrder {
    String symbol;
    String side;
    double price = Double.NaN;
    double averagePrice = Double.NaN;
    double quantity = Double.NaN;
    long tradeTime = -1;
    long eventTime = -1;
    String status;

    void reset() {
      symbol = side = status = null;
      price = averagePrice = quantity = Double.NaN;
      tradeTime = eventTime = -1;
    }

    void validate() {
      if (symbol == null || side == null) {
        throw new MessageException("forceOrder without o.s or o.S");
      }
      if (!"BUY".equals(side) && !"SELL".equals(side)) {
        throw new MessageException(
            "forceOrder with unknown side o.S \"" + side + "\" (expected BUY or SELL)");
      }
      if (Double.isNaN(price) || Double.isNaN(quantity)) {
        throw new MessageException("forceOrder without o.p or o.q");
      }
      if (quantity < 0 || price < 0) {
        throw new MessageException("forceOrder with a negative price or quantity");
      }
      if (tradeTime <= 0) {
        throw new MessageException("forceOrder without a valid o.T (trade time)");
      }
    }
  }

  /** Parses a payload into a reused message. */
  static void parse(byte[] bytes, int length, WsMessage into) {
    into.reset();
    Json.parseObject(bytes, length, into.reader);
    finish(into);
  }

  private static void finish(WsMessage message) {
    if (message.error != null) {
      message.kind = Kind.ERROR;
    } else if ("depthUpdate".equals(message.eventType)) {
      validateDepth(message.depth, message.depthFields);
      message.kind = Kind.DEPTH;
    } else if ("trade".equals(message.eventType)) {
      message.trade.tradeTime = message.depthFields.transactionTime;
      message.trade.validate(message.depth.symbol);
      message.kind = Kind.TRADE;
    } else if ("forceOrder".equals(message.eventType)) {
      message.forceOrder.validate();
      message.kind = Kind.FORCE_ORDER;
    } else if (message.kind != Kind.REPLY) {
      message.kind = Kind.OTHER;
    }
  }

  private static void parseObject(JsonParser parser, WsMessage into, boolean top)
      throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "stream" -> into.stream = top ? parser.getValueAsString() : into.stream;
        case "data" -> {
          if (value != JsonToken.START_OBJECT) {
            throw new MessageException("data is not an object");
          }
          parseObject(parser, into, false);
        }
        case "result" -> {
          into.kind = Kind.REPLY;
          parser.skipChildren();
        }
        case "id" -> parser.skipChildren();
        case "error" -> {
          into.error = value == JsonToken.START_OBJECT ? errorText(parser) : parser.getText();
        }
        case "e" -> into.eventType = parser.getValueAsString();
        case "E" -> {
          long time = Json.integer(parser, "E");
          into.depthFields.eventTime = time;
          into.forceOrder.eventTime = time;
        }
        case "T" -> into.depthFields.transactionTime = Json.integer(parser, "T");
        case "s" -> into.depth.symbol = parser.getValueAsString();
        case "U" -> into.depth.firstId = Json.integer(parser, "U");
        case "u" -> into.depth.lastId = Json.integer(parser, "u");
        case "pu" -> into.depth.prevId = Json.integer(parser, "pu");
        case "t" -> into.trade.id = Json.integer(parser, "t");
        case "p" -> into.trade.price = Json.decimal(parser, "p");
        case "q" -> into.trade.quantity = Json.decimal(parser, "q");
        case "m" -> into.trade.buyerIsMaker = bool(parser, "m");
        case "b" -> {
          levels(parser, into.depth.bids, "b");
          into.depthFields.hasBids = true;
        }
        case "a" -> {
          levels(parser, into.depth.asks, "a");
          into.depthFields.hasAsks = true;
        }
        case "o" -> {
          if (value != JsonToken.START_OBJECT) {
            throw new MessageException("o is not an object");
          }
          order(parser, into.forceOrder);
        }
        default -> parser.skipChildren();
      }
    }
  }

  private static void levels(JsonParser parser, BookMessage.Levels levels, String field)
      throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new MessageException(field + " is not an array");
    }
    while (parser.nextToken() == JsonToken.START_ARRAY) {
      parser.nextToken();
      double price = Json.decimal(parser, "price");
      parser.nextToken();
      double quantity = Json.decimal(parser, "quantity");
      if (quantity < 0) {
        throw new MessageException("negative quantity " + parser.getText());
      }
      if (parser.nextToken() != JsonToken.END_ARRAY) {
        throw new MessageException("a price level has more than price and quantity");
      }
      levels.add(price, quantity);
    }
    if (parser.currentToken() != JsonToken.END_ARRAY) {
      throw new MessageException("a price level is not a [price, quantity] array");
    }
  }

  private static void order(JsonParser parser, ForceOrder order) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "s" -> order.symbol = parser.getValueAsString();
        case "S" -> order.side = parser.getValueAsString();
        case "p" -> order.price = Json.decimal(parser, "o.p");
        case "ap" -> order.averagePrice = Json.decimal(parser, "o.ap");
        case "q" -> order.quantity = Json.decimal(parser, "o.q");
        case "T" -> order.tradeTime = Json.integer(parser, "o.T");
        case "X" -> order.status = parser.getValueAsString();
        default -> parser.skipChildren();
      }
    }
  }

  private static Boolean bool(JsonParser parser, String field) throws IOException {
    JsonToken token = parser.currentToken();
    if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
      throw new MessageException(field + " is not true or false: " + parser.getText());
    }
    return token == JsonToken.VALUE_TRUE;
  }

  private static String errorText(JsonParser parser) throws IOException {
    StringBuilder text = new StringBuilder();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      if (parser.currentToken().isScalarValue()) {
        text.append(text.length() == 0 ? "" : ", ")
            .append(field)
            .append('=')
            .append(parser.getText());
      } else {
        parser.skipChildren();
      }
    }
    return text.toString();
  }
}
