package dev.lake.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.exchanges.Venues;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** {@code lake status}: the completeness of a period, from the tables alone. */
@Command(
    name = "status",
    description = {
      "Report the completeness of a period from the tables alone (no running lake needed): per"
          + " exchange, market and symbol, the rows of every table, every gap, restart gap,"
          + " checksum mismatch and resync with the span it left unvalidated, and the share of the"
          + " period covered by validated order book deltas (the rule is in the README, \"lake"
          + " status\").",
      "Times are exchange times (the timestamp column); only the partitions of the period are"
          + " read.",
      "Exit codes: 0 the report was printed, 1 the tables cannot be read, 2 a bad option value."
    })
public final class StatusCommand extends LakeSubcommand {
  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final int DETAIL_WIDTH = 72;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Start of the period (inclusive): an ISO-8601 time with its zone, e.g."
              + " 2026-11-29T00:00:00Z (default: 24 hours before --until).")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "End of the period (exclusive), ISO-8601 with its zone (default: now).")
  String until;

  @Option(
      names = "--exchange",
      paramLabel = "NAME",
      description = "Only this venue, lower case, e.g. binance.")
  String exchange;

  @Option(names = "--market", paramLabel = "MARKET", description = "Only spot or future.")
  String market;

  @Option(
      names = "--symbol",
      paramLabel = "SYMBOL",
      description = "Only this symbol, the venue's own text, e.g. BTCUSDT.")
  String symbol;

  @Option(
      names = "--format",
      defaultValue = "table",
      paramLabel = "FORMAT",
      description = "table (default) or json (stable field names, for scripts).")
  String format;

  @Option(
      names = "--lookback",
      defaultValue = "24h",
      paramLabel = "DURATION",
      description =
          "How far before --since to look for each book's last resync or break, to tell whether"
              + " it was validated when the period began (default: ${DEFAULT-VALUE}).")
  String lookback;

  public StatusCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Setup setup) {
    long untilMicros = until == null ? micros(Instant.now()) : time("--until", until);
    long sinceMicros =
        since == null
            ? untilMicros - Duration.ofHours(24).toNanos() / 1_000
            : time("--since", since);
    if (sinceMicros >= untilMicros) {
      throw setup.usage(
          "Invalid --since: "
              + text(sinceMicros)
              + " (expected a time before --until "
              + text(untilMicros)
              + ")");
    }
    StatusReport.Scope scope =
        new StatusReport.Scope(
            sinceMicros, untilMicros, lookbackMicros(), exchange(), market(), symbol);
    boolean json = json();
    StatusReport.Result result = StatusReport.of(setup.existingTables(), scope);
    if (json) {
      printJson(result);
    } else {
      printTable(result);
    }
    context.out().flush();
    return ExitCodes.OK;
  }

  private void printTable(StatusReport.Result result) {
    PrintWriter out = context.out();
    StatusReport.Scope scope = result.scope();
    out.println(
        "lake status "
            + text(scope.sinceMicros())
            + " to "
            + text(scope.untilMicros())
            + " ("
            + duration(scope.untilMicros() - scope.sinceMicros())
            + ", exchange time)");
    if (result.books().isEmpty() && result.lakeEvents().isEmpty()) {
      out.println("no rows and no events in the period");
      return;
    }
    out.println();
    TextTable summary =
        new TextTable(
            "EXCHANGE", "MARKET", "SYMBOL", "VALIDATED", "GAPS", "RESTART GAPS", "RESYNCS", "ROWS");
    for (StatusReport.Book book : result.books()) {
      summary.row(
          book.key.exchange(),
          book.key.market(),
          book.key.symbol(),
          book.hasBook() ? percent(book.validatedMicros, scope) : null,
          book.count(StreamEventType.GAP),
          book.count(StreamEventType.RESTART_GAP),
          book.count(StreamEventType.RESYNC),
          rows(book.rows));
    }
    summary.print(out, "");
    printEvents(out, result);
    printSpans(out, result);
  }

  private static void printEvents(PrintWriter out, StatusReport.Result result) {
    TextTable events =
        new TextTable(
            "EXCHANGE", "MARKET", "SYMBOL", "FEED", "EVENT", "TIME", "UPDATE IDS", "DETAIL");
    int count = 0;
    for (StatusReport.Book book : result.books()) {
      for (StreamEvent event : book.events) {
        events.row(
            book.key.exchange(),
            book.key.market(),
            book.key.symbol(),
            event.dataType(),
            event.event().text(),
            text(event.timestampMicros()),
            ids(event),
            StreamEvent.truncate(event.detail(), DETAIL_WIDTH));
        count++;
      }
    }
    for (StreamEvent event : result.lakeEvents()) {
      events.row(
          event.exchange(),
          event.marketType(),
          event.symbol(),
          event.dataType(),
          event.event().text(),
          text(event.timestampMicros()),
          ids(event),
          StreamEvent.truncate(event.detail(), DETAIL_WIDTH));
      count++;
    }
    if (count > 0) {
      out.println();
      out.println("Events");
      events.print(out, "");
    }
  }

  private static void printSpans(PrintWriter out, StatusReport.Result result) {
    TextTable spans =
        new TextTable(
            "EXCHANGE", "MARKET", "SYMBOL", "NOT VALIDATED FROM", "TO", "LENGTH", "CAUSE");
    int count = 0;
    for (StatusReport.Book book : result.books()) {
      for (StatusReport.Span span : book.unvalidated) {
        spans.row(
            book.key.exchange(),
            book.key.market(),
            book.key.symbol(),
            text(span.fromMicros()),
            text(span.toMicros()),
            duration(span.toMicros() - span.fromMicros()),
            cause(span, result.scope()));
        count++;
      }
    }
    if (count > 0) {
      out.println();
      out.println("Spans without validated deltas");
      spans.print(out, "");
    }
  }

  private static String cause(StatusReport.Span span, StatusReport.Scope scope) {
    StreamEvent event = span.cause();
    if (event != null) {
      String ids = ids(event);
      return event.event().text()
          + (ids == null ? "" : " " + ids)
          + " at "
          + text(event.timestampMicros());
    }
    return span.fromMicros() == scope.sinceMicros()
        ? "not in sync when the period began"
        : "no row after the last validated one";
  }

  private void printJson(StatusReport.Result result) {
    StatusReport.Scope scope = result.scope();
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("since", text(scope.sinceMicros()));
    document.put("until", text(scope.untilMicros()));
    document.put("period_seconds", seconds(scope.untilMicros() - scope.sinceMicros()));
    List<Map<String, Object>> books = new ArrayList<>();
    for (StatusReport.Book book : result.books()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("exchange", book.key.exchange());
      entry.put("market", book.key.market());
      entry.put("symbol", book.key.symbol());
      entry.put("rows", book.rows);
      entry.put("validated_seconds", book.hasBook() ? seconds(book.validatedMicros) : null);
      entry.put("validated_share", book.hasBook() ? share(book.validatedMicros, scope) : null);
      entry.put("events", book.events.stream().map(StatusCommand::event).toList());
      List<Map<String, Object>> spans = new ArrayList<>();
      for (StatusReport.Span span : book.unvalidated) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("from", text(span.fromMicros()));
        item.put("to", text(span.toMicros()));
        item.put("seconds", seconds(span.toMicros() - span.fromMicros()));
        item.put("cause", span.cause() == null ? null : event(span.cause()));
        spans.add(item);
      }
      entry.put("not_validated", spans);
      books.add(entry);
    }
    document.put("books", books);
    document.put("lake_events", result.lakeEvents().stream().map(StatusCommand::event).toList());
    try {
      context
          .out()
          .println(
              new ObjectMapper()
                  .enable(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(document));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the status as JSON: " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> event(StreamEvent event) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("feed", event.dataType());
    item.put("event", event.event().text());
    item.put("timestamp", text(event.timestampMicros()));
    item.put("local_timestamp", text(event.localTimestampMicros()));
    item.put("from_update_id", event.fromUpdateId());
    item.put("to_update_id", event.toUpdateId());
    item.put("detail", event.detail());
    return item;
  }

  private static String ids(StreamEvent event) {
    Long from = event.fromUpdateId();
    Long to = event.toUpdateId();
    if (from == null && to == null) {
      return null;
    }
    if (from == null || from.equals(to)) {
      return String.valueOf(to);
    }
    return from + ".." + (to == null ? "" : to);
  }

  private static String rows(Map<String, Long> rows) {
    List<String> parts = new ArrayList<>();
    rows.forEach(
        (table, count) -> {
          if (count > 0) {
            parts.add(table + " " + count);
          }
        });
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  private static String percent(long micros, StatusReport.Scope scope) {
    return String.format(Locale.ROOT, "%.2f%%", share(micros, scope) * 100);
  }

  private static double share(long micros, StatusReport.Scope scope) {
    return (double) micros / (scope.untilMicros() - scope.sinceMicros());
  }

  private static double seconds(long micros) {
    return micros / (double) MICROS_PER_SECOND;
  }

  /** A length as 1d 2h 3m 4.5s, leaving out leading zero units. */
  static String duration(long micros) {
    long seconds = micros / MICROS_PER_SECOND;
    long fraction = micros % MICROS_PER_SECOND;
    StringBuilder text = new StringBuilder();
    long[] amounts = {seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60};
    String[] units = {"d", "h", "m"};
    for (int i = 0; i < amounts.length; i++) {
      if (amounts[i] > 0 || text.length() > 0) {
        text.append(amounts[i]).append(units[i]).append(' ');
      }
    }
    String secondsText =
        fraction == 0
            ? Long.toString(seconds % 60)
            : new java.math.BigDecimal(seconds % 60 * MICROS_PER_SECOND + fraction)
                .movePointLeft(6)
                .stripTrailingZeros()
                .toPlainString();
    return text.append(secondsText).append('s').toString();
  }

  private long time(String option, String value) {
    try {
      return micros(OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeParseException e) {
      throw invalid(option, value, "an ISO-8601 time with its zone, e.g. 2026-11-29T00:00:00Z");
    }
  }

  private long lookbackMicros() {
    Duration duration;
    try {
      duration = new DurationConverter().convert(lookback);
    } catch (TypeConversionException e) {
      throw invalid("--lookback", lookback, "a number and a unit: ms, s, m, h or d, e.g. 24h");
    }
    return duration.toNanos() / 1_000;
  }

  private String exchange() {
    if (exchange != null && Venues.byName(exchange) == null) {
      throw invalid("--exchange", exchange, "one of " + String.join(", ", Venues.names()));
    }
    return exchange;
  }

  private String market() {
    if (market == null) {
      return null;
    }
    try {
      return MarketType.fromText(market).text();
    } catch (IllegalArgumentException e) {
      throw invalid("--market", market, "spot or future");
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

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * MICROS_PER_SECOND + instant.getNano() / 1_000;
  }

  /** A time as ISO-8601 in UTC, with as many fraction digits as it has (to microseconds). */
  private static String text(long micros) {
    return Instant.ofEpochSecond(
            Math.floorDiv(micros, MICROS_PER_SECOND),
            Math.floorMod(micros, MICROS_PER_SECOND) * 1_000L)
        .toString();
  }
}
