package dev.lake.exchanges.okx;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.VenueMarket;
import java.net.URI;

/** An OKX market's shared parts, with its instruments' contract sizes (ctVal). */
final class OkxMarket extends VenueMarket {
  final OkxContractSizes sizes;

  OkxMarket(MarketSettings settings, OkxContractSizes sizes, ConnectorContext context) {
    super(OkxVenue.NAME, settings, context, OkxRest.rules());
    this.sizes = sizes;
  }

  OkxMarket(MarketSettings settings, ConnectorContext context) {
    this(settings, new OkxContractSizes(settings.market() == MarketType.SPOT), context);
  }

  OkxStreams streams(URI url, String feed) {
    return new OkxStreams(url, context().streamsPerConnection(), sessionOptions(feed));
  }
}
