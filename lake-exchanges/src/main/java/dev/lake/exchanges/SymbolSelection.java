package dev.lake.exchanges;

import dev.lake.core.model.MarketType;
import java.util.List;
import java.util.Locale;

/**
 * Which symbols a feed collects: a list, or {@code all} that the venue lists for the market
 * (resolved from its instruments at start and on every contracts poll), narrowed by quote assets
 * and a maximum count.
 *
 * @param symbols the listed symbols (empty when {@code all})
 * @param all true for every symbol the venue lists
 * @param quoteAssets with {@code all}: only symbols quoted in these assets (empty: any)
 * @param maxSymbols with {@code all}: at most this many (0: no limit), in the venue's order
 * @param shard with {@code all}: only the symbols this process's shard keeps (after quote assets,
 *     before the maximum), or null for every symbol; a list is split when the config is read
 */
public record SymbolSelection(
    List<String> symbols,
    boolean all,
    List<String> quoteAssets,
    int maxSymbols,
    ShardFilter shard) {
  public SymbolSelection {
    symbols = List.copyOf(symbols);
    quoteAssets = quoteAssets.stream().map(a -> a.toUpperCase(Locale.ROOT)).toList();
  }

  /** A selection that is not split among shards. */
  public SymbolSelection(
      List<String> symbols, boolean all, List<String> quoteAssets, int maxSymbols) {
    this(symbols, all, quoteAssets, maxSymbols, null);
  }

  /**
   * The share of one venue market's books that a shard keeps.
   *
   * @param shard the process's shard
   * @param exchange the venue
   * @param market the market
   */
  public record ShardFilter(Shard shard, String exchange, MarketType market) {
    public boolean keeps(String symbol) {
      return shard.keeps(exchange, market, symbol);
    }
  }

  /** This selection, split: {@code all} resolves to the symbols the shard keeps. */
  public SymbolSelection withShard(ShardFilter value) {
    return new SymbolSelection(symbols, all, quoteAssets, maxSymbols, value);
  }

  /** A fixed list of symbols. */
  public static SymbolSelection of(List<String> symbols) {
    return new SymbolSelection(symbols, false, List.of(), 0);
  }

  /** Nothing selected. */
  public static SymbolSelection none() {
    return of(List.of());
  }

  public boolean isEmpty() {
    return !all && symbols.isEmpty();
  }

  /**
   * Applies the selection to the venue's instruments (symbol, quote asset), in venue order. With a
   * shard, {@code max_symbols} counts the shard's symbols.
   */
  public List<String> resolve(List<Instrument> instruments) {
    if (!all) {
      return symbols;
    }
    List<String> chosen =
        instruments.stream()
            .filter(
                i ->
                    quoteAssets.isEmpty()
                        || quoteAssets.contains(i.quoteAsset().toUpperCase(Locale.ROOT)))
            .map(Instrument::symbol)
            .filter(symbol -> shard == null || shard.keeps(symbol))
            .toList();
    return maxSymbols > 0 && chosen.size() > maxSymbols ? chosen.subList(0, maxSymbols) : chosen;
  }

  /**
   * A tradable instrument as {@code all} sees it.
   *
   * @param symbol the venue's symbol
   * @param quoteAsset its quote asset
   */
  public record Instrument(String symbol, String quoteAsset) {}
}
