package dev.lake.exchanges.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.exchanges.book.BookReplay;
import dev.lake.exchanges.book.BookSync;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays the real Binance recordings in ../shared/data/binance-capture (hftbacktest's collector,
 * 2024-08-08) through the message parser and book sync that the connector uses: every depth event
 * must be validated in sequence, and the book rebuilt from the delta rows alone must equal the
 * synced book. Skipped when the recordings are absent.
 */
class BinanceCaptureConformanceTest {
  static Path capture(String file) {
    String shared = System.getProperty("lake.shared.dir", "../../shared");
    Path path = Path.of(shared, "data", "binance-capture", file);
    assumeTrue(Files.isRegularFile(path), "recording not present: " + path);
    return path;
  }

  @ParameterizedTest
  @CsvSource({
    "spot_btcusdt_20240808.gz, SPOT",
    "spot_ethusdt_20240808.gz, SPOT",
    "usdm_btcusdt_20240808.gz, FUTURE",
    "usdm_ethusdt_20240808.gz, FUTURE"
  })
  void everyRecordedDepthEventIsValidatedAndTheRebuiltBookMatches(String file, MarketType market)
      throws IOException {
    Path path = capture(file);
    List<Long> requests = new ArrayList<>();
    String symbol = file.contains("btc") ? "BTCUSDT" : "ETHUSDT";
    BookSync sync =
        new BookSync(
            "binance",
            market,
            symbol,
            BinanceBooks.rules(market),
            null,
            (s, delay) -> requests.add(delay));
    BinanceMessages.WsMessage message = new BinanceMessages.WsMessage();
    List<LakeRow> rows = new ArrayList<>();
    long depthEvents = 0;
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(path)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        int space = line.indexOf(' ');
        long receivedMicros = Long.parseLong(line.substring(0, space)) / 1000;
        String json = line.substring(space + 1);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (json.startsWith("{\"lastUpdateId\"")) {
          sync.onSnapshot(
              BinanceRest.depth(bytes, receivedMicros).toBookMessage(symbol), receivedMicros, rows);
          continue;
        }
        if (!json.contains("@depth")) {
          continue;
        }
        BinanceMessages.parse(bytes, bytes.length, message);
        assertThat(message.kind).isEqualTo(BinanceMessages.Kind.DEPTH);
        sync.onMessage(message.depth, receivedMicros, rows);
        depthEvents++;
      }
    }
    assertThat(depthEvents).isGreaterThan(3000);
    assertThat(sync.gaps()).isZero();
    assertThat(sync.duplicates()).isZero();
    assertThat(sync.validated()).isEqualTo(depthEvents - 1);
    assertThat(sync.state()).isEqualTo(BookSync.State.LIVE);
    assertThat(requests).containsExactly(0L);
    assertThat(
            rows.stream().filter(StreamEvent.class::isInstance).map(r -> ((StreamEvent) r).event()))
        .containsExactly(StreamEventType.RESYNC);
    List<OrderBookDelta> deltas =
        rows.stream()
            .filter(OrderBookDelta.class::isInstance)
            .map(OrderBookDelta.class::cast)
            .toList();
    assertThat(BookReplay.rebuild(deltas, market == MarketType.FUTURE)).isEqualTo(sync.book());
    assertThat(sync.book().depth(dev.lake.core.model.BookSide.BID)).isGreaterThan(100);
  }
}
