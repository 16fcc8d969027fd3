package dev.lake.exchanges.okx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lake.core.model.Contract;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.exchanges.ContractSize;
import dev.lake.exchanges.book.BookMessage;
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
 * Every real OKX sample in {@code ../shared/data/samples} (see its SOURCES.md) read by the
 * production parsers: each message parses, or is rejected with a named reason; the checksum of the
 * one untrimmed real book verifies. Skipped when the samples are absent.
 */
class OkxSampleConformanceTest {
  private static final long RECEIVED = 1_700_000_000_000_000L;

  static Path sample(String file) {
    String shared = System.getProperty("lake.shared.dir", "../../shared");
    Path samples = Path.of(shared, "data", "samples");
    assumeTrue(Files.isDirectory(samples), "samples not present: " + samples);
    Path path = samples.resolve(file);
    assumeTrue(Files.isRegularFile(path), "sample not present: " + path);
    return path;
  }

  private static List<String> lines(String file) throws IOException {
    try (Stream<String> lines = Files.lines(sample(file))) {
      return lines.filter(line -> !line.isBlank()).toList();
    }
  }

  private static byte[] bytes(String file) throws IOException {
    return Files.readAllBytes(sample(file));
  }

  /** Contract sizes as the real SWAP instruments list gives them. */
  private static OkxContractSizes swapSizes() throws IOException {
    OkxContractSizes sizes = new OkxContractSizes(false);
    OkxRest.instruments(
        MarketType.FUTURE, bytes("okx-swap-instruments-rest.json"), RECEIVED, sizes);
    return sizes;
  }

  private static OkxMessages.WsMessage parse(String line, OkxContractSizes sizes) {
    OkxMessages.WsMessage message = new OkxMessages.WsMessage();
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    OkxMessages.parse(bytes, bytes.length, message, sizes);
    return message;
  }

  @Test
  void theChecksumOfTheRealBookSnapshotVerifies() throws IOException {
    OkxMessages.WsMessage message =
        parse(lines("okx-spot-books-ws-checksum.jsonl").get(0), new OkxContractSizes(true));
    message.book.lastId = 1; // a capture from before seqId; the book needs an id to load
    BookSync sync =
        new BookSync(
            OkxVenue.NAME, MarketType.SPOT, "BTC-USDT", OkxBooks.RULES, null, (b, d) -> {});
    sync.onMessage(message.book, RECEIVED, new ArrayList<>());

    assertThat(message.book.hasChecksum).isTrue();
    assertThat(message.book.checksum).isEqualTo(-1462286744L);
    assertThat(new OkxChecksum().compute(sync.book())).isEqualTo(-1462286744L);
    assertThat(sync.checksumMismatches()).isZero();
    assertThat(sync.state()).isEqualTo(BookSync.State.LIVE);
  }

  @Test
  void everyRealSpotBookPushParsesWithItsInstrumentActionAndLevels() throws IOException {
    for (String line : lines("okx-spot-books-ws.jsonl")) {
      OkxMessages.WsMessage message = parse(line, new OkxContractSizes(true));
      assertThat(message.kind).isEqualTo(OkxMessages.Kind.BOOK);
      assertThat(message.book.symbol).isNotBlank();
      assertThat(message.book.bids.count + message.book.asks.count).isPositive();
      assertThat(message.book.timestampMicros).isPositive();
      // Pre-2023 captures: no seqId, which the books reader rejects by name before the book.
      assertThat(message.bookFields.hasSeqId).isFalse();
    }
  }

  @Test
  void everyRealSwapBookPushIsReadInContractsTimesCtValOrRejectedForAnUnlistedInstrument()
      throws IOException {
    OkxContractSizes sizes = swapSizes();
    for (String line : lines("okx-swap-books-ws.jsonl")) {
      try {
        OkxMessages.WsMessage message = parse(line, sizes);
        assertThat(message.kind).isEqualTo(OkxMessages.Kind.BOOK);
        assertThat(message.book.bids.quantities[0])
            .isEqualTo(
                sizes
                    .of(message.book.symbol)
                    .apply(Double.parseDouble(message.book.bids.quantityText(0))));
      } catch (MessageException e) {
        assertThat(e.getMessage()).contains("whose ctVal is not known (not listed)");
      }
    }
  }

  @Test
  void theRealBtcUsdSwapSnapshotIsReadInUsdFromContractsOfOneHundred() throws IOException {
    OkxMessages.WsMessage message = parse(lines("okx-swap-books-ws.jsonl").get(0), swapSizes());
    assertThat(message.book.symbol).isEqualTo("BTC-USD-SWAP");
    assertThat(message.book.asks.quantityText(0)).isEqualTo("145");
    assertThat(message.book.asks.quantities[0]).isEqualTo(14500.0);
  }

