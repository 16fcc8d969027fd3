package dev.lake.exchanges.kraken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lake.core.model.Contract;
import dev.lake.core.model.MarketType;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.book.BookSync;
import dev.lake.exchanges.json.Json;
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
 * Every real Kraken sample in {@code ../shared/data/samples} (see its SOURCES.md) read by the
 * production parsers: each message parses, or is rejected with a named reason; the checksums in the
 * real samples verify (the v2 snapshot, in its captured string form and its wire form with numbers;
 * the docs' example; and the 14 contiguous updates of the real v1 session, replayed through the
 * same book rules and checksum). Skipped when the samples are absent.
 */
class KrakenSampleConformanceTest {
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

  private static KrakenMessages.WsMessage spot(String line) {
    KrakenMessages.WsMessage message = new KrakenMessages.WsMessage();
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    KrakenMessages.parseSpot(bytes, bytes.length, message);
    return message;
  }

  private static KrakenMessages.WsMessage futures(String line) {
    KrakenMessages.WsMessage message = new KrakenMessages.WsMessage();
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    KrakenMessages.parseFutures(bytes, bytes.length, message);
    return message;
  }

  /** Loads a snapshot into a book of the subscribed depth; returns it after the check. */
  private static BookSync load(KrakenMessages.WsMessage message, int depth) {
    message.book.timestampMicros = RECEIVED; // v2 snapshots carry none: the reader sets it
    BookSync sync =
        new BookSync(
            KrakenVenue.NAME,
            MarketType.SPOT,
            message.book.symbol,
            KrakenBooks.spot(depth),
            null,
            (b, d) -> {});
    sync.onMessage(message.book, RECEIVED, new ArrayList<>());
    return sync;
  }

  @Test
  void theRealV2SnapshotChecksumVerifies() throws IOException {
    KrakenMessages.WsMessage message = spot(lines("kraken-spot-book-v2-ws.jsonl").get(0));
    BookSync sync = load(message, 25);

    assertThat(message.kind).isEqualTo(KrakenMessages.Kind.BOOK);
    assertThat(message.book.checksum).isEqualTo(4162058887L);
    assertThat(new KrakenChecksum().compute(sync.book())).isEqualTo(4162058887L);
    assertThat(sync.checksumMismatches()).isZero();
    assertThat(sync.state()).isEqualTo(BookSync.State.LIVE);
  }

  @Test
  void theRealV2SnapshotInWireFormVerifiesFromTheNumbersRawText() throws IOException {
    KrakenMessages.WsMessage message = spot(lines("kraken-spot-book-v2-ws.wireform.jsonl").get(0));
    BookSync sync = load(message, 25);

    assertThat(message.book.bids.quantityText(0)).isEqualTo("0.09440620");
    assertThat(new KrakenChecksum().compute(sync.book())).isEqualTo(4162058887L);
    assertThat(sync.checksumMismatches()).isZero();
  }

  @Test
  void theDocsExampleChecksumVerifies() throws IOException {
    KrakenMessages.WsMessage message =
        spot(lines("kraken-spot-book-v2-ws-docs-example.jsonl").get(0));
    BookSync sync = load(message, 10);

    assertThat(new KrakenChecksum().compute(sync.book())).isEqualTo(3310070434L);
    assertThat(sync.checksumMismatches()).isZero();
  }

  @Test
  void numbersReadAsDoublesWouldBreakTheChecksumSoTheWireTextIsWhatCounts() throws IOException {
    KrakenMessages.WsMessage message =
        spot(lines("kraken-spot-book-v2-ws-docs-example.jsonl").get(0));
    BookMessage.Levels asks = message.book.asks;
    BookMessage doubles = new BookMessage();
    doubles.symbol = message.book.symbol;
    doubles.snapshot = true;
    doubles.timestampMicros = RECEIVED;
    doubles.checksum = message.book.checksum;
    doubles.hasChecksum = true;
    for (BookMessage.Levels side : List.of(message.book.bids, asks)) {
      BookMessage.Levels into = side == asks ? doubles.asks : doubles.bids;
      for (int i = 0; i < side.count; i++) {
        into.add(
            side.prices[i],
            side.quantities[i],
            Double.toString(side.prices[i]),
            Double.toString(side.quantities[i]));
      }
    }

    assertThat(asks.quantityText(0)).isEqualTo("0.00100000");
    BookSync sync =
        new BookSync(
            KrakenVenue.NAME, MarketType.SPOT, "BTC/USD", KrakenBooks.spot(10), null, (b, d) -> {});
    sync.onMessage(doubles, RECEIVED, new ArrayList<>());
    assertThat(sync.checksumMismatches()).isEqualTo(1);
  }

