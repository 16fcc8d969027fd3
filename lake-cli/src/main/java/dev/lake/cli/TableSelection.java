package dev.lake.cli;

import dev.lake.core.table.TableDefinition;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which tables and rows a maintenance command works on: {@code --table}, {@code --since}, {@code
 * --until}, {@code --where}.
 */
public final class TableSelection {
  @Mixin TableChoice choice;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Only partitions from this time on: 2025-08-05, 2025-08-05T13:00:00Z, or an age such as 24h, 7d.")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "Only partitions before this time (same forms as --since).")
  String until;

  @Option(
      names = "--where",
      paramLabel = "COLUMN=VALUE",
      description =
          "Only rows where a column equals a value, e.g. exchange=binance, symbol=BTCUSDT (repeatable).")
  List<String> where = new ArrayList<>();

  /** The chosen tables; unknown names are usage errors. */
  List<TableDefinition<?>> tables(Setup setup) {
    return choice.tables(setup);
  }

  /** The row filter for one table. */
  Expression filter(Setup setup, TableDefinition<?> table) {
    Expression filter = Expressions.alwaysTrue();
    if (since != null) {
      filter =
          Expressions.and(
              filter,
              Expressions.greaterThanOrEqual(
                  TableDefinition.TIME_COLUMN, micros(setup, "--since", since)));
    }
    if (until != null) {
      filter =
          Expressions.and(
              filter,
              Expressions.lessThan(TableDefinition.TIME_COLUMN, micros(setup, "--until", until)));
    }
    for (String condition : where) {
      int equals = condition.indexOf('=');
      if (equals <= 0) {
        throw setup.usage("Invalid --where: " + condition + " (expected COLUMN=VALUE)");
      }
      String column = condition.substring(0, equals).trim();
      String value = condition.substring(equals + 1).trim();
      // the delta table calls its market column "market": one filter serves every table
      if (column.equals("market_type") && table.schema().findField("market_type") == null) {
        column = "market";
      } else if (column.equals("market") && table.schema().findField("market") == null) {
        column = "market_type";
      }
      if (table.schema().findField(column) == null) {
        throw setup.usage("Invalid --where: column " + column + " is not in table " + table.name());
      }
      filter = Expressions.and(filter, Expressions.equal(column, value));
    }
    return filter;
  }

  private static long micros(Setup setup, String option, String text) {
    Instant instant;
    try {
      if (text.matches("\\d+[smhd]")) {
        instant = Instant.now().minus(new DurationConverter().convert(text));
      } else if (text.length() == 10) {
        instant = LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } else {
        instant = Instant.parse(text);
      }
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw setup.usage(
          "Invalid "
              + option
              + ": "
              + text
              + " (expected a date 2025-08-05, a time 2025-08-05T13:00:00Z, or an age such as 24h)");
    }
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
  }
}
