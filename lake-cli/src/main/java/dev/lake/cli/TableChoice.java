package dev.lake.cli;

import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which of lake's tables a command works on: {@code --table}, repeatable, default all. */
final class TableChoice {
  @Option(
      names = "--table",
      paramLabel = "TABLE",
      description = "A table to work on (repeatable; default: all of them).")
  List<String> names = new ArrayList<>();

  /** The chosen tables; an unknown name is a usage error. */
  List<TableDefinition<?>> tables(Setup setup) {
    if (names.isEmpty()) {
      return LakeTables.all();
    }
    List<TableDefinition<?>> chosen = new ArrayList<>();
    for (String name : names) {
      try {
        chosen.add(LakeTables.byName(name));
      } catch (IllegalArgumentException e) {
        throw setup.usage(e.getMessage());
      }
    }
    return chosen;
  }
}
