package dev.lake.exchanges.okx;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lake.exchanges.ContractSize;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.json.Json;
import dev.lake.exchanges.json.MessageException;
import java.io.IOException;
import java.util.Arrays;

/**
 * OKX v5 public WebSocket payloads: pushes ({@code {"arg":{channel,instId|instType},
 * "action":..,"data":[..]}}) of {@code books} (and the same shape on {@code books-l2-tbt}), {@code
 * trades} and {@code liquidation-orders}; and events ({@code subscribe}, {@code unsubscribe},
 * {@code error}, {@code notice}). One streaming pass with exact decimal conversion; sizes of
 * derivatives are converted from contracts with {@link OkxContractSizes} once the message is read
 * (OKX may write {@code instId} after the sizes), while book levels keep the wire text the checksum
 * is computed from. A message missing a required field, or with a mistyped one, is a {@link
 * MessageException} naming it.
 */
final class OkxMessages {
  private OkxMessages() {}

  enum Kind {
    BOOK,
    TRADES,
    LIQUIDATIONS,
    REPLY,
    ERROR,
    NOTICE,
    OTHER
  }

  /** One parsed payload, reused per connection share: not thread-safe. */
  static final class WsMessage {
    Kind kind;
    String event;
    String code;
    String msg;
    String channel;
    String instId;
    String instType;
    String action;
    int entries;
    final BookMessage book = new BookMessage();
    final BookFields bookFields = new BookFields();
    final Events trades = new Events();
    final Events liquidations = new Events();

    void reset() {
      kind = Kind.OTHER;
      event = code = msg = channel = instId = instType = action = null;
      entries = 0;
      book.reset();
      bookFields.reset();
      trades.clear();
      liquidations.clear();
    }

    /** The symbol a message concerns, for a rejection: the book's or a trade's instrument. */
    String symbol() {
      return instId;
    }
  }

  /** Which fields of a book entry were present. */
  static final class BookFields {
    long ts = -1;
    boolean hasAsks;
    boolean hasBids;
    boolean hasSeqId;
    boolean hasPrevSeqId;

    void reset() {
      ts = -1;
      hasAsks = hasBids = hasSeqId = hasPrevSeqId = false;
    }
  }

  /**
   * Trades or liquidation orders of one push, as parallel arrays: the instrument, id ({@code
   * tradeId}; none for liquidations), price ({@code px}, or a liquidation's bankruptcy price {@code
   * bkPx}), size, side and time.
   */
  static final class Events {
    int count;
    String[] instIds = new String[8];
    String[] ids = new String[8];
    double[] prices = new double[8];
    double[] sizes = new double[8];
    String[] sides = new String[8];
    long[] times = new long[8];

    void clear() {
      Arrays.fill(instIds, 0, count, null);
      Arrays.fill(ids, 0, count, null);
      Arrays.fill(sides, 0, count, null);
      count = 0;
    }

    int next() {
      if (count == prices.length) {
        int size = count * 2;
        instIds = Arrays.copyOf(instIds, size);
        ids = Arrays.copyOf(ids, size);
        prices = Arrays.copyOf(prices, size);
        sizes = Arrays.copyOf(sizes, size);
        sides = Arrays.copyOf(sides, size);
        times = Arrays.copyOf(times, size);
      }
      prices[count] = sizes[count] = Double.NaN;
      times[count] = -1;
      return count++;
    }
  }

  /** Parses a payload into a reused message, converting derivative sizes with {@code sizes}. */
  static void parse(byte[] bytes, int length, WsMessage into, OkxContractSizes sizes) {
    into.reset();
    try (JsonParser parser = Json.FACTORY.createParser(bytes, 0, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MessageException("not a JSON object");
      }
      parseTop(parser, into);
      if (parser.nextToken() != null) {
        throw new MessageException("trailing data after the JSON object");
      }
    } catch (MessageException e) {
      throw e;
    } catch (IOException e) {
      throw new MessageException("invalid JSON: " + Json.firstLine(e.getMessage()), e);
    }
    finish(into, sizes);
  }

