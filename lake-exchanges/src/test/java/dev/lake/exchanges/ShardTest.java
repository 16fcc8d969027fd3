package dev.lake.exchanges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.core.model.MarketType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardTest {
  private static final List<String> SYMBOLS =
      List.of(
          "BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "BNBUSDT", "DOGEUSDT", "ADAUSDT", "TRXUSDT");

  @Test
  void theHashIsCrc32OfTheUtf8TextAsZlibComputesIt() {
    // python3 -c "import zlib; print(zlib.crc32(b'binance|spot|BTCUSDT'))"
    assertThat(Shard.hash("binance", MarketType.SPOT, "BTCUSDT")).isEqualTo(3717011541L);
    assertThat(Shard.hash("binance", MarketType.SPOT, "BNBUSDT")).isEqualTo(1117786136L);
  }

  @Test
  void aShardKeepsTheBooksWhoseHashModuloTheCountIsItsIndex() {
    Shard shard = new Shard(2, 3);

    assertThat(SYMBOLS)
        .filteredOn(s -> shard.keeps("binance", MarketType.SPOT, s))
        .containsExactly("BNBUSDT", "DOGEUSDT", "ADAUSDT");
  }

  @Test
  void everyShardCountSplitsTheBooksWithoutOverlapOrOmission() {
    for (int of = 1; of <= 6; of++) {
      List<String> kept = new ArrayList<>();
      for (int index = 0; index < of; index++) {
        Shard shard = new Shard(index, of);
        SYMBOLS.stream().filter(s -> shard.keeps("binance", MarketType.SPOT, s)).forEach(kept::add);
      }
      assertThat(kept).as("of " + of).containsExactlyInAnyOrderElementsOf(SYMBOLS);
    }
  }

  @Test
  void theSameSymbolOnAnotherMarketMayBelongToAnotherShard() {
    long spot = Shard.hash("binance", MarketType.SPOT, "BTCUSDT");
    long future = Shard.hash("binance", MarketType.FUTURE, "BTCUSDT");

    assertThat(spot).isNotEqualTo(future);
  }

  @Test
  void anIndexOutsideZeroToCountMinusOneIsRefusedNamingTheRange() {
    assertThatThrownBy(() -> new Shard(3, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid shard index: 3 (expected 0 to 2 for of: 3; indexes count from 0)");
  }

  @Test
  void aCountBelowOneIsRefused() {
    assertThatThrownBy(() -> new Shard(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid shard count: 0 (expected at least 1 in shard.of)");
  }

  @Test
  void symbolsAllResolvesToTheShardsSymbolsBeforeTheMaximumIsApplied() {
    List<SymbolSelection.Instrument> instruments =
        SYMBOLS.stream().map(s -> new SymbolSelection.Instrument(s, "USDT")).toList();
    SymbolSelection selection =
        new SymbolSelection(List.of(), true, List.of(), 2)
            .withShard(
                new SymbolSelection.ShardFilter(new Shard(2, 3), "binance", MarketType.SPOT));

    assertThat(selection.resolve(instruments)).containsExactly("BNBUSDT", "DOGEUSDT");
  }

  @Test
  void onlyShardZeroKeepsTheMarketWideFeeds() {
    assertThat(IntStream.range(0, 4).filter(i -> new Shard(i, 4).keepsMarketWideFeeds()))
        .containsExactly(0);
  }
}
