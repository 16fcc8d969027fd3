package dev.lake.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableManager;
import dev.lake.exchanges.Venues;
import dev.lake.exchanges.book.BookReplay;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** {@code lake book}: one order book at a time T, rebuilt from {@code orderbook_delta}. */
@Command(
    name = "book",
    description = {
      "Print an order book as it was at a time T, rebuilt from the orderbook_delta table: the"
          + " latest snapshot of the book at or before T, then the changes after it in receive"
          + " order (the rule is in the README, \"No silent gaps\").",
      "T is exchange time (the timestamp column) unless --by receive, which uses lake's receive"
          + " time (local_timestamp) for the cut-off and the choice of snapshot.",
      "Also prints the snapshot the book stands on, the last update applied, and whether the span"
          + " from the snapshot to T is exact: NOT exact when stream_events records a gap, a"
          + " restart gap, a checksum mismatch or a disconnect in it.",
      "Exit codes: 0 the book was printed (exact or not), 1 no snapshot of the book within"
          + " --lookback before T, or the tables cannot be read, 2 a bad option value."
    })
public final class BookCommand extends LakeSubcommand {

  @Option(
      names = "--exchange",
      required = true,
      paramLabel = "NAME",
      description = "The venue, lower case, e.g. binance.")
  String exchange;

  @Option(
      names = "--market",
      required = true,
      paramLabel = "MARKET",
      description = "spot or future.")
  String market;

  @Option(
      names = "--symbol",
      required = true,
      paramLabel = "SYMBOL",
      description = "The venue's own symbol, e.g. BTCUSDT.")
  String symbol;

  @Option(
      names = "--at",
      required = true,
      paramLabel = "TIME",
      description = "T: an ISO-8601 time with its zone, e.g. 2026-11-29T12:00:00Z.")
  String at;

  @Option(
      names = "--by",
      defaultValue = "exchange",
      paramLabel = "CLOCK",
      description =
          "exchange (default): T is the venue's time (timestamp); receive: T is lake's receive"
              + " time (local_timestamp).")
  String by;

  @Option(
      names = "--depth",
      defaultValue = "20",
      paramLabel = "LEVELS",
      description = "Levels printed per side (default: ${DEFAULT-VALUE}).")
  int depth;

  @Option(
      names = "--format",
      defaultValue = "table",
      paramLabel = "FORMAT",
      description = "table (default) or json.")
  String format;

  @Option(
      names = "--lookback",
      defaultValue = "24h",
      paramLabel = "DURATION",
      description =
          "How far before T to look for the book's snapshot, e.g. 6h, 7d (default: ${DEFAULT-VALUE}).")
  String lookback;

