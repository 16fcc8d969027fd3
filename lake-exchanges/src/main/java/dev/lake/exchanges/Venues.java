package dev.lake.exchanges;

import dev.lake.exchanges.binance.BinanceVenue;
import dev.lake.exchanges.bybit.BybitVenue;
import dev.lake.exchanges.coinbase.CoinbaseVenue;
import dev.lake.exchanges.kraken.KrakenVenue;
import dev.lake.exchanges.kucoin.KucoinVenue;
import dev.lake.exchanges.okx.OkxVenue;
import java.util.List;

/** The venues lake has connectors for. */
public final class Venues {
  private static final List<Venue> ALL =
      List.of(
          new BinanceVenue(),
          new BybitVenue(),
          new OkxVenue(),
          new KucoinVenue(),
          new CoinbaseVenue(),
          new KrakenVenue());

  private Venues() {}

  public static List<Venue> all() {
    return ALL;
  }

  public static List<String> names() {
    return ALL.stream().map(Venue::name).toList();
  }

  /** The venue of a name, or null. */
  public static Venue byName(String name) {
    for (Venue venue : ALL) {
      if (venue.name().equals(name)) {
        return venue;
      }
    }
    return null;
  }
}
