package dev.lake.exchanges.okx;

import dev.lake.exchanges.ContractSize;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract value ({@code ctVal}) of each OKX SWAP and FUTURES instrument, from the instruments
 * endpoint: OKX gives sizes of derivatives (book levels, trades, liquidations) in contracts, which
 * lake stores as {@code contracts × ctVal}, in {@code ctValCcy} (the base coin of a linear
 * contract, USD of an inverse one). Spot sizes are already in the base coin. Thread-safe.
 */
final class OkxContractSizes {
  /**
   * A contract value as {@code unscaled / 10^scale}, so that whole contract counts convert exactly.
   */
  private final boolean spot;

  private final Map<String, ContractSize> sizes = new ConcurrentHashMap<>();

  OkxContractSizes(boolean spot) {
    this.spot = spot;
  }

  void put(String instId, ContractSize size) {
    sizes.put(instId, size);
  }

  /** The size of one unit of an instrument's sizes, or null for a derivative not listed yet. */
  ContractSize of(String instId) {
    return spot ? ContractSize.ONE : sizes.get(instId);
  }
}
