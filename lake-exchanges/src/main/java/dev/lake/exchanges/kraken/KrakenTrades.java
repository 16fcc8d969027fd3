package dev.lake.exchanges.kraken;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Liquidation;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.stream.EventFeed;
import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.TradeIds;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Trades, and on Kraken Futures liquidations, from the {@code trade} channel or feed, as one {@link
 * EventFeed}. Spot v2: one {@code trades} row per entry, {@code trade_id} = {@code trade_id}, which
 * Kraken numbers one by one per pair, so a jump is a {@code gap} row and a repeat a {@code
 * rejected_message} row. Kraken Futures: a trade of {@code type} {@code liquidation} is a {@code
 * liquidation} row, every other type ({@code fill}, {@code block}, {@code assignment}, {@code
 * termination}) a {@code trades} row with {@code trade_id} = {@code uid}; {@code side} is the
 * taker's in both, which for a liquidation is the liquidation order's. Futures {@code seq} tells a
 * repeat (rejected) and a renewal's overlap (dropped quietly); Kraken does not document it as
 * contiguous, so a jump is no gap. The {@code trade_snapshot} Kraken Futures sends after
 * subscribing (past trades) is not stored.
 */
final class KrakenTrades {
  static final String CHANNEL = "trade";

  private KrakenTrades() {}

  static List<String> topics(Collection<String> symbols) {
    return symbols.stream().map(symbol -> KrakenStreams.topic(CHANNEL, symbol)).toList();
  }

  /**
   * The trade feed of a market.
   *
   * @param trades the symbols whose trades are stored (empty: none)
   * @param liquidations the futures symbols whose liquidations are stored (empty: none)
   * @param table the table rejected frames are recorded for
   */
  static EventFeed feed(
      KrakenMarket market, URI url, Set<String> trades, Set<String> liquidations, String table) {
    StreamEvents events = market.events(table);
    return new EventFeed(
        market.transport(),
        market.streams(url, CHANNEL, 0),
        events,
        market.context().sink(),
        market.counters(),
        () -> new Reader(market, events, trades, liquidations)::read,
        null);
  }

  /** The trades of one connection share: their ids per symbol. */
  private static final class Reader {
    private final KrakenMarket market;
    private final StreamEvents events;
    private final Set<String> trades;
    private final Set<String> liquidations;
    private final TradeIds ids = new TradeIds();
    private final KrakenFrames frames;

    Reader(KrakenMarket market, StreamEvents events, Set<String> trades, Set<String> liquidations) {
      this.market = market;
      this.events = events;
      this.trades = trades;
      this.liquidations = liquidations;
      this.frames = new KrakenFrames(market, KrakenMessages.Kind.TRADES, this::onTrades);
    }

    void read(Frame frame, List<LakeRow> rows) {
      frames.read(frame, rows);
    }

    private void onTrades(KrakenMessages.WsMessage message, Frame frame, List<LakeRow> rows) {
      KrakenMessages.Trades list = message.trades;
      for (int i = 0; i < list.count; i++) {
        if (checked(list, i, frame, rows)) {
          add(list, i, frame, rows);
        }
      }
    }

    /** Whether a trade is new; records a repeat or, on spot, a gap before it. */
    private boolean checked(KrakenMessages.Trades list, int i, Frame frame, List<LakeRow> rows) {
      String symbol = list.symbols[i];
      long number = list.numbers[i];
      if (number == dev.lake.exchanges.book.BookMessage.NONE) {
        return true;
      }
      TradeIds.Verdict verdict = ids.check(symbol, number, frame.connectionId());
      String name = market.futures ? "seq" : "trade_id";
      switch (verdict) {
        case OVERLAP -> {
          return false;
        }
        case DUPLICATE -> {
          frame.reject(
              symbol,
              "duplicate trade " + name + "=" + number + " (last stored " + ids.lastId() + ")",
              rows);
          return false;
        }
        case GAP -> {
          if (!market.futures) {
            rows.add(
                events.event(
                    StreamEventType.GAP,
                    symbol,
                    "trade ids trade_id="
                        + (ids.lastId() + 1)
                        + ".."
                        + (number - 1)
                        + " were not received",
                    ids.lastId() + 1,
                    number - 1,
                    list.timesMicros[i],
                    frame.receivedMicros()));
          }
          return true;
        }
        default -> {
          return true;
        }
      }
    }

    private void add(KrakenMessages.Trades list, int i, Frame frame, List<LakeRow> rows) {
      String symbol = list.symbols[i];
      TradeSide side = "buy".equals(list.sides[i]) ? TradeSide.BUY : TradeSide.SELL;
      boolean liquidation = market.futures && "liquidation".equals(list.types[i]);
      if (liquidation) {
        if (liquidations.contains(symbol)) {
          rows.add(
              new Liquidation(
                  KrakenVenue.NAME,
                  market.market(),
                  symbol,
                  side,
                  list.prices[i],
                  list.sizes[i],
                  list.timesMicros[i] / 1000,
                  frame.receivedMicros()));
        }
      } else if (trades.contains(symbol)) {
        rows.add(
            new Trade(
                KrakenVenue.NAME,
                market.market(),
                symbol,
                list.ids[i],
                side,
                list.prices[i],
                list.sizes[i],
                list.timesMicros[i],
                frame.receivedMicros()));
      }
    }
  }
}
