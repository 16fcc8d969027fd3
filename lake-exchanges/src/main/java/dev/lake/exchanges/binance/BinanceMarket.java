package dev.lake.exchanges.binance;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.MarketLedger;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.Outlet;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.transport.QueryString;
import dev.lake.exchanges.transport.RestClient;
import dev.lake.exchanges.transport.RestRequest;
import dev.lake.exchanges.transport.Transport;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/** What the parts of a Binance connector share: settings, transport, REST client, ledger. */
final class BinanceMarket {
  final MarketSettings settings;
  final MarketType market;
  final ConnectorContext context;
  final Transport transport;
  final MarketLedger ledger;
  final RestClient rest;
  final Outlet polls;
  final AtomicLong messages;
  final AtomicLong rejected;

  BinanceMarket(MarketSettings settings, ConnectorContext context) {
    this.settings = settings;
    this.market = settings.market();
    this.context = context;
    this.transport = context.transport();
    this.ledger = new MarketLedger(BinanceVenue.NAME, market, transport.clock(), context.sink());
    this.polls = ledger.outlet();
    this.messages = ledger.messages();
    this.rejected = ledger.rejected();
    this.rest =
        new RestClient(
            transport,
            name(),
            BinanceRest.rules(market),
            context.weightShare(),
            limit -> ledger.rateLimited(labelled(limit)));
  }

  String name() {
    return ledger.name();
  }

  StreamEvents events(String table) {
    return ledger.events(table);
  }

  long nowMicros() {
    return ledger.nowMicros();
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
