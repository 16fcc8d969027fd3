package dev.lake.exchanges.binance;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lake.exchanges.json.Json;
import dev.lake.exchanges.json.MessageException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Binance WebSocket payloads: diff-depth events ({@code depthUpdate}), liquidation orders ({@code
 * forceOrder}), and the replies to SUBSCRIBE. Raw ({@code /ws}) and combined ({@code /stream},
 * {@code {"stream":..,"data":..}}) forms are both read. Parsing is one streaming pass with exact
 * decimal conversion; a message missing a required field, or with a mistyped or out-of-range one,
 * is a {@link MessageException} that names it.
 */
final class BinanceMessages {
  private BinanceMessages() {}

  enum Kind {
    DEPTH,
    FORCE_ORDER,
    REPLY,
    ERROR,
    OTHER
  }

  /** One parsed payload. Reused per session to spare allocations: not thread-safe. */
  static final class WsMessage {
    Kind kind;
    String stream;
    String eventType;
    final DepthUpdate depth = new DepthUpdate();
    final ForceOrder forceOrder = new ForceOrder();
    String error;

    void reset() {
      kind = Kind.OTHER;
      stream = null;
      eventType = null;
      error = null;
      depth.reset();
      forceOrder.reset();
    }
  }

  /** A diff-depth event: {@code U}..{@code u} (and {@code pu} on futures), changed levels. */
  static final class DepthUpdate {
    String symbol;
    long eventTime = -1;
    long transactionTime = -1;
    long firstId = -1;
    long lastId = -1;
    long prevId = -1;
    boolean hasPrevId;
    boolean hasBids;
    boolean hasAsks;
    double[] bidPrices = new double[64];
    double[] bidQuantities = new double[64];
    int bidCount;
    double[] askPrices = new double[64];
    double[] askQuantities = new double[64];
    int askCount;

    void reset() {
      symbol = null;
      eventTime = transactionTime = firstId = lastId = prevId = -1;
      hasPrevId = hasBids = hasAsks = false;
      bidCount = askCount = 0;
    }

    /** A copy whose arrays are exactly sized, for buffering while a book syncs. */
    DepthUpdate copy() {
      DepthUpdate copy = new DepthUpdate();
      copy.symbol = symbol;
      copy.eventTime = eventTime;
      copy.transactionTime = transactionTime;
      copy.firstId = firstId;
      copy.lastId = lastId;
      copy.prevId = prevId;
      copy.hasPrevId = hasPrevId;
      copy.hasBids = hasBids;
      copy.hasAsks = hasAsks;
      copy.bidPrices = Arrays.copyOf(bidPrices, bidCount);
      copy.bidQuantities = Arrays.copyOf(bidQuantities, bidCount);
      copy.bidCount = bidCount;
      copy.askPrices = Arrays.copyOf(askPrices, askCount);
      copy.askQuantities = Arrays.copyOf(askQuantities, askCount);
      copy.askCount = askCount;
      return copy;
    }

    void validate() {
      if (symbol == null) {
        throw new MessageException("depthUpdate without s (symbol)");
      }
      if (eventTime <= 0) {
        throw new MessageException("depthUpdate without a valid E (event time)");
      }
      if (firstId < 0 || lastId < 0) {
        throw new MessageException("depthUpdate without U or u");
      }
      if (firstId > lastId) {
        throw new MessageException("depthUpdate with U " + firstId + " > u " + lastId);
      }
      if (!hasBids || !hasAsks) {
        throw new MessageException("depthUpdate without b or a");
      }
    }
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
    try (JsonParser parser = Json.FACTORY.createParser(bytes, 0, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MessageException("not a JSON object");
      }
      parseObject(parser, into, true);
      if (parser.nextToken() != null) {
        throw new MessageException("trailing data after the JSON object");
      }
    } catch (MessageException e) {
      throw e;
    } catch (IOException e) {
      throw new MessageException("invalid JSON: " + firstLine(e.getMessage()), e);
    }
    finish(into);
  }

  private static void finish(WsMessage message) {
    if (message.error != null) {
      message.kind = Kind.ERROR;
    } else if ("depthUpdate".equals(message.eventType)) {
      message.depth.validate();
      message.kind = Kind.DEPTH;
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
          into.depth.eventTime = time;
          into.forceOrder.eventTime = time;
        }
        case "T" -> into.depth.transactionTime = Json.integer(parser, "T");
        case "s" -> into.depth.symbol = parser.getValueAsString();
        case "U" -> into.depth.firstId = Json.integer(parser, "U");
        case "u" -> into.depth.lastId = Json.integer(parser, "u");
        case "pu" -> {
          into.depth.prevId = Json.integer(parser, "pu");
          into.depth.hasPrevId = true;
        }
        case "b" -> {
          into.depth.bidCount = levels(parser, into.depth, true);
          into.depth.hasBids = true;
        }
        case "a" -> {
          into.depth.askCount = levels(parser, into.depth, false);
          into.depth.hasAsks = true;
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

  private static int levels(JsonParser parser, DepthUpdate depth, boolean bids) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new MessageException((bids ? "b" : "a") + " is not an array");
    }
    int count = 0;
    while (parser.nextToken() == JsonToken.START_ARRAY) {
      if (bids && count == depth.bidPrices.length) {
        depth.bidPrices = Arrays.copyOf(depth.bidPrices, count * 2);
        depth.bidQuantities = Arrays.copyOf(depth.bidQuantities, count * 2);
      } else if (!bids && count == depth.askPrices.length) {
        depth.askPrices = Arrays.copyOf(depth.askPrices, count * 2);
        depth.askQuantities = Arrays.copyOf(depth.askQuantities, count * 2);
      }
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
      if (bids) {
        depth.bidPrices[count] = price;
        depth.bidQuantities[count] = quantity;
      } else {
        depth.askPrices[count] = price;
        depth.askQuantities[count] = quantity;
      }
      count++;
    }
    if (parser.currentToken() != JsonToken.END_ARRAY) {
      throw new MessageException("a price level is not a [price, quantity] array");
    }
    return count;
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

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
