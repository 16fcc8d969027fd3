package dev.lake.exchanges.kucoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lake.core.model.Contract;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.exchanges.ContractSize;
import dev.lake.exchanges.book.BookMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every real KuCoin sample in {@code ../shared/data/samples} (see its SOURCES.md) read by the
 * production parsers: each message parses into what lake stores, or is a kind lake does not
 * subscribe (named). KuCoin sends no checksums. Skipped when the samples are absent.
 */
class KucoinSampleConformanceTest {
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

  private static KucoinMessages.WsMessage parse(String line) {
    KucoinMessages.WsMessage message = new KucoinMessages.WsMessage();
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    KucoinMessages.parse(bytes, bytes.length, message);
    return message;
  }

  @Test
  void everyRealSpotL2UpdateParsesWithItsSequenceRange() throws IOException {
    for (String line : lines("kucoin-spot-level2-ws.jsonl")) {
      KucoinMessages.WsMessage message = parse(line);
      assertThat(message.kind).isEqualTo(KucoinMessages.Kind.SPOT_BOOK);
      assertThat(message.book.firstId).isLessThanOrEqualTo(message.book.lastId);
      for (BookMessage.Levels side : List.of(message.book.bids, message.book.asks)) {
        for (int i = 0; i < side.count; i++) {
          assertThat(side.sequence(i)).isBetween(message.book.firstId, message.book.lastId);
          assertThat(side.prices[i]).isPositive();
        }
      }
    }
  }

  @Test
  void realPriceZeroEntriesAreSequenceOnlyPlaceholdersThatMakeNoLevel() throws IOException {
    List<String> lines = lines("kucoin-spot-level2-ws.jsonl");
    // line 3: only an ask placeholder; line 6: a real ask removal and a bid placeholder
    KucoinMessages.WsMessage third = parse(lines.get(2));
    assertThat(third.placeholders).isEqualTo(1);
    assertThat(third.book.asks.count + third.book.bids.count).isZero();
    KucoinMessages.WsMessage sixth = parse(lines.get(5));
    assertThat(sixth.placeholders).isEqualTo(1);
    assertThat(sixth.book.asks.count).isEqualTo(1);
    assertThat(sixth.book.asks.quantities[0]).isZero();
    assertThat(sixth.book.bids.count).isZero();
  }

  @Test
  void everyRealFuturesLevel2MessageIsOneLevelWithItsSequence() throws IOException {
    for (String line : lines("kucoin-futures-level2-ws.jsonl")) {
      KucoinMessages.WsMessage message = parse(line);
      assertThat(message.kind).isEqualTo(KucoinMessages.Kind.FUTURE_BOOK);
      assertThat(message.book.bids.count + message.book.asks.count).isEqualTo(1);
      assertThat(message.book.firstId).isEqualTo(message.book.lastId).isPositive();
      assertThat(message.book.timestampMicros).isPositive();
    }
    List<String> lines = lines("kucoin-futures-level2-ws.jsonl");
    KucoinMessages.WsMessage myro = parse(lines.get(2));
    assertThat(myro.book.symbol).isEqualTo("MYROUSDTM");
    assertThat(myro.book.asks.prices[0]).isEqualTo(0.2166);
    assertThat(myro.book.asks.quantities[0]).isZero();
    assertThat(parse(lines.get(3)).book.lastId).isEqualTo(myro.book.lastId + 1);
  }

  @Test
  void theRealSpotRestBookParsesWithItsTextSequence() throws IOException {
    BookMessage book =
        KucoinRest.book(
            MarketType.SPOT,
            "BTC-USDT",
            bytes("kucoin-spot-orderbook-rest.json"),
            ContractSize.ONE);
    assertThat(book.lastId).isEqualTo(1630423725254L);
    assertThat(book.timestampMicros).isEqualTo(1654325095225_000L);
    assertThat(book.bids.count).isEqualTo(3);
    assertThat(book.bids.prices[0]).isEqualTo(29701.4);
    assertThat(book.asks.quantities[0]).isEqualTo(0.00023088);
  }

  @Test
  void theRealFuturesSnapshotHasNanosecondTimeAndSizesInContracts() throws IOException {
    BookMessage book =
        KucoinRest.book(
            MarketType.FUTURE,
            "XBTUSDTM",
            bytes("kucoin-futures-level2-rest.json"),
            ContractSize.ofMagnitude(0.001));
    assertThat(book.lastId).isEqualTo(1645045405918L);
    assertThat(book.timestampMicros).isEqualTo(1654326922830525L);
    assertThat(book.asks.prices[0]).isEqualTo(29641.0);
    assertThat(book.asks.quantities[0]).isEqualTo(30.109);
  }

  @Test
  void theRealActiveContractsGiveContractsMultipliersAndOpenInterest() throws IOException {
    KucoinRest.Contracts contracts =
        KucoinRest.contracts(bytes("kucoin-futures-contracts-active-rest.json"), RECEIVED);
    List<Contract> rows = contracts.instruments().contracts();
    assertThat(rows).isNotEmpty();
    Contract linear =
        rows.stream().filter(c -> c.symbol().equals("XBTUSDTM")).findFirst().orElseThrow();
    assertThat(linear.baseAsset()).isEqualTo("XBT");
    assertThat(linear.quoteAsset()).isEqualTo("USDT");
    assertThat(linear.contractSize()).isEqualTo(0.001);
    assertThat(linear.contractType()).isEqualTo("perpetual linear");
    Contract inverse =
        rows.stream().filter(c -> c.symbol().equals("XBTUSDM")).findFirst().orElseThrow();
    assertThat(inverse.contractType()).isEqualTo("perpetual inverse");
    assertThat(inverse.contractSize()).isEqualTo(1.0);

    List<OpenInterest> openInterest =
        KucoinRest.openInterest(
            contracts.data(), contracts.multipliers(), RECEIVED, Set.of("XBTUSDTM"));
    assertThat(openInterest)
        .singleElement()
        .satisfies(oi -> assertThat(oi.openInterest()).isEqualTo(9876.432));
  }

  @Test
  void theRealContractDetailParsesAsAContract() throws IOException {
    // SOURCES.md: only the inner data object was kept; wrapped here as the endpoint sends it
    String body =
        "{\"code\":\"200000\",\"data\":["
            + new String(bytes("kucoin-futures-contract-detail-rest.json"), StandardCharsets.UTF_8)
            + "]}";
    KucoinRest.Contracts contracts =
        KucoinRest.contracts(body.getBytes(StandardCharsets.UTF_8), RECEIVED);
    assertThat(contracts.multipliers()).containsEntry("XBTUSDTM", 0.001);
    assertThat(KucoinRest.openInterest(contracts.data(), contracts.multipliers(), RECEIVED, null))
        .singleElement()
        .satisfies(oi -> assertThat(oi.openInterest()).isEqualTo(9295.921));
  }

  @Test
  void realInstrumentMessagesAreAKindTheBookAndTradeFeedsDoNotTake() throws IOException {
    for (String line : lines("kucoin-futures-instrument-ws.jsonl")) {
      KucoinMessages.WsMessage message = parse(line);
      assertThat(message.kind).isEqualTo(KucoinMessages.Kind.OTHER);
      assertThat(message.topic).isEqualTo("/contract/instrument:XBTUSDTM");
    }
  }
}