  /**
   * The real v1 session (legacy array frames, book-10 of XDG/USD): its snapshot and 14 contiguous
   * updates, each level kept as Kraken wrote it, go through lake's spot book rules (truncation to
   * 10, then Kraken's checksum, which v1 and v2 compute alike); every update's checksum verifies.
   */
  @Test
  void theFourteenChecksumsOfTheRealV1SessionVerifyThroughTheSameBookRules() throws IOException {
    List<String> frames = lines("kraken-spot-book-v1-ws.jsonl");
    BookSync sync =
        new BookSync(
            KrakenVenue.NAME,
            MarketType.SPOT,
            "DOGE/USD",
            KrakenBooks.spot(10),
            null,
            (b, d) -> {});
    long received = RECEIVED;
    for (String frame : frames) {
      sync.onMessage(v1(frame), received++, new ArrayList<>());
    }

    assertThat(frames).hasSize(15);
    assertThat(sync.validated()).isEqualTo(14);
    assertThat(sync.checksumMismatches()).isZero();
  }

  /** A v1 book frame {@code [id, {as,bs}|{a,b,c}, "book-10", pair]} as a neutral message. */
  private static BookMessage v1(String frame) {
    JsonNode root = Json.tree(frame.getBytes(StandardCharsets.UTF_8));
    JsonNode body = root.get(1);
    BookMessage message = new BookMessage();
    message.symbol = "DOGE/USD";
    message.snapshot = body.has("as");
    message.timestampMicros = RECEIVED;
    for (String side : List.of("a", "b", "as", "bs")) {
      if (body.has(side)) {
        BookMessage.Levels levels = side.startsWith("a") ? message.asks : message.bids;
        for (JsonNode level : body.get(side)) {
          String price = level.get(0).asText();
          String qty = level.get(1).asText();
          levels.add(Double.parseDouble(price), Double.parseDouble(qty), price, qty);
        }
      }
    }
    if (body.has("c")) {
      message.checksum = Long.parseLong(body.get("c").asText());
      message.hasChecksum = true;
    }
    return message;
  }

  @Test
  void theV1FramesAreRejectedByTheV2ParserWithANamedReason() throws IOException {
    assertThatThrownBy(() -> spot(lines("kraken-spot-book-v1-ws.jsonl").get(1)))
        .isInstanceOf(MessageException.class)
        .hasMessage("not a JSON object");
  }

  @Test
  void everyFuturesBookMessageParsesWithItsSeq() throws IOException {
    List<String> lines = lines("kraken-futures-book-ws.jsonl");
    for (String line : lines) {
      KrakenMessages.WsMessage message = futures(line);
      assertThat(message.kind).isEqualTo(KrakenMessages.Kind.BOOK);
      assertThat(message.book.lastId).isEqualTo(message.seq).isPositive();
    }
    KrakenMessages.WsMessage snapshot = futures(lines.get(0));
    assertThat(snapshot.book.snapshot).isTrue();
    assertThat(snapshot.book.symbol).isEqualTo("PI_XBTUSD");
    assertThat(snapshot.book.bids.count).isEqualTo(3);
    assertThat(snapshot.book.timestampMicros).isEqualTo(1646478671000_000L);
    KrakenMessages.WsMessage delta = futures(lines.get(1));
    assertThat(delta.book.snapshot).isFalse();
    assertThat(delta.book.bids.count).isEqualTo(1);
    assertThat(delta.book.bids.quantities[0]).isZero();
  }

