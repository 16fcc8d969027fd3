package dev.lake.exchanges.kraken;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.VenueMarket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the parts of a Kraken connector share: settings, transport, REST client, ledger, and on spot
 * the REST name of each v2 symbol (from AssetPairs).
 */
final class KrakenMarket extends VenueMarket {
  final boolean futures;

  /** Spot: v2 symbol to the pair name REST takes ({@code BTC/USD} to {@code XXBTZUSD}). */
  final Map<String, String> restNames = new ConcurrentHashMap<>();

  KrakenMarket(MarketSettings settings, ConnectorContext context) {
    super(
        KrakenVenue.NAME,
        settings,
        context,
        settings.market() == MarketType.FUTURE
            ? KrakenRest.futuresRules()
            : KrakenRest.spotRules());
    this.futures = settings.market() == MarketType.FUTURE;
  }

  KrakenStreams streams(URI url, String feed, int depth) {
    return new KrakenStreams(
        url, context().streamsPerConnection(), sessionOptions(feed), futures, depth);
  }

  /** Parses a frame of this market's protocol into a reused message. */
  void parse(byte[] bytes, int length, KrakenMessages.WsMessage into) {
    if (futures) {
      KrakenMessages.parseFutures(bytes, length, into);
    } else {
      KrakenMessages.parseSpot(bytes, length, into);
    }
  }
}
