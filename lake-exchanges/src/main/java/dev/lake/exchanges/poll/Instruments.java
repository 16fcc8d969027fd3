package dev.lake.exchanges.poll;

import dev.lake.core.model.Contract;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.SymbolSelection;
import java.net.URI;
import java.util.Collection;
import java.util.List;

/**
 * What a venue's instruments endpoint lists: the tradable instruments ({@code symbols: all} is
 * resolved from them with {@link SymbolSelection#resolve}) and their {@code contracts} rows.
 */
public record Instruments(List<SymbolSelection.Instrument> instruments, List<Contract> contracts) {
  public Instruments {
    instruments = List.copyOf(instruments);
    contracts = List.copyOf(contracts);
  }

  /**
   * The instruments endpoint beside the REST endpoints a market is configured with, so that a test
   * server, a mirror or a testnet configured for its feeds also serves its instruments: the first
   * HTTP(S) URL among the feeds (a delta feed's snapshot URL) resolved against {@code reference}
   * (relative, e.g. {@code exchangeInfo}, or a path, e.g. {@code /v5/market/instruments-info}).
   *
   * @return that URL, or {@code venueDefault} when no feed has an HTTP(S) URL
   */
  public static URI endpointBeside(
      Collection<FeedSettings> feeds, String reference, URI venueDefault) {
    for (FeedSettings feed : feeds) {
      URI rest = feed.type() == DataType.ORDERBOOK_DELTA ? feed.snapshotUrl() : feed.url();
      if (rest != null && rest.getScheme().startsWith("http")) {
        return rest.resolve(reference);
      }
    }
    return venueDefault;
  }
}