  public BookCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Setup setup) {
    MarketType marketType = marketType();
    long atMicros = atMicros();
    BookRows.Clock clock = clock();
    long lookbackMicros = lookbackMicros();
    checkExchange();
    checkDepth();
    boolean json = json();

    TableManager tables = setup.existingTables();
    BookRows source =
        new BookRows(
            tables.load(LakeTables.ORDERBOOK_DELTA),
            tables.load(LakeTables.STREAM_EVENTS),
            exchange,
            marketType,
            symbol,
            clock);
    Optional<BookReplay.Rebuilt> rebuilt =
        source.rowsAt(atMicros, lookbackMicros).flatMap(rows -> rebuild(rows, clock, atMicros));
    if (rebuilt.isEmpty()) {
      context
          .err()
          .println(
              "lake: Cannot rebuild "
                  + exchange
                  + " "
                  + marketType.text()
                  + " "
                  + symbol
                  + " at "
                  + time(atMicros)
                  + ": no snapshot of the book in the "
                  + lookback
                  + " before it (--lookback)");
      return ExitCodes.FAILURE;
    }
    List<StreamEvent> events = source.eventsAfter(rebuilt.get().snapshot(), atMicros);
    if (json) {
      printJson(rebuilt.get(), events, atMicros, clock);
    } else {
      printTable(rebuilt.get(), events, atMicros, clock);
    }
    context.out().flush();
    return ExitCodes.OK;
  }

  private static Optional<BookReplay.Rebuilt> rebuild(
      List<OrderBookDelta> rows, BookRows.Clock clock, long atMicros) {
    return clock == BookRows.Clock.EXCHANGE
        ? BookReplay.rebuild(rows, atMicros)
        : BookReplay.rebuildByReceiveTime(rows, atMicros);
  }

  private void printTable(
      BookReplay.Rebuilt rebuilt, List<StreamEvent> events, long atMicros, BookRows.Clock clock) {
    PrintWriter out = context.out();
    BookReplay.Snapshot snapshot = rebuilt.snapshot();
    out.println(
        exchange
            + " "
            + market
            + " "
            + symbol
            + " at "
            + time(atMicros)
            + (clock == BookRows.Clock.EXCHANGE ? " (exchange time)" : " (receive time)"));
    out.println(
        "update id "
            + rebuilt.updateId()
            + " at "
            + time(rebuilt.updateTimestampMicros())
            + ", "
            + rebuilt.rowsApplied()
            + " rows applied on the snapshot");
    out.println(
        "snapshot id "
            + snapshot.updateId()
            + " at "
            + time(snapshot.timestampMicros())
            + ", received "
            + time(snapshot.localTimestampMicros()));
    out.println(exactness(events));
    out.println();
    List<PriceLevel> bids = rebuilt.book().top(BookSide.BID, depth);
    List<PriceLevel> asks = rebuilt.book().top(BookSide.ASK, depth);
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"BID QUANTITY", "BID PRICE", "ASK PRICE", "ASK QUANTITY"});
    for (int i = 0; i < Math.max(bids.size(), asks.size()); i++) {
      PriceLevel bid = i < bids.size() ? bids.get(i) : null;
      PriceLevel ask = i < asks.size() ? asks.get(i) : null;
      lines.add(
          new String[] {
            bid == null ? "" : number(bid.quantity()),
            bid == null ? "" : number(bid.price()),
            ask == null ? "" : number(ask.price()),
            ask == null ? "" : number(ask.quantity())
          });
    }
    printRightAligned(out, lines);
  }

  /** "exact", or "NOT exact" with what was recorded between the snapshot and T. */
  private static String exactness(List<StreamEvent> events) {
    if (events.isEmpty()) {
      return "exact: no gap, restart gap, checksum mismatch or disconnect recorded after the"
          + " snapshot";
    }
    List<String> described = new ArrayList<>();
    for (StreamEvent event : events) {
      described.add(describe(event));
    }
    return "NOT exact: "
        + String.join(", ", described)
        + " after the snapshot; the book may be wrong";
  }

  private static String describe(StreamEvent event) {
    StringBuilder text = new StringBuilder(event.event().text());
    if (event.fromUpdateId() != null && event.toUpdateId() != null) {
      text.append(" ids ").append(event.fromUpdateId());
      if (!event.fromUpdateId().equals(event.toUpdateId())) {
        text.append("..").append(event.toUpdateId());
      }
    }
    text.append(" at ").append(time(event.timestampMicros()));
    return text.toString();
  }

  private static void printRightAligned(PrintWriter out, List<String[]> lines) {
    int[] widths = new int[lines.get(0).length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (String[] line : lines) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        text.append(i == 0 ? "" : "  ").append(" ".repeat(widths[i] - line[i].length()));
        text.append(line[i]);
      }
      out.println(text.toString().stripTrailing());
    }
  }

  private void printJson(
      BookReplay.Rebuilt rebuilt, List<StreamEvent> events, long atMicros, BookRows.Clock clock) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("exchange", exchange);
    document.put("market", market);
    document.put("symbol", symbol);
    document.put("at", time(atMicros));
    document.put("by", clock == BookRows.Clock.EXCHANGE ? "exchange" : "receive");
    document.put("update_id", rebuilt.updateId());
    document.put("update_timestamp", time(rebuilt.updateTimestampMicros()));
    document.put("rows_applied", rebuilt.rowsApplied());
    Map<String, Object> snapshot = new LinkedHashMap<>();
    snapshot.put("update_id", rebuilt.snapshot().updateId());
    snapshot.put("timestamp", time(rebuilt.snapshot().timestampMicros()));
    snapshot.put("local_timestamp", time(rebuilt.snapshot().localTimestampMicros()));
    document.put("snapshot", snapshot);
    document.put("exact", events.isEmpty());
    List<Map<String, Object>> gaps = new ArrayList<>();
    for (StreamEvent event : events) {
      Map<String, Object> gap = new LinkedHashMap<>();
      gap.put("event", event.event().text());
      gap.put("timestamp", time(event.timestampMicros()));
      gap.put("local_timestamp", time(event.localTimestampMicros()));
      gap.put("from_update_id", event.fromUpdateId());
      gap.put("to_update_id", event.toUpdateId());
      gap.put("detail", event.detail());
      gaps.add(gap);
    }
    document.put("gaps", gaps);
    document.put("bids", levels(rebuilt.book().top(BookSide.BID, depth)));
    document.put("asks", levels(rebuilt.book().top(BookSide.ASK, depth)));
    try {
      context
          .out()
          .println(
              new ObjectMapper()
                  .enable(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(document));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the book as JSON: " + e.getMessage(), e);
    }
  }

  private static List<Map<String, Double>> levels(List<PriceLevel> levels) {
    List<Map<String, Double>> result = new ArrayList<>(levels.size());
    for (PriceLevel level : levels) {
      Map<String, Double> entry = new LinkedHashMap<>();
      entry.put("price", level.price());
      entry.put("quantity", level.quantity());
      result.add(entry);
    }
    return result;
  }

  private MarketType marketType() {
    try {
      return MarketType.fromText(market);
    } catch (IllegalArgumentException e) {
      throw invalid("--market", market, "spot or future");
    }
  }

  private long atMicros() {
    try {
      Instant instant = OffsetDateTime.parse(at).toInstant();
      return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    } catch (DateTimeParseException e) {
      throw invalid(
          "--at",
          at,
          "an ISO-8601 time with its zone, e.g. 2026-11-29T12:00:00Z or"
              + " 2026-11-29T13:00:00.250+01:00");
    }
  }

  private BookRows.Clock clock() {
    return switch (by) {
      case "exchange" -> BookRows.Clock.EXCHANGE;
      case "receive" -> BookRows.Clock.RECEIVE;
      default -> throw invalid("--by", by, "exchange or receive");
    };
  }

  private long lookbackMicros() {
    Duration duration;
    try {
      duration = new DurationConverter().convert(lookback);
    } catch (TypeConversionException e) {
      duration = Duration.ZERO;
    }
    if (duration.isZero()) {
      throw invalid("--lookback", lookback, "a number and a unit: ms, s, m, h or d, e.g. 24h");
    }
    return duration.toNanos() / 1_000;
  }

  private void checkExchange() {
    if (Venues.byName(exchange) == null) {
      throw invalid("--exchange", exchange, "one of " + String.join(", ", Venues.names()));
    }
  }

  private void checkDepth() {
    if (depth < 1) {
      throw invalid("--depth", Integer.toString(depth), "1 or more");
    }
  }

  private boolean json() {
    return switch (format) {
      case "table" -> false;
      case "json" -> true;
      default -> throw invalid("--format", format, "table or json");
    };
  }

  private ParameterException invalid(String option, String value, String expected) {
    return new ParameterException(
        spec.commandLine(), "Invalid " + option + ": " + value + " (expected " + expected + ")");
  }

  /** A number as written, without exponent or trailing zeros: 0.00001, 65000, 0.5. */
  private static String number(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** A time as ISO-8601 in UTC, with as many fraction digits as it has (to microseconds). */
  private static String time(long micros) {
    return Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L)
        .toString();
  }
}
