package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import dev.lake.core.write.LakeWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lake status} on tables written by the real writer with known resyncs, gaps and restart
 * gaps: the spans it reports and the validated share, worked out by hand below.
 *
 * <p>The period is 00:00 to 01:00. BTCUSDT: resync at 00:00:10, rows to 00:10:00, a gap found at
 * 00:10:30, resync at 00:11:00, rows to 00:30:00, lake stopped, a restart gap found at 00:40:00,
 * resync at 00:40:05, last row at 00:50:00. Validated: 590 s + 1140 s + 595 s = 2325 s of 3600.
 * ETHUSDT: resynced the evening before, rows at 00:05:00 and 00:59:00: validated 3540 s of 3600.
 */
class StatusCommandTest {
  private static final String SINCE = "2026-11-29T00:00:00Z";
  private static final String UNTIL = "2026-11-29T01:00:00Z";

  @TempDir Path folder;

  private final List<LakeRow> rows = new ArrayList<>();

  private static long at(String time) {
    Instant instant = Instant.parse("2026-11-29T" + time + "Z");
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }

  private void delta(String symbol, String time, long id, boolean snapshot) {
    rows.add(
        new OrderBookDelta(
            "binance",
            MarketType.FUTURE,
            symbol,
            at(time),
            id,
            BookSide.BID,
            65000,
            1,
            0,
            at(time) + 1000,
            null,
            null,
            snapshot));
  }

  private void event(
      String symbol, String feed, StreamEventType type, String time, Long from, Long to) {
    rows.add(
        new StreamEvent(
            "binance",
            "future",
            feed,
            symbol,
            type,
            type.text() + " of " + symbol,
            from,
            to,
            at(time),
            at(time) + 1000));
  }

  private void resync(String symbol, String time, long id) {
    delta(symbol, time, id, true);
    event(symbol, OrderBookDelta.TABLE, StreamEventType.RESYNC, time, null, id);
  }

  private void trade(String symbol, String time) {
    rows.add(
        new Trade(
            "binance",
            MarketType.FUTURE,
            symbol,
            time,
            TradeSide.BUY,
            65000,
            0.1,
            at(time),
            at(time) + 1000));
  }

  /** The two books described in the class comment, plus rows just outside the period. */
  private void knownPeriod() {
    resync("BTCUSDT", "00:00:10", 100);
    delta("BTCUSDT", "00:01:00", 101, false);
    delta("BTCUSDT", "00:10:00", 102, false);
    event("BTCUSDT", OrderBookDelta.TABLE, StreamEventType.GAP, "00:10:30", 103L, 104L);
    delta("BTCUSDT", "00:10:30", 105, false);
    resync("BTCUSDT", "00:11:00", 110);
    delta("BTCUSDT", "00:20:00", 111, false);
    delta("BTCUSDT", "00:30:00", 112, false);
    event("BTCUSDT", OrderBookDelta.TABLE, StreamEventType.RESTART_GAP, "00:40:00", 113L, 119L);
    delta("BTCUSDT", "00:40:00", 120, false);
    resync("BTCUSDT", "00:40:05", 121);
    delta("BTCUSDT", "00:50:00", 122, false);
    delta("BTCUSDT", "01:00:00", 123, false); // the end of the period is exclusive

    rows.add(
        new OrderBookDelta(
            "binance",
            MarketType.FUTURE,
            "ETHUSDT",
            at("00:00:00") - 60_000_000L,
            500,
            BookSide.ASK,
            3000,
            2,
            0,
            at("00:00:00") - 59_000_000L,
            null,
            null,
            true));
    rows.add(
        new StreamEvent(
            "binance",
            "future",
            OrderBookDelta.TABLE,
            "ETHUSDT",
            StreamEventType.RESYNC,
            "resync of ETHUSDT",
            null,
            500L,
            at("00:00:00") - 60_000_000L,
            at("00:00:00") - 59_000_000L));
    delta("ETHUSDT", "00:05:00", 501, false);
    delta("ETHUSDT", "00:59:00", 502, false);
    trade("ETHUSDT", "00:20:00");
    trade("ETHUSDT", "00:20:01");
    trade("ETHUSDT", "00:20:03");
    event("ETHUSDT", Trade.TABLE, StreamEventType.GAP, "00:20:03", 7L, 7L);
  }

  private void write() {
    try (LakeWriter writer =
        LakeWriter.builder(
                LakeCatalogs.open(CatalogSettings.embedded(folder.resolve("warehouse").toString())))
            .withoutWriteAheadLog()
            .build()) {
      writer.append(rows);
      writer.flush();
    }
  }