  private static void parseTop(JsonParser parser, WsMessage into) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "event" -> into.event = parser.getValueAsString();
        case "code" -> into.code = parser.getValueAsString();
        case "msg" -> into.msg = parser.getValueAsString();
        case "action" -> into.action = parser.getValueAsString();
        case "arg" -> {
          if (value != JsonToken.START_OBJECT) {
            throw new MessageException("arg is not an object");
          }
          arg(parser, into);
        }
        case "data" -> {
          if (value != JsonToken.START_ARRAY) {
            throw new MessageException("data is not an array");
          }
          if (into.channel == null) {
            // OKX writes arg before data; without it the entries cannot be read.
            throw new MessageException("data before arg (the channel)");
          }
          data(parser, into);
        }
        default -> parser.skipChildren();
      }
    }
  }

  private static void arg(JsonParser parser, WsMessage into) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "channel" -> into.channel = parser.getValueAsString();
        case "instId" -> into.instId = parser.getValueAsString();
        case "instType" -> into.instType = parser.getValueAsString();
        default -> parser.skipChildren();
      }
    }
  }

  private static boolean bookChannel(String channel) {
    return channel.equals("books")
        || channel.equals("books-l2-tbt")
        || channel.equals("books50-l2-tbt");
  }

  private static void data(JsonParser parser, WsMessage into) throws IOException {
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      into.entries++;
      if (bookChannel(into.channel)) {
        if (into.entries > 1) {
          throw new MessageException("a books push with more than one data entry");
        }
        bookEntry(parser, into.book, into.bookFields);
      } else if (into.channel.equals("trades")) {
        tradeEntry(parser, into.trades);
      } else if (into.channel.equals("liquidation-orders")) {
        liquidationEntry(parser, into.liquidations);
      } else {
        parser.skipChildren();
      }
    }
    if (parser.currentToken() != JsonToken.END_ARRAY) {
      throw new MessageException("a data entry is not an object");
    }
  }

  private static void bookEntry(JsonParser parser, BookMessage book, BookFields fields)
      throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "asks" -> {
          levels(parser, book.asks, "asks");
          fields.hasAsks = true;
        }
        case "bids" -> {
          levels(parser, book.bids, "bids");
          fields.hasBids = true;
        }
        case "ts" -> fields.ts = Json.integer(parser, "ts");
        case "checksum" -> {
          book.checksum = Json.integer(parser, "checksum");
          // 0 is what OKX sends since it stopped computing checksums: no checksum.
          book.hasChecksum = book.checksum != 0;
        }
        case "seqId" -> {
          book.lastId = Json.integer(parser, "seqId");
          fields.hasSeqId = true;
        }
        case "prevSeqId" -> {
          book.prevId = Json.integer(parser, "prevSeqId");
          fields.hasPrevSeqId = true;
        }
        default -> parser.skipChildren();
      }
    }
  }

  /** Levels {@code [px, sz, "0", orders]}: the wire text is kept for the checksum. */
  private static void levels(JsonParser parser, BookMessage.Levels levels, String field)
      throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new MessageException(field + " is not an array");
    }
    while (parser.nextToken() == JsonToken.START_ARRAY) {
      parser.nextToken();
      double price = Json.decimal(parser, field + " price");
      String priceText = parser.getText();
      parser.nextToken();
      double size = Json.decimal(parser, field + " size");
      String sizeText = parser.getText();
      if (price <= 0 || size < 0) {
        throw new MessageException(
            field + " level " + priceText + " has a non-positive price or a negative size");
      }
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (parser.currentToken() == null || !parser.currentToken().isScalarValue()) {
          throw new MessageException(field + " level " + priceText + " is not [px, sz, ...]");
        }
      }
      levels.add(price, size, priceText, sizeText);
    }
    if (parser.currentToken() != JsonToken.END_ARRAY) {
      throw new MessageException("a " + field + " level is not an array");
    }
  }

  private static void tradeEntry(JsonParser parser, Events trades) throws IOException {
    int i = trades.next();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "instId" -> trades.instIds[i] = parser.getValueAsString();
        case "tradeId" -> trades.ids[i] = parser.getValueAsString();
        case "px" -> trades.prices[i] = Json.decimal(parser, "px");
        case "sz" -> trades.sizes[i] = Json.decimal(parser, "sz");
        case "side" -> trades.sides[i] = parser.getValueAsString();
        case "ts" -> trades.times[i] = Json.integer(parser, "ts");
        default -> parser.skipChildren();
      }
    }
  }

  private static void liquidationEntry(JsonParser parser, Events orders) throws IOException {
    int first = orders.count;
    String instId = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "instId" -> instId = parser.getValueAsString();
        case "details" -> {
          if (value != JsonToken.START_ARRAY) {
            throw new MessageException("details is not an array");
          }
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            detail(parser, orders);
          }
        }
        default -> parser.skipChildren();
      }
    }
    for (int i = first; i < orders.count; i++) {
      orders.instIds[i] = instId;
    }
  }

  private static void detail(JsonParser parser, Events orders) throws IOException {
    int i = orders.next();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "bkPx" -> orders.prices[i] = Json.decimal(parser, "details.bkPx");
        case "sz" -> orders.sizes[i] = Json.decimal(parser, "details.sz");
        case "side" -> orders.sides[i] = parser.getValueAsString();
        case "ts" -> orders.times[i] = Json.integer(parser, "details.ts");
        default -> parser.skipChildren();
      }
    }
  }

  private static void finish(WsMessage message, OkxContractSizes sizes) {
    if (message.event != null) {
      message.kind =
          switch (message.event) {
            case "error" -> Kind.ERROR;
            case "notice" -> Kind.NOTICE;
            default -> Kind.REPLY;
          };
      return;
    }
    if (message.channel == null) {
      message.kind = Kind.OTHER;
      return;
    }
    if (bookChannel(message.channel)) {
      validateBook(message, sizes);
      message.kind = Kind.BOOK;
    } else if (message.channel.equals("trades")) {
      validateEvents(message.trades, "trade", sizes, true);
      message.kind = Kind.TRADES;
    } else if (message.channel.equals("liquidation-orders")) {
      validateEvents(message.liquidations, "liquidation order", sizes, false);
      message.kind = Kind.LIQUIDATIONS;
    } else {
      message.kind = Kind.OTHER;
    }
  }

  private static void validateBook(WsMessage message, OkxContractSizes sizes) {
    BookMessage book = message.book;
    BookFields fields = message.bookFields;
    if (message.instId == null) {
      throw new MessageException("books push without arg.instId");
    }
    if (message.entries != 1) {
      throw new MessageException("books push without a data entry");
    }
    boolean snapshot = "snapshot".equals(message.action);
    if (!snapshot && !"update".equals(message.action)) {
      throw new MessageException(
          "books push with action " + message.action + " (expected snapshot or update)");
    }
    if (!fields.hasAsks || !fields.hasBids) {
      throw new MessageException("books push without asks or bids");
    }
    if (fields.ts <= 0) {
      throw new MessageException("books push without a valid ts");
    }
    if (fields.hasSeqId != fields.hasPrevSeqId) {
      throw new MessageException("books push with only one of seqId and prevSeqId");
    }
    ContractSize size = sizes.of(message.instId);
    if (size == null) {
      throw new MessageException(
          "books push for " + message.instId + ", whose ctVal is not known (not listed)");
    }
    convert(book.bids, size);
    convert(book.asks, size);
    book.symbol = message.instId;
    book.snapshot = snapshot;
    book.timestampMicros = fields.ts * 1000;
  }

  private static void convert(BookMessage.Levels levels, ContractSize size) {
    if (size != ContractSize.ONE) {
      for (int i = 0; i < levels.count; i++) {
        levels.quantities[i] = size.apply(levels.quantities[i]);
      }
    }
  }

  private static void validateEvents(
      Events events, String what, OkxContractSizes sizes, boolean withIds) {
    for (int i = 0; i < events.count; i++) {
      if (events.instIds[i] == null) {
        throw new MessageException(what + " without instId");
      }
      if (withIds && (events.ids[i] == null || events.ids[i].isEmpty())) {
        throw new MessageException(what + " without tradeId");
      }
      if (Double.isNaN(events.prices[i]) || Double.isNaN(events.sizes[i])) {
        throw new MessageException(what + " without " + (withIds ? "px" : "bkPx") + " or sz");
      }
      if (events.prices[i] < 0 || events.sizes[i] < 0) {
        throw new MessageException(what + " with a negative price or size");
      }
      if (!"buy".equals(events.sides[i]) && !"sell".equals(events.sides[i])) {
        throw new MessageException(
            what + " with side " + events.sides[i] + " (expected buy or sell)");
      }
      if (events.times[i] <= 0) {
        throw new MessageException(what + " without a valid ts");
      }
      ContractSize size = sizes.of(events.instIds[i]);
      if (size == null) {
        throw new MessageException(
            what + " of " + events.instIds[i] + ", whose ctVal is not known (not listed)");
      }
      events.sizes[i] = size.apply(events.sizes[i]);
    }
  }
}
