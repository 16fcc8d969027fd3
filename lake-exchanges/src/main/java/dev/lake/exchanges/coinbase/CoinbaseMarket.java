package dev.lake.exchanges.coinbase;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.MarketLedger;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.stream.MessageFrames;
import dev.lake.exchanges.stream.StreamCounters;
import dev.lake.exchanges.stream.StreamProtocol;
import dev.lake.exchanges.transport.RestClient;
import dev.lake.exchanges.transport.Transport;
import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** What the parts of a Coinbase connector share: settings, transport, REST client, ledger. */
final class CoinbaseMarket {
  /**
   * Coinbase closes no connection for its age, and its sequence is per connection, so lake never
   * renews one with an overlap (two connections would feed one book twice without ids to tell).
   */
  private static final Duration NO_RENEWAL = Duration.ofDays(3650);

  final MarketType market;
  final ConnectorContext context;
  final Transport transport;
  final MarketLedger ledger;
  final RestClient rest;

  /** Signs INTX subscriptions; null on spot. */
  final IntxSigner signer;

  CoinbaseMarket(MarketSettings settings, ConnectorContext context) {
    this.market = settings.market();
    this.context = context;
    this.transport = context.transport();
    this.ledger = new MarketLedger(CoinbaseVenue.NAME, market, transport.clock(), context.sink());
    this.signer =
        market == MarketType.FUTURE && settings.credentials() != null
            ? new IntxSigner(settings.credentials())
            : null;
    this.rest =
        new RestClient(
            transport, name(), CoinbaseRest.rules(), context.weightShare(), ledger::rateLimited);
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

  /**
   * The stream protocol of a feed's connections: Advanced Trade's channel on spot, INTX's signed
   * channels on future.
   */
  StreamProtocol streams(URI url, String spotChannel, List<String> intxChannels) {
    WebSocketSession.Options options =
        WebSocketSession.Options.defaults(name() + " " + spotChannel)
            .withMaxLifetime(NO_RENEWAL, Duration.ofSeconds(10));
    if (market == MarketType.SPOT) {
      return new CoinbaseStreams(url, spotChannel, context.streamsPerConnection(), options);
    }
    if (signer == null) {
      throw new IllegalStateException(
          "Cannot subscribe to INTX: no credentials (set source.coinbase.future.credentials)");
    }
    return new IntxStreams(
        url, intxChannels, signer, transport.clock(), context.streamsPerConnection(), options);
  }

  /** How this market's frames are parsed. */
  MessageFrames.Parser<CoinbaseMessages.WsMessage> parser() {
    return market == MarketType.SPOT ? CoinbaseMessages::parse : IntxMessages::parse;
  }
}
