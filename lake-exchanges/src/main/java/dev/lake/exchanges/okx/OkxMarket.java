package dev.lake.exchanges.okx;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.MarketLedger;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.stream.StreamCounters;
import dev.lake.exchanges.transport.RestClient;
import dev.lake.exchanges.transport.Transport;
import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;

/** What the parts of an OKX connector share: settings, transport, REST client, ledger, ctVal. */
final class OkxMarket {
  final MarketType market;
  final ConnectorContext context;
  final Transport transport;
  final MarketLedger ledger;
  final RestClient rest;
  final ContractSizes sizes;

  OkxMarket(MarketSettings settings, ContractSizes sizes, ConnectorContext context) {
    this.market = settings.market();
    this.context = context;
    this.transport = context.transport();
    this.sizes = sizes;
    this.ledger = new MarketLedger(OkxVenue.NAME, market, transport.clock(), context.sink());
    this.rest =
        new RestClient(
            transport, name(), OkxRest.rules(), context.weightShare(), ledger::rateLimited);
  }

  OkxMarket(MarketSettings settings, ConnectorContext context) {
    this(settings, new ContractSizes(settings.market() == MarketType.SPOT), context);
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

  OkxStreams streams(URI url, String feed) {
    return new OkxStreams(
        url,
        context.streamsPerConnection(),
        WebSocketSession.Options.defaults(name() + " " + feed));
  }
}
