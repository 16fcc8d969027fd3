package dev.lake.exchanges.binance;

import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.VenueMarket;
import dev.lake.exchanges.transport.QueryString;
import dev.lake.exchanges.transport.RestClient;
import dev.lake.exchanges.transport.RestRequest;
import java.net.URI;

/** A Binance market's shared parts; rate limits of book seeds are labelled with their table. */
final class BinanceMarket extends VenueMarket {
  BinanceMarket(MarketSettings settings, ConnectorContext context) {
    super(
        BinanceVenue.NAME,
        settings,
        context,
        BinanceRest.rules(settings.market()),
        BinanceMarket::labelled);
  }

  /** A book's sync snapshot is asked for without naming its table: it is the depth endpoint's. */
  private static RestClient.RateLimit labelled(RestClient.RateLimit limit) {
    RestRequest request = limit.request();
    if (request.table() != null) {
      return limit;
    }
    URI uri = request.uri();
    String table = uri.getPath().endsWith("/depth") ? "orderbook_snapshot" : "all";
    return new RestClient.RateLimit(
        request.about(table, QueryString.parameter(uri, "symbol")),
        limit.status(),
        limit.reason(),
        limit.pauseMillis());
  }
}
