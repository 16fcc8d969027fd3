package dev.lake.exchanges.binance;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.stream.EventFeed;
import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.TradeIds;
import dev.lake.exchanges.transport.WebSocketSession;
import java.util.List;
import java.util.Locale;

/**
 * Trades from {@code <symbol>@trade} streams (spot {@code /ws}; USD-M on the {@code /public}
 * route), as an {@link EventFeed}. {@code @trade}, not {@code @aggTrade}: an aggregate trade merges
 * the fills of one taker order and carries aggregate ids, while {@code @trade} has every fill with
 * its own trade id {@code t}, contiguous per symbol, so that a missed trade shows. A break in the
 * ids is a {@code gap} row (from the last id + 1 to the new id - 1); an id not past the last one on
 * the same connection is a {@code rejected_message} row and is not stored again; on another
 * connection it is the overlap of a renewal and is dropped quietly. {@code side} is the taker's:
 * {@code m} (the buyer is the maker) means the taker sold.
 */
final class BinanceTrades {
  private BinanceTrades() {}

  static List<String> streams(List<String> symbols) {
    return symbols.stream().map(s -> s.toLowerCase(Locale.ROOT) + "@trade").toList();
  }

  static EventFeed feed(BinanceMarket market, FeedSettings feed) {
    BinanceStreams protocol =
        new BinanceStreams(
            feed.url(),
            market.context().streamsPerConnection(),
            WebSocketSession.Options.defaults(market.name() + " trades"));
    StreamEvents events = market.events(Trade.TABLE);
    return new EventFeed(
        market.transport(),
        protocol,
        events,
        market.context().sink(),
        market.counters(),
        () -> new Reader(market, events)::read,
        null);
  }

  /** The trades of one connection share: their ids per symbol. */
  private static final class Reader {
    private final BinanceMarket market;
    private final StreamEvents events;
    private final TradeIds ids = new TradeIds();
    private final BinanceFrames frames;

    Reader(BinanceMarket market, StreamEvents events) {
      this.market = market;
      this.events = events;
      this.frames =
          new BinanceFrames(market.name(), BinanceMessages.Kind.TRADE, this::onTrade, m -> null);
    }

    void read(Frame frame, List<LakeRow> rows) {
      frames.read(frame, rows);
    }

    private void onTrade(BinanceMessages.WsMessage message, Frame frame, List<LakeRow> rows) {
      String symbol = message.depth.symbol;
      BinanceMessages.TradeFields trade = message.trade;
      long timeMicros = trade.tradeTime * 1000;
      switch (ids.check(symbol, trade.id, frame.connectionId())) {
        case OVERLAP -> {
          return;
        }
        case DUPLICATE -> {
          frame.reject(
              symbol,
              "duplicate trade t=" + trade.id + " (last stored t=" + ids.lastId() + ")",
              rows);
          return;
        }
        case GAP ->
            rows.add(
                events.event(
                    StreamEventType.GAP,
                    symbol,
                    "trade ids t="
                        + (ids.lastId() + 1)
                        + ".."
                        + (trade.id - 1)
                        + " were not received",
                    ids.lastId() + 1,
                    trade.id - 1,
                    timeMicros,
                    frame.receivedMicros()));
        case NEXT -> {}
      }
      rows.add(
          new Trade(
              BinanceVenue.NAME,
              market.market(),
              symbol,
              Long.toString(trade.id),
              trade.buyerIsMaker ? TradeSide.SELL : TradeSide.BUY,
              trade.price,
              trade.quantity,
              timeMicros,
              frame.receivedMicros()));
    }
  }
}
