package dev.lake.exchanges.coinbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lake.core.model.Contract;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.exchanges.json.MessageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every real Coinbase sample in ../shared/data/samples (provenance in its SOURCES.md) parses, or is
 * rejected with a named reason: the Advanced Trade REST answers lake polls, the INTX WebSocket
 * messages, and the legacy Coinbase Exchange messages lake does not use (rejected as not Advanced
 * Trade's). No real {@code l2_data} sample exists (SOURCES.md records the gap), and Coinbase sends
 * no checksums, so there is none to verify. Skipped when the samples are absent.
 */
class CoinbaseSamplesConformanceTest {
  private static Path folder() {
    Path folder = Path.of(System.getProperty("lake.shared.dir", "../../shared"), "data", "samples");
    assumeTrue(Files.isDirectory(folder), "samples not present: " + folder);
    return folder;
  }

  private static byte[] sample(String file) throws IOException {
    Path path = folder().resolve(file);
    assumeTrue(Files.isRegularFile(path), "sample not present: " + path);
    return Files.readAllBytes(path);
  }

  private static String outcome(String line, boolean intx) {
    CoinbaseMessages.WsMessage message = new CoinbaseMessages.WsMessage();
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    try {
      if (intx) {
        IntxMessages.parse(bytes, bytes.length, message);
      } else {
        CoinbaseMessages.parse(bytes, bytes.length, message);
      }
      return message.channel.toString();
    } catch (MessageException e) {
      return "rejected: " + e.getMessage();
    }
  }

  @Test
  void everyWebSocketSampleParsesOrIsRejectedWithANamedReason() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder())) {
      files =
          listing
              .filter(p -> p.getFileName().toString().matches("coinbase-.*-ws\\.jsonl"))
              .sorted()
              .toList();
    }
    assertThat(files).hasSize(4);
    List<String> outcomes = new ArrayList<>();
    for (Path file : files) {
      boolean intx = file.getFileName().toString().startsWith("coinbase-intx");
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          outcomes.add(file.getFileName() + ": " + outcome(line, intx));
        }
      }
    }
    assertThat(outcomes.stream().distinct().toList())
        .containsExactly(
            "coinbase-exchange-level2-ws.jsonl: rejected: message without channel",
            "coinbase-intx-funding-ws.jsonl: FUNDING",
            "coinbase-intx-level2-ws.jsonl: L2_DATA",
            "coinbase-intx-risk-ws.jsonl: RISK");
  }

  @Test
  void theIntxLevelTwoSamplesAreASnapshotAndAnUpdateWithTheirLevels() throws IOException {
    List<String> lines =
        Files.readAllLines(folder().resolve("coinbase-intx-level2-ws.jsonl")).stream()
            .filter(l -> !l.isBlank())
            .toList();
    CoinbaseMessages.WsMessage message = new CoinbaseMessages.WsMessage();
    byte[] snapshot = lines.get(0).getBytes(StandardCharsets.UTF_8);
    IntxMessages.parse(snapshot, snapshot.length, message);
    assertThat(message.books[0].snapshot).isTrue();
    assertThat(message.books[0].symbol).isEqualTo("TON-PERP");
    assertThat(message.books[0].bids.prices[0]).isEqualTo(4.802);
    assertThat(message.books[0].asks.quantities[0]).isEqualTo(2969.1);
    assertThat(message.sequenceNum).isEqualTo(81053124);

    byte[] update = lines.get(1).getBytes(StandardCharsets.UTF_8);
    IntxMessages.parse(update, update.length, message);
    assertThat(message.books[0].snapshot).isFalse();
    assertThat(message.books[0].bids.count).isEqualTo(1);
    assertThat(message.books[0].bids.quantities[0]).isEqualTo(15468);
  }

  @Test
  void theRiskSampleWithoutOpenInterestParsesWithNone() throws IOException {
    List<String> lines =
        Files.readAllLines(folder().resolve("coinbase-intx-risk-ws.jsonl")).stream()
            .filter(l -> !l.isBlank())
            .toList();
    CoinbaseMessages.WsMessage message = new CoinbaseMessages.WsMessage();
    byte[] with = lines.get(0).getBytes(StandardCharsets.UTF_8);
    IntxMessages.parse(with, with.length, message);
    assertThat(message.openInterest).isEqualTo(76677.9);
    byte[] without = lines.get(1).getBytes(StandardCharsets.UTF_8);
    IntxMessages.parse(without, without.length, message);
    assertThat(message.openInterest).isNaN();
    assertThat(message.product).isEqualTo("APE-PERP");
  }

  @Test
  void theFundingSamplesTellPredictedFromSettled() throws IOException {
    List<String> lines =
        Files.readAllLines(folder().resolve("coinbase-intx-funding-ws.jsonl")).stream()
            .filter(l -> !l.isBlank())
            .toList();
    CoinbaseMessages.WsMessage message = new CoinbaseMessages.WsMessage();
    byte[] predicted = lines.get(0).getBytes(StandardCharsets.UTF_8);
    IntxMessages.parse(predicted, predicted.length, message);
    assertThat(message.isFinal).isFalse();
    byte[] settled = lines.get(1).getBytes(StandardCharsets.UTF_8);
    IntxMessages.parse(settled, settled.length, message);
    assertThat(message.isFinal).isTrue();
    assertThat(message.fundingRate).isEqualTo(-0.000017);
    assertThat(message.timestampMicros).isEqualTo(1_730_858_400_000_000L);
  }

  @Test
  void theProductBookSampleIsASnapshotRowAtItsTime() throws IOException {
    OrderBookSnapshot snapshot =
        CoinbaseRest.snapshot(
            MarketType.SPOT, "BTC-USD", sample("coinbase-advanced-product-book-rest.json"), 1L);

    assertThat(snapshot.bids()).hasSize(5);
    assertThat(snapshot.asks().get(0).price()).isEqualTo(68923.67);
    assertThat(snapshot.timestampMs()).isEqualTo(1_775_521_739_662L);
    assertThat(snapshot.lastUpdateId()).isNull();
  }

  @Test
  void theProductsSampleListsBtcUsdOnceAndKeepsBtcUsdcAsItsAlias() throws IOException {
    CoinbaseRest.Products products =
        CoinbaseRest.products(
            MarketType.SPOT, sample("coinbase-advanced-products-rest.json"), 1_000L);

    assertThat(products.aliases()).containsEntry("BTC-USDC", "BTC-USD");
    assertThat(products.instruments().instruments())
        .extracting(i -> i.symbol())
        .contains("BTC-USD")
        .doesNotContain("BTC-USDC");
    assertThat(products.instruments().contracts())
        .extracting(Contract::symbol)
        .contains("BTC-USD", "BTC-USDC");
  }

  @Test
  void theExchangeBookSampleIsNoAdvancedTradeProductBook() throws IOException {
    byte[] body = sample("coinbase-exchange-book-rest.json");

    assertThatThrownBy(() -> CoinbaseRest.snapshot(MarketType.SPOT, "BTC-USD", body, 1L))
        .isInstanceOf(MessageException.class)
        .hasMessage("missing pricebook");
  }
}