  /** Runs {@code lake status} on the period 00:00 to 01:00; options given replace those. */
  private CliRun status(String... optionsAndValues) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("--since", SINCE);
    options.put("--until", UNTIL);
    for (int i = 0; i < optionsAndValues.length; i += 2) {
      options.put(optionsAndValues[i], optionsAndValues[i + 1]);
    }
    List<String> args = new ArrayList<>(List.of("status"));
    options.forEach(
        (option, value) -> {
          args.add(option);
          args.add(value);
        });
    return CliRun.run(folder, args.toArray(String[]::new));
  }

  private JsonNode json(String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("--format", "json"));
    args.addAll(List.of(options));
    CliRun run = status(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    return new ObjectMapper().readTree(run.out());
  }

  private static JsonNode book(JsonNode document, String symbol) {
    for (JsonNode book : document.get("books")) {
      if (book.get("symbol").asText().equals(symbol)) {
        return book;
      }
    }
    throw new AssertionError("no book " + symbol + " in " + document);
  }

  @Test
  void theTableNamesEveryGapRestartGapAndResyncWithTheSpanItLeftUnvalidated() {
    knownPeriod();
    write();

    CliRun run = status();

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            String.join(
                "\n",
                "lake status 2026-11-29T00:00:00Z to 2026-11-29T01:00:00Z (1h 0m 0s, exchange"
                    + " time)",
                "",
                "EXCHANGE  MARKET  SYMBOL   VALIDATED  GAPS  RESTART GAPS  RESYNCS  ROWS",
                "binance   future  BTCUSDT  64.58%     1     1             3        orderbook_delta"
                    + " 10",
                "binance   future  ETHUSDT  98.33%     1     0             0       "
                    + " orderbook_delta 2, trades 3",
                "",
                "Events",
                "EXCHANGE  MARKET  SYMBOL   FEED             EVENT        TIME                 "
                    + " UPDATE IDS  DETAIL",
                "binance   future  BTCUSDT  orderbook_delta  resync       2026-11-29T00:00:10Z "
                    + " 100         resync of BTCUSDT",
                "binance   future  BTCUSDT  orderbook_delta  gap          2026-11-29T00:10:30Z "
                    + " 103..104    gap of BTCUSDT",
                "binance   future  BTCUSDT  orderbook_delta  resync       2026-11-29T00:11:00Z "
                    + " 110         resync of BTCUSDT",
                "binance   future  BTCUSDT  orderbook_delta  restart_gap  2026-11-29T00:40:00Z "
                    + " 113..119    restart_gap of BTCUSDT",
                "binance   future  BTCUSDT  orderbook_delta  resync       2026-11-29T00:40:05Z "
                    + " 121         resync of BTCUSDT",
                "binance   future  ETHUSDT  trades           gap          2026-11-29T00:20:03Z "
                    + " 7           gap of ETHUSDT",
                "",
                "Spans without validated deltas",
                "EXCHANGE  MARKET  SYMBOL   NOT VALIDATED FROM    TO                    LENGTH "
                    + " CAUSE",
                "binance   future  BTCUSDT  2026-11-29T00:00:00Z  2026-11-29T00:00:10Z  10s    "
                    + " not in sync when the period began",
                "binance   future  BTCUSDT  2026-11-29T00:10:00Z  2026-11-29T00:11:00Z  1m 0s  "
                    + " gap 103..104 at 2026-11-29T00:10:30Z",
                "binance   future  BTCUSDT  2026-11-29T00:30:00Z  2026-11-29T00:40:05Z  10m 5s "
                    + " restart_gap 113..119 at 2026-11-29T00:40:00Z",
                "binance   future  BTCUSDT  2026-11-29T00:50:00Z  2026-11-29T01:00:00Z  10m 0s "
                    + " no row after the last validated one",
                "binance   future  ETHUSDT  2026-11-29T00:59:00Z  2026-11-29T01:00:00Z  1m 0s  "
                    + " no row after the last validated one",
                ""));
  }

  @Test
  void theValidatedShareIsTheTimeFromEachResyncToTheLastRowBeforeTheNextBreak() throws Exception {
    knownPeriod();
    write();

    JsonNode document = json();

    assertThat(document.get("period_seconds").asDouble()).isEqualTo(3600.0);
    JsonNode btc = book(document, "BTCUSDT");
    assertThat(btc.get("validated_seconds").asDouble()).isEqualTo(590.0 + 1140.0 + 595.0);
    assertThat(btc.get("validated_share").asDouble()).isEqualTo(2325.0 / 3600.0);
  }

  @Test
  void aBookResyncedBeforeThePeriodIsValidatedFromItsStart() throws Exception {
    knownPeriod();
    write();

    JsonNode eth = book(json(), "ETHUSDT");

    assertThat(eth.get("validated_seconds").asDouble()).isEqualTo(3540.0);
  }

  @Test
  void aBookResyncedBeforeTheLookbackIsNotValidatedAtTheStart() throws Exception {
    knownPeriod();
    write();

    JsonNode eth = book(json("--lookback", "30s"), "ETHUSDT");

    assertThat(eth.get("validated_seconds").asDouble()).isZero();
    assertThat(eth.get("not_validated").get(0).get("from").asText()).isEqualTo(SINCE);
    assertThat(eth.get("not_validated").get(0).get("to").asText()).isEqualTo(UNTIL);
  }

  @Test
  void theJsonSpansCarryTheBreakThatCausedThemWithItsUpdateIds() throws Exception {
    knownPeriod();
    write();

    JsonNode span = book(json(), "BTCUSDT").get("not_validated").get(2);

    assertThat(span.get("from").asText()).isEqualTo("2026-11-29T00:30:00Z");
    assertThat(span.get("to").asText()).isEqualTo("2026-11-29T00:40:05Z");
    assertThat(span.get("seconds").asDouble()).isEqualTo(605.0);
    assertThat(span.get("cause").get("event").asText()).isEqualTo("restart_gap");
    assertThat(span.get("cause").get("from_update_id").asLong()).isEqualTo(113);
    assertThat(span.get("cause").get("to_update_id").asLong()).isEqualTo(119);
  }

  @Test
  void rowsPerTableCountOnlyThePeriodWhoseEndIsExclusive() throws Exception {
    knownPeriod();
    write();

    JsonNode document = json();

    assertThat(book(document, "BTCUSDT").get("rows").get("orderbook_delta").asLong()).isEqualTo(10);
    assertThat(book(document, "ETHUSDT").get("rows").get("orderbook_delta").asLong()).isEqualTo(2);
    assertThat(book(document, "ETHUSDT").get("rows").get("trades").asLong()).isEqualTo(3);
  }

  @Test
  void rowsDroppedByLakeEndTheValidatedTimeOfEveryBook() throws Exception {
    knownPeriod();
    rows.add(
        new StreamEvent(
            StreamEvent.LAKE,
            StreamEvent.ALL,
            StreamEvent.ALL,
            null,
            StreamEventType.DROPPED,
            "3 rows dropped",
            null,
            null,
            at("00:30:00"),
            at("00:30:00")));
    write();

    JsonNode document = json();

    // ETHUSDT: from 00:00 to its last row before the drop, 00:05; no resync after it
    assertThat(book(document, "ETHUSDT").get("validated_seconds").asDouble()).isEqualTo(300.0);
    assertThat(document.get("lake_events").get(0).get("event").asText()).isEqualTo("dropped");
  }

  @Test
  void theSymbolFilterReportsThatBookOnly() throws Exception {
    knownPeriod();
    write();

    JsonNode document = json("--symbol", "ETHUSDT");

    assertThat(document.get("books")).hasSize(1);
    assertThat(document.get("books").get(0).get("symbol").asText()).isEqualTo("ETHUSDT");
  }

  @Test
  void aPeriodThatEndsBeforeItStartsIsAUsageErrorNamingBothTimes() {
    knownPeriod();
    write();

    CliRun run = status("--since", "2026-11-29T02:00:00Z");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .startsWith(
            "lake: Invalid --since: 2026-11-29T02:00:00Z (expected a time before --until"
                + " 2026-11-29T01:00:00Z)");
  }

  @Test
  void aTimeWithoutItsZoneIsAUsageErrorSayingWhatIsExpected() {
    CliRun run = status("--until", "2026-11-29T01:00:00");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .startsWith(
            "lake: Invalid --until: 2026-11-29T01:00:00 (expected an ISO-8601 time with its zone,"
                + " e.g. 2026-11-29T00:00:00Z)");
  }

  @Test
  void anUnknownExchangeIsAUsageErrorNamingTheVenues() {
    CliRun run = status("--exchange", "bitmex");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .startsWith(
            "lake: Invalid --exchange: bitmex (expected one of binance, bybit, okx, kucoin,"
                + " coinbase, kraken)");
  }
}
