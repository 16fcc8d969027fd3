package dev.lake.exchanges.okx;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Liquidation;
import dev.lake.core.model.TradeSide;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.stream.EventFeed;
import dev.lake.exchanges.stream.Frame;
import java.util.List;
import java.util.Set;

/**
 * Liquidations from {@code liquidation-orders}, which OKX publishes per instType (SWAP, FUTURES),
 * not per instrument, as an {@link EventFeed}: each {@code details} entry is one row, kept for the
 * configured symbols (or all); {@code side} is the liquidation order's side, {@code price} its
 * bankruptcy price {@code bkPx}, the size converted from contracts. OKX pushes at most one order
 * per instrument family a second: a sample. Orders carry no id, so the same symbol, time, side,
 * price and size seen twice (on both connections while one is renewed) is written once.
 */
final class OkxLiquidations {
  private OkxLiquidations() {}

  static EventFeed feed(OkxMarket market, FeedSettings feed, Set<String> symbols) {
    return new EventFeed(
        market.transport(),
        market.streams(feed.url(), "liquidations"),
        market.events(Liquidation.TABLE),
        market.context().sink(),
        market.counters(),
        () -> parser(market, symbols),
        EventFeed::liquidationIdentity);
  }

  /** The topic of an instType's liquidations. */
  static String topic(String instType) {
    return OkxStreams.topic(OkxStreams.LIQUIDATIONS, instType);
  }

  /**
   * @param symbols the symbols kept, or null for all
   */
  private static EventFeed.Parser parser(OkxMarket market, Set<String> symbols) {
    OkxFrames frames =
        new OkxFrames(
            market.name(),
            OkxMessages.Kind.LIQUIDATIONS,
            market.sizes,
            (message, frame, rows) -> add(market, symbols, message.liquidations, frame, rows));
    return frames::read;
  }

  private static void add(
      OkxMarket market,
      Set<String> symbols,
      OkxMessages.Events orders,
      Frame frame,
      List<LakeRow> rows) {
    for (int i = 0; i < orders.count; i++) {
      if (symbols != null && !symbols.contains(orders.instIds[i])) {
        continue;
      }
      rows.add(
          new Liquidation(
              OkxVenue.NAME,
              market.market(),
              orders.instIds[i],
              "buy".equals(orders.sides[i]) ? TradeSide.BUY : TradeSide.SELL,
              orders.prices[i],
              orders.sizes[i],
              orders.times[i],
              frame.receivedMicros()));
    }
  }
}
