package dev.lake.exchanges.kraken;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the parts of a Kraken connector share: settings, transport, REST client, ledger, and on spot
 * the REST name of each v2 symbol (from AssetPairs).
 */
final class KrakenMarket {
  final MarketType market;
  final boolean futures;
  final ConnectorContext context;
  final Transport transport;
  final MarketLedger ledger;
  final RestClient rest;

  /** Spot: v2 symbol to the pair name REST takes ({@code BTC/USD} to {@code XXBTZUSD}). */
  final Map<String, String> restNames = new ConcurrentHashMap<>();

  KrakenMarket(MarketSettings settings, ConnectorContext context) {
    this.market = settings.market();
    this.futures = market == MarketType.FUTURE;
    this.context = context;
    this.transport = context.transport();
    this.ledger = new MarketLedger(KrakenVenue.NAME, market, transport.clock(), context.sink());
    this.rest =
        new RestClient(
            transport,
            name(),
            futures ? KrakenRest.futuresRules() : KrakenRest.spotRules(),
            context.weightShare(),
            ledger::rateLimited);
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

  KrakenStreams streams(URI url, String feed, int depth) {
    return new KrakenStreams(
        url,
        context.streamsPerConnection(),
        WebSocketSession.Options.defaults(name() + " " + feed),
        futures,
        depth);
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
