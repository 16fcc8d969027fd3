package dev.lake.exchanges.binance;

import dev.lake.core.model.Liquidation;
import dev.lake.core.model.TradeSide;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.stream.EventFeed;
import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.transport.WebSocketSession;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * USD-M liquidations from {@code <symbol>@forceOrder} streams ({@code !forceOrder@arr} for all
 * symbols) on the {@code /market} route, as an {@link EventFeed}. Binance pushes at most the latest
 * liquidation per symbol per second: a sample, not a complete feed. Liquidations carry no id, so
 * the same symbol, time, side, price and quantity seen twice (on both connections while one is
 * renewed) is written once.
 */
final class BinanceLiquidations {
  static final String ALL = "!forceOrder@arr";

  private BinanceLiquidations() {}

  /** The feed's stream names: every symbol's, or the one stream of all symbols. */
  static List<String> streams(FeedSettings feed, List<String> symbols) {
    return feed.symbols().all()
        ? List.of(ALL)
        : symbols.stream().map(s -> s.toLowerCase(Locale.ROOT) + "@forceOrder").toList();
  }

  static EventFeed feed(BinanceMarket market, FeedSettings feed) {
    BinanceStreams protocol =
        new BinanceStreams(
            feed.url(),
            market.context().streamsPerConnection(),
            WebSocketSession.Options.defaults(market.name() + " liquidations")
                .withIdleTimeout(Duration.ofMinutes(15)));
    return new EventFeed(
        market.transport(),
        protocol,
        market.events(Liquidation.TABLE),
        market.context().sink(),
        market.counters(),
        () -> parser(market),
        EventFeed::liquidationIdentity);
  }

  private static EventFeed.Parser parser(BinanceMarket market) {
    BinanceFrames frames =
        new BinanceFrames(
            market.name(),
            BinanceMessages.Kind.FORCE_ORDER,
            (message, frame, rows) -> rows.add(liquidation(market, message.forceOrder, frame)),
            message -> null);
    return frames::read;
  }

  private static Liquidation liquidation(
      BinanceMarket market, BinanceMessages.ForceOrder order, Frame frame) {
    return new Liquidation(
        BinanceVenue.NAME,
        market.market(),
        order.symbol,
        "BUY".equals(order.side) ? TradeSide.BUY : TradeSide.SELL,
        order.price,
        order.quantity,
        order.tradeTime,
        frame.receivedMicros());
  }
}
