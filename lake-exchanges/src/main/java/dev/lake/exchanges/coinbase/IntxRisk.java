package dev.lake.exchanges.coinbase;

import dev.lake.core.model.FundingRate;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.OpenInterest;
import dev.lake.exchanges.stream.EventFeed;
import dev.lake.exchanges.stream.Frame;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Open interest and funding of INTX perpetuals from the signed {@code RISK} and {@code FUNDING}
 * channels, as one {@link EventFeed}. {@code RISK} gives {@code open_interest} in the base asset; a
 * RISK message without it (some snapshots) makes no row. {@code FUNDING} sends the predicted rate
 * for the coming hour ({@code is_final: false}) and, at each hourly settlement, the settled rate
 * ({@code is_final: true}): lake stores the settled rates only, with {@code funding_time} = the
 * message's {@code time} (the settlement); predicted rates are counted as messages and not stored.
 * A row seen on two connections is written once (the feed's identity window).
 */
final class IntxRisk {
  private IntxRisk() {}

  /**
   * @param openInterest the products whose open interest is collected (shared, grows)
   * @param funding the products whose funding is collected (shared, grows)
   */
  static EventFeed feed(
      CoinbaseMarket market, URI url, Set<String> openInterest, Set<String> funding) {
    List<String> channels = new ArrayList<>();
    EnumSet<CoinbaseMessages.Channel> read = EnumSet.noneOf(CoinbaseMessages.Channel.class);
    if (openInterest != null) {
      channels.add("RISK");
      read.add(CoinbaseMessages.Channel.RISK);
    }
    if (funding != null) {
      channels.add("FUNDING");
      read.add(CoinbaseMessages.Channel.FUNDING);
    }
    return new EventFeed(
        market.transport(),
        market.streams(url, "risk", channels),
        market.events(funding != null ? FundingRate.TABLE : OpenInterest.TABLE),
        market.context().sink(),
        market.counters(),
        () -> {
          CoinbaseFrames frames =
              new CoinbaseFrames(
                  market.name(),
                  market.parser(),
                  read,
                  (message, frame, rows) ->
                      onMessage(market, message, frame, rows, openInterest, funding));
          return frames::read;
        },
        row -> row);
  }

  private static void onMessage(
      CoinbaseMarket market,
      CoinbaseMessages.WsMessage message,
      Frame frame,
      List<LakeRow> rows,
      Set<String> openInterest,
      Set<String> funding) {
    long millis = message.timestampMicros / 1000;
    if (message.channel == CoinbaseMessages.Channel.RISK) {
      if (openInterest.contains(message.product) && !Double.isNaN(message.openInterest)) {
        rows.add(
            new OpenInterest(
                CoinbaseVenue.NAME,
                market.market(),
                message.product,
                message.openInterest,
                millis,
                frame.receivedMicros()));
      }
    } else if (funding.contains(message.product) && message.isFinal) {
      rows.add(
          new FundingRate(
              CoinbaseVenue.NAME,
              market.market(),
              message.product,
              message.fundingRate,
              millis,
              millis,
              frame.receivedMicros()));
    }
  }
}
