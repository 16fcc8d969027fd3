package dev.lake.exchanges.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinanceReplayDriverTest {
  private static final byte[] SNAPSHOT =
      bytes("{\"lastUpdateId\":100,\"bids\":[[\"100.0\",\"1.0\"]],\"asks\":[[\"101.0\",\"2.0\"]]}");
  private static final byte[] DEPTH =
      bytes(
          "{\"e\":\"depthUpdate\",\"E\":1723100000000,\"s\":\"BTCUSDT\",\"U\":101,\"u\":102,"
              + "\"b\":[[\"100.0\",\"1.5\"]],\"a\":[]}");
  private static final byte[] NEXT_DEPTH =
      bytes(
          "{\"e\":\"depthUpdate\",\"E\":1723100000100,\"s\":\"BTCUSDT\",\"U\":103,\"u\":104,"
              + "\"b\":[],\"a\":[[\"101.0\",\"1.0\"]]}");
  private static final long RECEIVED = 1_723_100_000_100_000L;

  private final List<LakeRow> rows = new ArrayList<>();

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static BinanceReplayDriver driver(int copy) {
    return new BinanceReplayDriver(
        new String[] {"COPY" + copy}, new MarketType[] {MarketType.SPOT}, new int[] {copy});
  }

  private List<OrderBookDelta> deltas() {
    return rows.stream()
        .filter(OrderBookDelta.class::isInstance)
        .map(OrderBookDelta.class::cast)
        .filter(row -> !row.isSnapshot())
        .toList();
  }

  @Test
  void aRecordedSnapshotAndTwoEventsInSequenceMakeALiveBookWhoseSecondEventIsValidated() {
    BinanceReplayDriver driver = driver(0);
    driver.snapshot(0, SNAPSHOT, RECEIVED, rows);
    driver.frame(0, DEPTH, RECEIVED + 100_000, rows);
    driver.frame(0, NEXT_DEPTH, RECEIVED + 200_000, rows);
    assertThat(driver.synced()).isEqualTo(1);
    assertThat(driver.validated()).isEqualTo(1);
    assertThat(driver.gaps()).isZero();
  }

  @Test
  void aCopyIsRenamedAndItsPricesAreShiftedByHalfAUnitPerCopy() {
    BinanceReplayDriver driver = driver(2);
    driver.snapshot(0, SNAPSHOT, RECEIVED, rows);
    driver.frame(0, DEPTH, RECEIVED + 100_000, rows);
    assertThat(deltas())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.symbol()).isEqualTo("COPY2");
              assertThat(row.price()).isEqualTo(101.0);
              assertThat(row.quantity()).isEqualTo(1.502);
            });
  }

  @Test
  void parsingOnlyCountsTheLevelsOfADepthEvent() {
    assertThat(driver(0).parseOnly(DEPTH)).isEqualTo(1);
  }

  @Test
  void aFrameThatIsNotADepthEventIsRefusedWithItsKind() {
    byte[] trade =
        bytes(
            "{\"e\":\"trade\",\"E\":1723100000000,\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"100.0\","
                + "\"q\":\"1.0\",\"T\":1723100000000,\"m\":true}");
    assertThatThrownBy(() -> driver(0).frame(0, trade, RECEIVED, rows))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Cannot replay a frame: not a depth event");
  }
}
