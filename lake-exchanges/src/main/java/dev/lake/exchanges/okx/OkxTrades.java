package dev.lake.exchanges.okx;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.stream.EventFeed;
import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.TradeIds;
import java.util.List;

/**
 * Trades from the {@code trades} channel, as an {@link EventFeed}: one row per push entry, {@code
 * trade_id} = {@code tradeId}, {@code side} = OKX's {@code side} (the taker's), sizes of
 * derivatives converted from contracts. OKX does not document its trade ids as contiguous (a push
 * may aggregate fills, with {@code count}), so a jump in ids is no gap; an id not past the last on
 * the same connection is a {@code rejected_message} row, and on another connection the overlap of a
 * renewal, dropped quietly.
 */
final class OkxTrades {
  private OkxTrades() {}

  static List<String> topics(List<String> symbols) {
    return symbols.stream().map(symbol -> OkxStreams.topic("trades", symbol)).toList();
  }

  static EventFeed feed(OkxMarket market, FeedSettings feed) {
    return new EventFeed(
        market.transport(),
        market.streams(feed.url(), "trades"),
        market.events(Trade.TABLE),
        market.context().sink(),
        market.counters(),
        () -> new Reader(market)::read,
        null);
  }

  /** The trades of one connection share: their ids per symbol. */
  private static final class Reader {
    private final OkxMarket market;
    private final TradeIds ids = new TradeIds();
    private final OkxFrames frames;

    Reader(OkxMarket market) {
      this.market = market;
      this.frames =
          new OkxFrames(market.name(), OkxMessages.Kind.TRADES, market.sizes, this::onTrades);
    }

    void read(Frame frame, List<LakeRow> rows) {
      frames.read(frame, rows);
    }

    private void onTrades(OkxMessages.WsMessage message, Frame frame, List<LakeRow> rows) {
      OkxMessages.Events trades = message.trades;
      for (int i = 0; i < trades.count; i++) {
        String symbol = trades.instIds[i];
        long id;
        try {
          id = Long.parseLong(trades.ids[i]);
        } catch (NumberFormatException e) {
          frame.reject(symbol, "trade with tradeId " + trades.ids[i] + " (expected digits)", rows);
          continue;
        }
        TradeIds.Verdict verdict = ids.check(symbol, id, frame.connectionId());
        if (verdict == TradeIds.Verdict.OVERLAP) {
          continue;
        }
        if (verdict == TradeIds.Verdict.DUPLICATE) {
          frame.reject(
              symbol,
              "duplicate trade tradeId=" + id + " (last stored " + ids.lastId() + ")",
              rows);
          continue;
        }
        rows.add(
            new Trade(
                OkxVenue.NAME,
                market.market(),
                symbol,
                trades.ids[i],
                "buy".equals(trades.sides[i]) ? TradeSide.BUY : TradeSide.SELL,
                trades.prices[i],
                trades.sizes[i],
                trades.times[i] * 1000,
                frame.receivedMicros()));
      }
    }
  }
}