  @Test
  void everyFuturesTickerParsesAndOnlyPerpetualsCarryTheRelativeFundingRate() throws IOException {
    List<String> lines = lines("kraken-futures-ticker-ws.jsonl");
    for (String line : lines) {
      KrakenMessages.WsMessage message = futures(line);
      assertThat(message.kind).isEqualTo(KrakenMessages.Kind.TICKER);
      assertThat(message.openInterest).isPositive();
      assertThat(Double.isNaN(message.relativeFundingRate))
          .isEqualTo(!message.symbol.startsWith("PI_") && !message.symbol.startsWith("PF_"));
    }
    KrakenMessages.WsMessage first = futures(lines.get(0));
    assertThat(first.relativeFundingRate).isEqualTo(9.6321875e-8);
    assertThat(first.nextFundingTimeMs).isEqualTo(1654171200000L);
    assertThat(first.openInterest).isEqualTo(43967525.0);
  }

  @Test
  void theRealLiquidationTradesParseAsTradesOfTypeLiquidation() throws IOException {
    for (String line : lines("kraken-futures-trade-liquidation-ws.jsonl")) {
      KrakenMessages.WsMessage message = futures(line);
      assertThat(message.kind).isEqualTo(KrakenMessages.Kind.TRADES);
      assertThat(message.trades.count).isEqualTo(1);
      assertThat(message.trades.types[0]).isEqualTo("liquidation");
      assertThat(message.trades.ids[0]).hasSize(36);
    }
  }

  @Test
  void theRealDepthAnswerIsReadFromItsLegacyPairKey() throws IOException {
    BookMessage book =
        KrakenRest.spotDepth("BTC/USD", Files.readAllBytes(sample("kraken-spot-depth-rest.json")));

    assertThat(book.symbol).isEqualTo("BTC/USD");
    assertThat(book.asks.prices[0]).isEqualTo(29727.1);
    assertThat(book.bids.count).isEqualTo(3);
    assertThat(book.timestampMicros).isEqualTo(1654302625_000_000L);
  }

  @Test
  void theRealAssetPairsMapV1NamesToV2Symbols() throws IOException {
    KrakenRest.SpotPairs pairs =
        KrakenRest.assetPairs(
            Files.readAllBytes(sample("kraken-spot-assetpairs-rest.json")), RECEIVED);

    assertThat(pairs.pairs()).contains(new KrakenRest.Pair("BTC/USD", "XXBTZUSD"));
    assertThat(pairs.pairs()).contains(new KrakenRest.Pair("DOGE/BTC", "XXDGXXBT"));
    Contract btc =
        pairs.instruments().contracts().stream()
            .filter(c -> c.symbol().equals("BTC/USD"))
            .findFirst()
            .orElseThrow();
    assertThat(btc.tickSize()).isEqualTo(0.1);
    assertThat(btc.quoteAsset()).isEqualTo("USD");
    assertThat(pairs.pairs()).noneMatch(pair -> pair.symbol().contains("XBT"));
  }

  @Test
  void theRealFuturesInstrumentsAndOrderbookAreRead() throws IOException {
    Instruments instruments =
        KrakenRest.futuresInstruments(
            Files.readAllBytes(sample("kraken-futures-instruments-rest.json")), RECEIVED);
    BookMessage book =
        KrakenRest.futuresOrderbook(
            "PI_XBTUSD",
            Files.readAllBytes(sample("kraken-futures-orderbook-rest.json")),
            RECEIVED);

    assertThat(instruments.contracts())
        .extracting(Contract::symbol, Contract::contractType, Contract::contractSize)
        .contains(
            org.assertj.core.groups.Tuple.tuple("PI_XBTUSD", "futures_inverse perpetual", 1.0),
            org.assertj.core.groups.Tuple.tuple("PF_AAPLxUSD", "flexible_futures perpetual", 1.0));
    assertThat(new KrakenVenue().checkSymbol(MarketType.FUTURE, "PF_AAPLxUSD")).isNull();
    assertThat(book.bids.prices[0]).isEqualTo(29648.0);
    assertThat(book.asks.count).isEqualTo(3);
  }
}
