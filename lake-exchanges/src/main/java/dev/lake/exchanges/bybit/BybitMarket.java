package dev.lake.exchanges.bybit;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.MarketLedger;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.Outlet;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.stream.StreamCounters;
import dev.lake.exchanges.transport.RestClient;
import dev.lake.exchanges.transport.Transport;
import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;

/** What the parts of a Bybit connector share: settings, transport, REST client, ledger. */
final class BybitMarket {
  final MarketSettings settings;
  final MarketType market;
  final ConnectorContext context;
  final Transport transport;
  final MarketLedger ledger;
  final RestClient rest;
  final Outlet polls;

  BybitMarket(MarketSettings settings, ConnectorContext context) {
    this.settings = settings;
    this.market = settings.market();
    this.context = context;
    this.transport = context.transport();
    this.ledger = new MarketLedger(BybitVenue.NAME, market, transport.clock(), context.sink());
    this.polls = ledger.outlet();
    this.rest =
        new RestClient(
            transport, name(), BybitRest.rules(), context.weightShare(), ledger::rateLimited);
  }

  String name() {
    return ledger.name();
  }

  StreamEvents events(String table) {
    return ledger.events(table);
  }

  StreamCounters counters() {
    return new StreamCounters(ledger.messages(), ledger.rejected());
  }

  /** The stream protocol of a feed's connections. */
  BybitStreams streams(URI url, String feed) {
    return new BybitStreams(
        url,
        context.streamsPerConnection(),
        WebSocketSession.Options.defaults(name() + " " + feed));
  }
}
