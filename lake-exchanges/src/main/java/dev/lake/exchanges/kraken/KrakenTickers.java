package dev.lake.exchanges.kraken;

import dev.lake.core.model.FundingRate;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.OpenInterest;
import dev.lake.exchanges.stream.EventFeed;
import dev.lake.exchanges.stream.Frame;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Open interest and funding from the Kraken Futures {@code ticker} feed, as one {@link EventFeed}:
 * each ticker that carries {@code openInterest} is an {@code open_interest} row (Kraken's unit: USD
 * contracts for {@code PI_}, the base coin for {@code PF_}), and each that carries {@code
 * relative_funding_rate} a {@code funding_rate} row with {@code funding_rate} = {@code
 * relative_funding_rate} (the fraction of position value; Kraken's {@code funding_rate} is an
 * absolute amount per contract) and {@code funding_time} = {@code next_funding_rate_time}. Dated
 * futures carry no funding fields. Tickers have no ids: none is a repeat or a gap.
 */
final class KrakenTickers {
  static final String CHANNEL = "ticker";

  private KrakenTickers() {}

  static List<String> topics(Collection<String> symbols) {
    return symbols.stream().map(symbol -> KrakenStreams.topic(CHANNEL, symbol)).toList();
  }

  /**
   * @param openInterest the symbols whose open interest is stored
   * @param funding the symbols whose funding is stored
   */
  static EventFeed feed(
      KrakenMarket market, URI url, Set<String> openInterest, Set<String> funding, String table) {
    return new EventFeed(
        market.transport(),
        market.streams(url, CHANNEL, 0),
        market.events(table),
        market.context().sink(),
        market.counters(),
        () -> {
          KrakenFrames frames =
              new KrakenFrames(
                  market,
                  KrakenMessages.Kind.TICKER,
                  (message, frame, rows) ->
                      add(market, openInterest, funding, message, frame, rows));
          return frames::read;
        },
        null);
  }

  private static void add(
      KrakenMarket market,
      Set<String> openInterest,
      Set<String> funding,
      KrakenMessages.WsMessage ticker,
      Frame frame,
      List<LakeRow> rows) {
    String symbol = ticker.symbol;
    if (!Double.isNaN(ticker.openInterest) && openInterest.contains(symbol)) {
      rows.add(
          new OpenInterest(
              KrakenVenue.NAME,
              market.market(),
              symbol,
              ticker.openInterest,
              ticker.timeMs,
              frame.receivedMicros()));
    }
    if (!Double.isNaN(ticker.relativeFundingRate)
        && ticker.nextFundingTimeMs >= 0
        && funding.contains(symbol)) {
      rows.add(
          new FundingRate(
              KrakenVenue.NAME,
              market.market(),
              symbol,
              ticker.relativeFundingRate,
              ticker.nextFundingTimeMs,
              ticker.timeMs,
              frame.receivedMicros()));
    }
  }
}
