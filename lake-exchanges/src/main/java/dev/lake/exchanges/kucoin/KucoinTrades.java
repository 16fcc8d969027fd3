package dev.lake.exchanges.kucoin;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import dev.lake.exchanges.ContractSize;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.stream.EventFeed;
import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.MessageFrames;
import dev.lake.exchanges.stream.TradeIds;
import java.util.List;

/**
 * Trades from spot {@code /market/match:{symbol}} and futures {@code
 * /contractMarket/execution:{symbol}}, as an {@link EventFeed}: one row per message, {@code
 * trade_id} = {@code tradeId}, {@code side} = KuCoin's {@code side} (the taker's), time from the
 * nanosecond {@code time} (spot) or {@code ts} (futures), futures sizes converted from contracts.
 * The per-symbol {@code sequence} orders them: one not past the last on the same connection is a
 * {@code rejected_message} row, on another connection the overlap of a renewal, dropped quietly.
 */
final class KucoinTrades {
  private KucoinTrades() {}

  static List<String> topics(MarketType market, List<String> symbols) {
    String channel = market == MarketType.SPOT ? "/market/match:" : "/contractMarket/execution:";
    return symbols.stream().map(symbol -> channel + symbol).toList();
  }

  static EventFeed feed(KucoinMarket market, FeedSettings feed) {
    return new EventFeed(
        market.transport(),
        market.streams(feed.url(), "trades"),
        market.events(Trade.TABLE),
        market.context().sink(),
        market.counters(),
        () -> new Reader(market)::read,
        null);
  }

  /** The trades of one connection share: their sequences per symbol. */
  private static final class Reader {
    private final KucoinMarket market;
    private final TradeIds ids = new TradeIds();
    private final MessageFrames<KucoinMessages.WsMessage> frames;

    Reader(KucoinMarket market) {
      this.market = market;
      this.frames = KucoinFrames.reader(market.name(), KucoinMessages.Kind.TRADE, this::onTrade);
    }

    void read(Frame frame, List<LakeRow> rows) {
      frames.read(frame, rows);
    }

    private void onTrade(KucoinMessages.WsMessage message, Frame frame, List<LakeRow> rows) {
      String symbol = message.symbol;
      ContractSize multiplier = market.multiplier(symbol);
      if (multiplier == null) {
        frame.reject(symbol, "no multiplier known (not listed)", rows);
        return;
      }
      TradeIds.Verdict verdict = ids.check(symbol, message.sequence, frame.connectionId());
      if (verdict == TradeIds.Verdict.OVERLAP) {
        return;
      }
      if (verdict == TradeIds.Verdict.DUPLICATE) {
        frame.reject(
            symbol,
            "duplicate trade sequence=" + message.sequence + " (last stored " + ids.lastId() + ")",
            rows);
        return;
      }
      rows.add(
          new Trade(
              KucoinVenue.NAME,
              market.market(),
              symbol,
              message.tradeId,
              "buy".equals(message.side) ? TradeSide.BUY : TradeSide.SELL,
              message.price,
              multiplier.apply(message.size),
              message.timestamp,
              frame.receivedMicros()));
    }
  }
}
