package dev.lake.exchanges.bybit;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.stream.EventFeed;
import dev.lake.exchanges.stream.MessageFrames;
import java.util.List;

/**
 * Trades from {@code publicTrade.{symbol}} (spot and linear), as an {@link EventFeed}. {@code S} is
 * the taker's side; {@code i} is the trade id, kept as text. Bybit's ids are not contiguous (linear
 * ids are UUIDs), so a missed trade cannot be told from the ids; a trade whose id was seen recently
 * (on both connections while one is renewed, or sent twice) is written once.
 */
final class BybitTrades {
  private BybitTrades() {}

  static List<String> topics(List<String> symbols) {
    return symbols.stream().map(s -> "publicTrade." + s).toList();
  }

  static EventFeed feed(BybitMarket market, FeedSettings feed) {
    return new EventFeed(
        market.transport(),
        market.streams(feed.url(), "trades"),
        market.events(Trade.TABLE),
        market.context().sink(),
        market.counters(),
        () -> parser(market),
        BybitTrades::identity);
  }

  private static EventFeed.Parser parser(BybitMarket market) {
    MessageFrames<BybitMessages.WsMessage> frames =
        BybitFrames.reader(
            market.name(),
            BybitMessages.Kind.TRADES,
            (message, frame, rows) -> {
              BybitMessages.Events events = message.events;
              for (int i = 0; i < events.count; i++) {
                rows.add(
                    new Trade(
                        BybitVenue.NAME,
                        market.market(),
                        events.symbols[i],
                        events.ids[i],
                        events.buys[i] ? TradeSide.BUY : TradeSide.SELL,
                        events.prices[i],
                        events.sizes[i],
                        events.times[i] * 1000,
                        frame.receivedMicros()));
              }
            },
            message -> null);
    return frames::read;
  }

  private static Object identity(LakeRow row) {
    return ((Trade) row).symbol() + '|' + ((Trade) row).tradeId();
  }
}
