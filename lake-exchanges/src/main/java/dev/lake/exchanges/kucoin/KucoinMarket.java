package dev.lake.exchanges.kucoin;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.VenueMarket;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the parts of a KuCoin connector share: settings, transport, REST client, ledger, and the
 * futures contracts' multipliers (futures sizes are in contracts).
 */
final class KucoinMarket extends VenueMarket {
  private final Map<String, Multiplier> multipliers = new ConcurrentHashMap<>();

  /** A contract's size as {@code unscaled / divisor}, so whole contract counts convert exactly. */
  record Multiplier(double unscaled, double divisor) {
    static final Multiplier ONE = new Multiplier(1, 1);

    static Multiplier of(double value) {
      BigDecimal exact = BigDecimal.valueOf(Math.abs(value)).stripTrailingZeros();
      return exact.scale() <= 0
          ? new Multiplier(exact.doubleValue(), 1)
          : new Multiplier(exact.unscaledValue().doubleValue(), Math.pow(10, exact.scale()));
    }

    double apply(double contracts) {
      return contracts * unscaled / divisor;
    }
  }

  KucoinMarket(MarketSettings settings, ConnectorContext context) {
    super(KucoinVenue.NAME, settings, context, KucoinRest.rules());
  }

  /** The size of one contract of a futures symbol (1 on spot), or null when not listed yet. */
  Multiplier multiplier(String symbol) {
    return market() == MarketType.SPOT ? Multiplier.ONE : multipliers.get(symbol);
  }

  void multipliers(Map<String, Double> values) {
    values.forEach((symbol, value) -> multipliers.put(symbol, Multiplier.of(value)));
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
