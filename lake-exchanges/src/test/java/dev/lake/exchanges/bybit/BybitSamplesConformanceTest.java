package dev.lake.exchanges.bybit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.exchanges.book.BookSync;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.poll.Instruments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every real Bybit sample in ../shared/data/samples (provenance in its SOURCES.md) parses, or is
 * rejected with a named reason; the contiguous linear book (a snapshot and 49 deltas) and the spot
 * snapshot with its next delta validate by Bybit's rules. Bybit sends no checksums, so there is
 * none to verify. Skipped when the samples are absent.
 */
class BybitSamplesConformanceTest {
  static Path sample(String file) {
    String shared = System.getProperty("lake.shared.dir", "../../shared");
    Path path = Path.of(shared, "data", "samples", file);
    assumeTrue(Files.isRegularFile(path), "sample not present: " + path);
    return path;
  }

  private static List<String> lines(String file) throws IOException {
    return Files.readAllLines(sample(file)).stream().filter(l -> !l.isBlank()).toList();
  }

  private static BybitMessages.WsMessage parse(String line) {
    BybitMessages.WsMessage message = new BybitMessages.WsMessage();
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    BybitMessages.parse(bytes, bytes.length, message);
    return message;
  }

  @Test
  void everyWebSocketSampleParsesOrIsRejectedWithANamedReason() throws IOException {
    Path folder = Path.of(System.getProperty("lake.shared.dir", "../../shared"), "data", "samples");
    assumeTrue(Files.isDirectory(folder), "samples not present: " + folder);
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files =
          listing
              .filter(p -> p.getFileName().toString().matches("bybit-.*-ws\\.jsonl"))
              .sorted()
              .toList();
    }
    assertThat(files).hasSize(5);
    List<String> outcomes = new ArrayList<>();
    for (Path file : files) {
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          outcomes.add(file.getFileName() + ": " + parse(line).kind);
        } catch (MessageException e) {
          outcomes.add(file.getFileName() + ": rejected: " + e.getMessage());
        }
      }
    }
    assertThat(outcomes.stream().distinct().toList())
        .containsExactly(
            "bybit-inverse-liquidation-legacy-ws.jsonl: rejected: unexpected topic"
                + " liquidation.XRPUSD",
            "bybit-linear-liquidation-ws.jsonl: LIQUIDATIONS",
            "bybit-linear-orderbook-ws.jsonl: BOOK",
            "bybit-linear-tickers-ws.jsonl: TICKER",
            "bybit-spot-orderbook-ws.jsonl: BOOK");
    assertThat(outcomes).hasSize(1 + 1 + 50 + 3 + 6);
  }

  @Test
  void theLinearBookSampleIsASnapshotAndFortyNineDeltasThatAllFollow() throws IOException {
    List<String> lines = lines("bybit-linear-orderbook-ws.jsonl");
    List<LakeRow> rows = replay(MarketType.FUTURE, "XRPUSDT", lines);
    assertThat(lines).hasSize(50);
    assertThat(rows)
        .filteredOn(StreamEvent.class::isInstance)
        .extracting(row -> ((StreamEvent) row).event())
        .containsExactly(StreamEventType.RESYNC);
    assertThat(rows)
        .filteredOn(OrderBookDelta.class::isInstance)
        .extracting(row -> ((OrderBookDelta) row).lastUpdateId())
        .startsWith(20254869L)
        .endsWith(20254918L);
  }

  @Test
  void theSpotSnapshotAndItsNextDeltaFollowAndKeepSeqAndCts() throws IOException {
    List<String> lines = lines("bybit-spot-orderbook-ws.jsonl").subList(0, 2);
    List<LakeRow> rows = replay(MarketType.SPOT, "BTCUSDT", lines);
    OrderBookDelta delta =
        rows.stream()
            .filter(OrderBookDelta.class::isInstance)
            .map(OrderBookDelta.class::cast)
            .filter(d -> !d.isSnapshot())
            .findFirst()
            .orElseThrow();
    assertThat(delta.lastUpdateId()).isEqualTo(2876701L);
    assertThat(delta.firstUpdateId()).isEqualTo(2876701L);
    assertThat(delta.prevUpdateId()).isEqualTo(47474967823L);
    assertThat(delta.timestampMicros()).isEqualTo(1731035685342_000L);
    assertThat(rows).filteredOn(StreamEvent.class::isInstance).hasSize(1);
  }

  private static List<LakeRow> replay(MarketType market, String symbol, List<String> lines) {
    BookSync sync =
        new BookSync("bybit", market, symbol, BybitBooks.RULES, null, (book, delay) -> {});
    List<LakeRow> rows = new ArrayList<>();
    for (String line : lines) {
      sync.onMessage(parse(line).book, 1L, rows);
    }
    assertThat(sync.gaps()).isZero();
    assertThat(sync.validated()).isEqualTo(lines.size() - 1);
    return rows;
  }

  @Test
  void theLinearTickerDeltaCarriesNoFundingFieldsAndTheSnapshotCarriesThemAll() throws IOException {
    List<String> lines = lines("bybit-linear-tickers-ws.jsonl");
    BybitMessages.Ticker snapshot = parse(lines.get(0)).ticker;
    assertThat(snapshot.hasFundingRate).isTrue();
    assertThat(snapshot.hasNextFundingTime).isTrue();
    assertThat(snapshot.openInterest).isEqualTo(58117.022);
    BybitMessages.WsMessage delta = parse(lines.get(1));
    assertThat(delta.snapshot).isFalse();
    assertThat(delta.ticker.hasFundingRate).isFalse();
    assertThat(delta.ticker.hasNextFundingTime).isFalse();
    assertThat(delta.ticker.hasOpenInterest).isFalse();
  }

  @Test
  void theLiquidationSampleSaysALongWasLiquidated() throws IOException {
    BybitMessages.Events events = parse(lines("bybit-linear-liquidation-ws.jsonl").get(0)).events;
    assertThat(events.count).isEqualTo(1);
    assertThat(events.buys[0]).isFalse();
    assertThat(events.symbols[0]).isEqualTo("PIPPINUSDT");
    assertThat(events.times[0]).isEqualTo(1740480207110L);
  }

  @Test
  void theInstrumentsSamplesListTheirTradingSymbols() throws IOException {
    Instruments linear =
        BybitRest.instruments(
            MarketType.FUTURE,
            List.of(Files.readAllBytes(sample("bybit-linear-instruments-info-rest.json"))),
            1L);
    Instruments spot =
        BybitRest.instruments(
            MarketType.SPOT,
            List.of(Files.readAllBytes(sample("bybit-spot-instruments-info-rest.json"))),
            1L);
    assertThat(linear.contracts())
        .extracting(c -> c.symbol() + " " + c.contractType())
        .containsExactly("BTCUSDT LinearPerpetual");
    assertThat(spot.contracts())
        .extracting(c -> c.symbol() + " " + c.tickSize())
        .containsExactly("BTCUSDT 0.01");
  }

  @Test
  void aTradeWithoutItsIdIsRejectedNamingTheField() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":1,\"data\":"
                        + "[{\"T\":1,\"s\":\"BTCUSDT\",\"S\":\"Buy\",\"v\":\"1\",\"p\":\"2\"}]}"))
        .isInstanceOf(MessageException.class)
        .hasMessage("publicTrade entry without i (trade id)");
  }
}
