package dev.lake.exchanges.coinbase;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.stream.EventFeed;
import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.TradeIds;
import java.util.List;
import java.util.Set;

/**
 * Trades from the {@code market_trades} channel, as an {@link EventFeed}: one row per trade, {@code
 * trade_id} as sent, {@code side} from Coinbase's {@code BUY}/{@code SELL}.
 *
 * <p>Which side that is: the Advanced Trade API reference describes the trade's {@code side} as
 * "Taker side of the trade", while the older Coinbase Exchange docs (and adapters written from
 * them) call their {@code side} the maker's. lake follows the Advanced Trade reference, the API
 * this feed uses, and stores {@code side} unchanged as the taker's.
 *
 * <p>Coinbase does not document its trade ids as contiguous, so a jump is no gap; an id not past
 * the last of its product on the same connection (the recent trades sent again after subscribing)
 * is a {@code rejected_message} row, and on another connection dropped quietly. A message lists its
 * trades newest first; they are read oldest first.
 */
final class CoinbaseTrades {
  private CoinbaseTrades() {}

  static EventFeed feed(CoinbaseMarket market, FeedSettings feed) {
    return new EventFeed(
        market.transport(),
        market.streams(feed.url(), "market_trades", List.of("MATCH")),
        market.events(Trade.TABLE),
        market.context().sink(),
        market.counters(),
        () -> new Reader(market)::read,
        null);
  }

  /** The trades of one connection share: their ids per product. */
  private static final class Reader {
    private final CoinbaseMarket market;
    private final TradeIds ids = new TradeIds();
    private final CoinbaseFrames frames;

    Reader(CoinbaseMarket market) {
      this.market = market;
      this.frames =
          new CoinbaseFrames(
              market.name(),
              market.parser(),
              Set.of(CoinbaseMessages.Channel.MARKET_TRADES),
              this::onTrades);
    }

    void read(Frame frame, List<LakeRow> rows) {
      frames.read(frame, rows);
    }

    private void onTrades(CoinbaseMessages.WsMessage message, Frame frame, List<LakeRow> rows) {
      CoinbaseMessages.Trades trades = message.trades;
      boolean newestFirst =
          trades.count > 1 && trades.timesMicros[0] > trades.timesMicros[trades.count - 1];
      for (int n = 0; n < trades.count; n++) {
        int i = newestFirst ? trades.count - 1 - n : n;
        onTrade(trades, i, frame, rows);
      }
    }

    private void onTrade(CoinbaseMessages.Trades trades, int i, Frame frame, List<LakeRow> rows) {
      String symbol = trades.products[i];
      TradeSide side;
      if ("BUY".equals(trades.sides[i])) {
        side = TradeSide.BUY;
      } else if ("SELL".equals(trades.sides[i])) {
        side = TradeSide.SELL;
      } else {
        frame.reject(symbol, "trade side " + trades.sides[i] + " (expected BUY or SELL)", rows);
        return;
      }
      long id;
      try {
        id = Long.parseLong(trades.ids[i]);
      } catch (NumberFormatException e) {
        frame.reject(symbol, "trade with trade_id " + trades.ids[i] + " (expected digits)", rows);
        return;
      }
      TradeIds.Verdict verdict = ids.check(symbol, id, frame.connectionId());
      if (verdict == TradeIds.Verdict.OVERLAP) {
        return;
      }
      if (verdict == TradeIds.Verdict.DUPLICATE) {
        frame.reject(
            symbol, "duplicate trade trade_id=" + id + " (last stored " + ids.lastId() + ")", rows);
        return;
      }
      rows.add(
          new Trade(
              CoinbaseVenue.NAME,
              market.market(),
              symbol,
              trades.ids[i],
              side,
              trades.prices[i],
              trades.sizes[i],
              trades.timesMicros[i],
              frame.receivedMicros()));
    }
  }
}
