package dev.lake.exchanges.bybit;

import dev.lake.core.model.Liquidation;
import dev.lake.core.model.TradeSide;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.stream.EventFeed;
import dev.lake.exchanges.stream.MessageFrames;
import java.util.List;

/**
 * Linear liquidations from {@code allLiquidation.{symbol}} (pushed every 500 ms, {@code data} an
 * array), as an {@link EventFeed}. Bybit's {@code S} is the side of the liquidated position, so
 * {@code Buy} (a long was liquidated) is stored as the liquidation order's side {@code sell}, and
 * {@code Sell} as {@code buy} (design.md section 11). Liquidations carry no id: the same symbol,
 * time, side, price and size seen twice (on both connections while one is renewed) is written once.
 */
final class BybitLiquidations {
  private BybitLiquidations() {}

  static List<String> topics(List<String> symbols) {
    return symbols.stream().map(s -> "allLiquidation." + s).toList();
  }

  static EventFeed feed(BybitMarket market, FeedSettings feed) {
    return new EventFeed(
        market.transport(),
        market.streams(feed.url(), "liquidations"),
        market.events(Liquidation.TABLE),
        market.context().sink(),
        market.counters(),
        () -> parser(market),
        EventFeed::liquidationIdentity);
  }

  private static EventFeed.Parser parser(BybitMarket market) {
    MessageFrames<BybitMessages.WsMessage> frames =
        BybitFrames.reader(
            market.name(),
            BybitMessages.Kind.LIQUIDATIONS,
            (message, frame, rows) -> {
              BybitMessages.Events events = message.events;
              for (int i = 0; i < events.count; i++) {
                rows.add(
                    new Liquidation(
                        BybitVenue.NAME,
                        market.market(),
                        events.symbols[i],
                        events.buys[i] ? TradeSide.SELL : TradeSide.BUY,
                        events.prices[i],
                        events.sizes[i],
                        events.times[i],
                        frame.receivedMicros()));
              }
            },
            message -> null);
    return frames::read;
  }
}
