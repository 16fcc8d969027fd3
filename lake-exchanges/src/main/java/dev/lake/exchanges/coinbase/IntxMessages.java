package dev.lake.exchanges.coinbase;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.json.Json;
import dev.lake.exchanges.json.MessageException;
import java.io.IOException;

/**
 * Coinbase International (INTX) WebSocket messages, one product each, into the reused {@link
 * CoinbaseMessages.WsMessage}: {@code {"sequence","product_id","time","channel","type",..}}, where
 * {@code sequence} counts every message of the connection (subscription confirmations have none).
 * {@code LEVEL2}: {@code SNAPSHOT} with {@code bids}/{@code asks} {@code [[price, qty]]}, then
 * {@code UPDATE} with {@code changes [[BUY|SELL, price, qty]]} (absolute, "0" removes); {@code
 * MATCH}: {@code match_id, trade_price, trade_qty, aggressor_side} (the taker's side); {@code
 * RISK}: {@code mark_price, open_interest} (absent in some snapshots); {@code FUNDING}: {@code
 * funding_rate, is_final}. A refused subscribe is {@code {"type":"REJECT","message","reason"}}.
 */
final class IntxMessages {
  private IntxMessages() {}

  /** Parses one frame into {@code into}. */
  static void parse(byte[] bytes, int length, CoinbaseMessages.WsMessage into) {
    into.reset();
    String[] type = {null};
    Json.parseObject(bytes, length, parser -> read(parser, into, type));
    if (into.channel == CoinbaseMessages.Channel.ERROR
        || into.channel == CoinbaseMessages.Channel.SUBSCRIPTIONS) {
      return;
    }
    if (into.channelName == null) {
      throw new MessageException("message without channel");
    }
    if (!into.hasSequence) {
      throw new MessageException("message without sequence");
    }
    if (into.product == null) {
      throw new MessageException("message without product_id");
    }
    finish(into, type[0]);
  }

  private static void finish(CoinbaseMessages.WsMessage into, String type) {
    switch (into.channel) {
      case L2_DATA -> {
        if (into.bookCount == 0) {
          throw new MessageException("LEVEL2 message without bids, asks or changes");
        }
        BookMessage book = into.books[0];
        book.symbol = into.product;
        book.snapshot = "SNAPSHOT".equals(type);
        book.timestampMicros = into.timestampMicros;
      }
      case MARKET_TRADES -> {
        CoinbaseMessages.Trades trades = into.trades;
        if (trades.ids[0] == null
            || trades.sides[0] == null
            || Double.isNaN(trades.prices[0])
            || Double.isNaN(trades.sizes[0])) {
          throw new MessageException(
              "MATCH without match_id, trade_price, trade_qty or aggressor_side");
        }
        trades.products[0] = into.product;
        trades.timesMicros[0] = into.timestampMicros;
        trades.count = 1;
      }
      case FUNDING -> {
        if (Double.isNaN(into.fundingRate)) {
          throw new MessageException("FUNDING without funding_rate");
        }
      }
      default -> {}
    }
  }

  private static void read(JsonParser parser, CoinbaseMessages.WsMessage into, String[] type)
      throws IOException {
    CoinbaseMessages.Trades trades = into.trades;
    trades.ids[0] = null;
    trades.sides[0] = null;
    trades.prices[0] = Double.NaN;
    trades.sizes[0] = Double.NaN;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "channel" -> {
          into.channelName = parser.getText();
          if (into.channel != CoinbaseMessages.Channel.ERROR) {
            into.channel = channel(into.channelName);
          }
        }
        case "type" -> {
          type[0] = parser.getText();
          if ("REJECT".equals(type[0])) {
            into.channel = CoinbaseMessages.Channel.ERROR;
          }
        }
        case "message" -> into.errorMessage = join(into.errorMessage, parser.getText());
        case "reason" -> into.errorMessage = join(into.errorMessage, parser.getText());
        case "sequence" -> {
          into.sequenceNum = Json.integer(parser, "sequence");
          into.hasSequence = true;
        }
        case "product_id" -> into.product = parser.getText();
        case "time" -> into.timestampMicros = CoinbaseMessages.micros(parser, "time");
        case "bids" -> levels(parser, book(into).bids, "bids");
        case "asks" -> levels(parser, book(into).asks, "asks");
        case "changes" -> changes(parser, book(into));
        case "open_interest" -> into.openInterest = Json.decimal(parser, "open_interest");
        case "funding_rate" -> into.fundingRate = Json.decimal(parser, "funding_rate");
        case "is_final" -> into.isFinal = parser.getValueAsBoolean();
        case "match_id" -> trades.ids[0] = parser.getText();
        case "trade_price" -> trades.prices[0] = Json.decimal(parser, "trade_price");
        case "trade_qty" -> trades.sizes[0] = Json.decimal(parser, "trade_qty");
        case "aggressor_side" -> trades.sides[0] = parser.getText();
        default -> Json.skip(parser);
      }
    }
  }

  private static String join(String before, String text) {
    return before == null ? text : before + ": " + text;
  }

  private static CoinbaseMessages.Channel channel(String name) {
    return switch (name) {
      case "LEVEL2" -> CoinbaseMessages.Channel.L2_DATA;
      case "MATCH" -> CoinbaseMessages.Channel.MARKET_TRADES;
      case "RISK" -> CoinbaseMessages.Channel.RISK;
      case "FUNDING" -> CoinbaseMessages.Channel.FUNDING;
      case "SUBSCRIPTIONS" -> CoinbaseMessages.Channel.SUBSCRIPTIONS;
      default -> CoinbaseMessages.Channel.OTHER;
    };
  }

  private static BookMessage book(CoinbaseMessages.WsMessage into) {
    return into.bookCount == 0 ? into.nextBook() : into.books[0];
  }

  private static void levels(JsonParser parser, BookMessage.Levels levels, String field)
      throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new MessageException(field + " is not an array");
    }
    while (parser.nextToken() == JsonToken.START_ARRAY) {
      parser.nextToken();
      double price = Json.decimal(parser, field + " price");
      parser.nextToken();
      double quantity = Json.decimal(parser, field + " quantity");
      if (quantity < 0 || parser.nextToken() != JsonToken.END_ARRAY) {
        throw new MessageException(field + " level is not [price, quantity >= 0]");
      }
      levels.add(price, quantity);
    }
  }

  private static void changes(JsonParser parser, BookMessage book) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new MessageException("changes is not an array");
    }
    while (parser.nextToken() == JsonToken.START_ARRAY) {
      parser.nextToken();
      BookMessage.Levels levels;
      if (CoinbaseMessages.textIs(parser, "BUY")) {
        levels = book.bids;
      } else if (CoinbaseMessages.textIs(parser, "SELL")) {
        levels = book.asks;
      } else {
        throw new MessageException("change side " + parser.getText() + " (expected BUY or SELL)");
      }
      parser.nextToken();
      double price = Json.decimal(parser, "change price");
      parser.nextToken();
      double quantity = Json.decimal(parser, "change quantity");
      if (quantity < 0 || parser.nextToken() != JsonToken.END_ARRAY) {
        throw new MessageException("change is not [side, price, quantity >= 0]");
      }
      levels.add(price, quantity);
    }
  }
}
