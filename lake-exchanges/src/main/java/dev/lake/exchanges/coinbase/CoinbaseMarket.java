package dev.lake.exchanges.coinbase;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.VenueMarket;
import dev.lake.exchanges.stream.MessageFrames;
import dev.lake.exchanges.stream.StreamProtocol;
import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** What the parts of a Coinbase connector share: settings, transport, REST client, ledger. */
final class CoinbaseMarket extends VenueMarket {
  /**
   * Coinbase closes no connection for its age, and its sequence is per connection, so lake never
   * renews one with an overlap (two connections would feed one book twice without ids to tell).
   */
  private static final Duration NO_RENEWAL = Duration.ofDays(3650);

  /** Signs INTX subscriptions; null on spot. */
  final IntxSigner signer;

  CoinbaseMarket(MarketSettings settings, ConnectorContext context) {
    super(CoinbaseVenue.NAME, settings, context, CoinbaseRest.rules());
    this.signer =
        settings.market() == MarketType.FUTURE && settings.credentials() != null
            ? new IntxSigner(settings.credentials())
            : null;
  }

  /**
   * The stream protocol of a feed's connections: Advanced Trade's channel on spot, INTX's signed
   * channels on future.
   */
  StreamProtocol streams(URI url, String spotChannel, List<String> intxChannels) {
    WebSocketSession.Options options =
        sessionOptions(spotChannel).withMaxLifetime(NO_RENEWAL, Duration.ofSeconds(10));
    if (market() == MarketType.SPOT) {
      return new CoinbaseStreams(url, spotChannel, context().streamsPerConnection(), options);
    }
    if (signer == null) {
      throw new IllegalStateException(
          "Cannot subscribe to INTX: no credentials (set source.coinbase.future.credentials)");
    }
    return new IntxStreams(
        url, intxChannels, signer, transport().clock(), context().streamsPerConnection(), options);
  }

  /** How this market's frames are parsed. */
  MessageFrames.Parser<CoinbaseMessages.WsMessage> parser() {
    return market() == MarketType.SPOT ? CoinbaseMessages::parse : IntxMessages::parse;
  }
}