  @Test
  void theRealLiquidationPushesGiveOneOrderPerDetailEntry() throws IOException {
    OkxContractSizes sizes = swapSizes();
    sizes.put("XRP-USD-230929", ContractSize.of("10"));
    sizes.put("IOST-USDT-SWAP", ContractSize.of("1000"));
    OkxMessages.WsMessage futures =
        parse(lines("okx-futures-liquidation-orders-ws.jsonl").get(0), sizes);
    OkxMessages.WsMessage swap = parse(lines("okx-swap-liquidation-orders-ws.jsonl").get(0), sizes);

    assertThat(futures.kind).isEqualTo(OkxMessages.Kind.LIQUIDATIONS);
    assertThat(futures.liquidations.count).isEqualTo(1);
    assertThat(futures.liquidations.instIds[0]).isEqualTo("XRP-USD-230929");
    assertThat(futures.liquidations.sides[0]).isEqualTo("buy");
    assertThat(futures.liquidations.prices[0]).isEqualTo(0.55205);
    assertThat(futures.liquidations.sizes[0]).isEqualTo(390.0);
    assertThat(futures.liquidations.times[0]).isEqualTo(1680173247614L);
    assertThat(swap.liquidations.instIds[0]).isEqualTo("IOST-USDT-SWAP");
    assertThat(swap.liquidations.sizes[0]).isEqualTo(13000.0);
  }

  @Test
  void aLiquidationOfAnInstrumentWhoseCtValIsUnknownIsRejectedByName() throws IOException {
    String line = lines("okx-futures-liquidation-orders-ws.jsonl").get(0);
    assertThatThrownBy(() -> parse(line, new OkxContractSizes(false)))
        .isInstanceOf(MessageException.class)
        .hasMessage("liquidation order of XRP-USD-230929, whose ctVal is not known (not listed)");
  }

  @Test
  void theRealRestBooksAreReadAsSnapshotsWithoutSeqId() throws IOException {
    BookMessage spot =
        OkxRest.book("BTC-USDT", bytes("okx-spot-books-rest.json"), ContractSize.ONE);
    BookMessage swap =
        OkxRest.book("BTC-USDT-SWAP", bytes("okx-swap-books-rest.json"), ContractSize.of("0.01"));

    assertThat(spot.asks.prices[0]).isEqualTo(29692.5);
    assertThat(spot.lastId).isEqualTo(BookMessage.NONE);
    assertThat(swap.asks.quantities[0]).isEqualTo(0.02);
    assertThatThrownBy(
            () -> OkxRest.seed("BTC-USDT", bytes("okx-spot-books-rest.json"), ContractSize.ONE))
        .isInstanceOf(MessageException.class)
        .hasMessage("books answer without seqId: it cannot seed a book");
  }

  @Test
  void theRealInstrumentListsGiveContractsWithBaseAndQuoteForSwaps() throws IOException {
    OkxContractSizes sizes = new OkxContractSizes(false);
    Instruments swaps =
        OkxRest.instruments(
            MarketType.FUTURE, bytes("okx-swap-instruments-rest.json"), RECEIVED, sizes);
    Instruments spot =
        OkxRest.instruments(
            MarketType.SPOT,
            bytes("okx-spot-instruments-rest.json"),
            RECEIVED,
            new OkxContractSizes(true));

    Contract btcUsd =
        swaps.contracts().stream()
            .filter(c -> c.symbol().equals("BTC-USD-SWAP"))
            .findFirst()
            .orElseThrow();
    assertThat(btcUsd.baseAsset()).isEqualTo("BTC");
    assertThat(btcUsd.quoteAsset()).isEqualTo("USD");
    assertThat(btcUsd.contractSize()).isEqualTo(100.0);
    assertThat(sizes.of("BTC-USD-SWAP")).isEqualTo(ContractSize.of("100"));
    assertThat(spot.contracts())
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.contractSize()).isNull());
    assertThat(spot.contracts().get(0).baseAsset()).isEqualTo("BTC");
  }

  @Test
  void theRealOpenInterestIsReadInCoins() throws IOException {
    List<OpenInterest> rest =
        OkxRest.openInterest(bytes("okx-swap-open-interest-rest.json"), RECEIVED, null);
    List<OpenInterest> pushed =
        OkxRest.openInterest(
            lines("okx-swap-open-interest-ws.jsonl").get(0).getBytes(StandardCharsets.UTF_8),
            RECEIVED,
            null);

    assertThat(rest)
        .extracting(OpenInterest::symbol)
        .containsExactly("BTC-USD-SWAP", "ETH-USD-SWAP");
    assertThat(rest.get(0).openInterest()).isEqualTo(13842.2084993270069734);
    assertThat(pushed)
        .singleElement()
        .satisfies(oi -> assertThat(oi.openInterest()).isEqualTo(644195));
  }

  @Test
  void everyRealFundingPushIsReadAndOneWithoutFundingRateMakesNoRowAndNoError() throws IOException {
    List<String> lines = lines("okx-swap-funding-rate-ws.jsonl");
    int rows = 0;
    for (String line : lines) {
      rows += OkxRest.fundingRates(line.getBytes(StandardCharsets.UTF_8), RECEIVED).size();
    }
    List<FundingRate> first =
        OkxRest.fundingRates(lines.get(0).getBytes(StandardCharsets.UTF_8), RECEIVED);

    assertThat(rows).isEqualTo(lines.size() - 1);
    assertThat(OkxRest.fundingRates(lines.get(3).getBytes(StandardCharsets.UTF_8), RECEIVED))
        .isEmpty();
    assertThat(first.get(0).fundingRate()).isEqualTo(0.0001534702159002);
    assertThat(first.get(0).fundingTimeMs()).isEqualTo(1646323200000L);
    assertThat(OkxRest.fundingRates(bytes("okx-swap-funding-rate-history-rest.json"), RECEIVED))
        .hasSize(2);
  }
}
