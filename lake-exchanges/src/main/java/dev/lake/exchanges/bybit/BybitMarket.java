package dev.lake.exchanges.bybit;

import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.VenueMarket;
import java.net.URI;

/** A Bybit market's shared parts, and the stream protocol of its feeds' connections. */
final class BybitMarket extends VenueMarket {
  BybitMarket(MarketSettings settings, ConnectorContext context) {
    super(BybitVenue.NAME, settings, context, BybitRest.rules());
  }

  /** The stream protocol of a feed's connections. */
  BybitStreams streams(URI url, String feed) {
    return new BybitStreams(url, context().streamsPerConnection(), sessionOptions(feed));
  }
}
