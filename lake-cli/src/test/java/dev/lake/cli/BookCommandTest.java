package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.write.LakeWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code lake book}: its output, and what it says about bad input and missing data. */
class BookCommandTest {
  private static final String NOON = "2026-11-29T12:00:00Z";
  private static final long ORIGIN = micros(NOON);

  @TempDir Path folder;

  private final List<LakeRow> rows = new ArrayList<>();

  private static long micros(String time) {
    Instant instant = Instant.parse(time);
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }

  private static long at(double seconds) {
    return ORIGIN + Math.round(seconds * 1_000_000);
  }

  /** Runs {@code lake book} on binance future BTCUSDT; options given replace those. */
  private CliRun book(String... optionsAndValues) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("--exchange", "binance");
    options.put("--market", "future");
    options.put("--symbol", "BTCUSDT");
    for (int i = 0; i < optionsAndValues.length; i += 2) {
      options.put(optionsAndValues[i], optionsAndValues[i + 1]);
    }
    List<String> args = new ArrayList<>(List.of("book"));
    options.forEach(
        (option, value) -> {
          args.add(option);
          args.add(value);
        });
    return CliRun.run(folder, args.toArray(String[]::new));
  }

  private void row(
      long id, double sent, double received, BookSide side, double price, double qty, boolean s) {
    rows.add(
        new OrderBookDelta(
            "binance",
            MarketType.FUTURE,
            "BTCUSDT",
            at(sent),
            id,
            side,
            price,
            qty,
            0,
            at(received),
            null,
            null,
            s));
  }

  /** A snapshot of two bids and two asks at 1 s, then two changes. */
  private void session() {
    row(100, 1, 1.001, BookSide.BID, 64999.5, 1.25, true);
    row(100, 1, 1.001, BookSide.BID, 64999, 0.00001, true);
    row(100, 1, 1.001, BookSide.ASK, 65000, 3, true);
    row(100, 1, 1.001, BookSide.ASK, 65000.5, 2, true);
    row(101, 2, 2.001, BookSide.BID, 64999.5, 0, false);
    row(102, 3, 3.5, BookSide.ASK, 65001, 7, false); // received long after it was sent
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

  @Test
  void theBookIsPrintedBestFirstWithTheSnapshotAndTheLastUpdateItStandsOn() {
    session();
    write();

    CliRun run = book("--at", "2026-11-29T12:00:05Z");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            String.join(
                "\n",
                "binance future BTCUSDT at 2026-11-29T12:00:05Z (exchange time)",
                "update id 102 at 2026-11-29T12:00:03Z, 2 rows applied on the snapshot",
                "snapshot id 100 at 2026-11-29T12:00:01Z, received 2026-11-29T12:00:01.001Z",
                "exact: no gap, restart gap, checksum mismatch or disconnect recorded after the"
                    + " snapshot",
                "",
                "BID QUANTITY  BID PRICE  ASK PRICE  ASK QUANTITY",
                "     0.00001      64999      65000             3",
                "                           65000.5             2",
                "                             65001             7",
                ""));
  }

  @Test
  void aGapAfterTheSnapshotIsNamedAndTheBookMarkedNotExact() {
    session();
    rows.add(
        new StreamEvent(
            "binance",
            "future",
            OrderBookDelta.TABLE,
            "BTCUSDT",
            StreamEventType.GAP,
            "event U=103 pu=102 does not follow u=101",
            101L,
            102L,
            at(2.5),
            at(2.6)));
    write();

    CliRun run = book("--at", "2026-11-29T12:00:05Z");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "NOT exact: gap ids 101..102 at 2026-11-29T12:00:02.500Z after the snapshot; the book"
                + " may be wrong");
  }

  @Test
  void byReceiveTimeARowSentBeforeTButReceivedAfterItIsLeftOut() {
    session();
    write();

    CliRun run = book("--at", "2026-11-29T12:00:03.100Z", "--by", "receive", "--format", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("\"by\" : \"receive\"")
        .contains("\"update_id\" : 101,")
        .doesNotContain("65001");
  }

  @Test
  void aVenueResetIsRecognisedWhenTheSnapshotBeforeItIsOlderThanTheLookback() {
    row(500, 1, 1, BookSide.BID, 100, 1, true);
    row(501, 2, 2, BookSide.BID, 99, 4, false);
    row(1, 10, 10, BookSide.BID, 90, 1, true); // the venue restarted its ids
    row(2, 11, 11, BookSide.BID, 89, 2, false);
    write();

    CliRun run = book("--at", "2026-11-29T12:00:12Z", "--lookback", "5s", "--format", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("\"update_id\" : 2,")
        .contains("\"price\" : 90.0")
        .contains("\"price\" : 89.0")
        .doesNotContain("\"price\" : 99.0");
  }

  @Test
  void anAtThatIsNotATimeIsAUsageErrorNamingTheExpectedForm() {
    CliRun run = book("--at", "yesterday");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .startsWith(
            "lake: Invalid --at: yesterday (expected an ISO-8601 time with its zone, e.g."
                + " 2026-11-29T12:00:00Z")
        .contains("Try 'lake book --help' for usage.");
  }

  @Test
  void anUnknownExchangeIsAUsageErrorNamingTheKnownOnes() {
    CliRun run = book("--exchange", "binanse", "--at", NOON);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("lake: Invalid --exchange: binanse (expected one of binance");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--market   | perp   | Invalid --market: perp (expected spot or future)",
        "--depth    | 0      | Invalid --depth: 0 (expected 1 or more)",
        "--format   | xml    | Invalid --format: xml (expected table or json)",
        "--by       | local  | Invalid --by: local (expected exchange or receive)",
        "--lookback | 0h     | Invalid --lookback: 0h (expected a number and a unit",
        "--lookback | a day  | Invalid --lookback: a day (expected a number and a unit",
      })
  void aBadOptionValueIsAUsageErrorNamingTheValueAndWhatWasExpected(
      String option, String value, String message) {
    CliRun run = book("--at", NOON, option, value);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("lake: " + message);
  }

  @Test
  void noSnapshotWithinTheLookbackBeforeTExitsOneAndSaysSo() {
    session();
    write();

    CliRun run = book("--at", "2026-11-30T12:00:01.500Z");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err())
        .isEqualTo(
            "lake: Cannot rebuild binance future BTCUSDT at 2026-11-30T12:00:01.500Z: no snapshot"
                + " of the book in the 24h before it (--lookback)\n");
    assertThat(book("--at", "2026-11-30T12:00:01.500Z", "--lookback", "2d").exitCode()).isZero();
  }

  @Test
  void whereThereIsNoCatalogNoneIsCreated() {
    CliRun run = book("--at", NOON);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err()).startsWith("lake: Cannot open the embedded catalog: no ");
    assertThat(folder.resolve("warehouse")).doesNotExist();
  }
}
