package dev.lake.exchanges.kucoin;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.ContractSize;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.VenueMarket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the parts of a KuCoin connector share: settings, transport, REST client, ledger, and the
 * futures contracts' multipliers (futures sizes are in contracts).
 */
final class KucoinMarket extends VenueMarket {
  private final Map<String, ContractSize> multipliers = new ConcurrentHashMap<>();

  KucoinMarket(MarketSettings settings, ConnectorContext context) {
    super(KucoinVenue.NAME, settings, context, KucoinRest.rules(signer(settings)));
  }

  /** A signer where spot has credentials, else null. */
  private static KucoinSigner signer(MarketSettings settings) {
    return settings.market() == MarketType.SPOT && settings.credentials() != null
        ? new KucoinSigner(settings.credentials())
        : null;
  }

  /** Whether spot books are seeded from the signed full-depth book. */
  boolean signsBookSeeds() {
    return market() == MarketType.SPOT && settings().credentials() != null;
  }

  /** The size of one contract of a futures symbol (1 on spot), or null when not listed yet. */
  ContractSize multiplier(String symbol) {
    return market() == MarketType.SPOT ? ContractSize.ONE : multipliers.get(symbol);
  }

  void multipliers(Map<String, Double> values) {
    values.forEach((symbol, value) -> multipliers.put(symbol, ContractSize.ofMagnitude(value)));
  }

  /**
   * A stream protocol for a feed whose {@code url} is the market's {@code bullet-public} endpoint.
   */
  KucoinStreams streams(URI bulletUrl, String feed) {
    return new KucoinStreams(
        bulletUrl,
        rest(),
        context().streamsPerConnection(),
        market() == MarketType.SPOT ? 100 : 1,
        sessionOptions(feed));
  }
}
