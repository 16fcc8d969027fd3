package dev.lake.cli;

import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.TableManager;
import dev.lake.core.write.RetiredWriters;
import dev.lake.core.write.WalLockedException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * {@code lake maintain --forget-writer ID}: removes a retired writer's position property from every
 * table. Refused while this machine's log folder ({@code sink.wal_dir}) belongs to that writer and
 * holds rows not yet committed, or is in use: forgetting them would make the next start of that log
 * commit them again.
 */
final class ForgetWriter {
  private static final Pattern WRITER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private ForgetWriter() {}

  /** Checks the id's form before anything is opened. */
  static void check(Setup setup, String writerId) {
    if (!WRITER_ID.matcher(writerId).matches()) {
      throw setup.usage(
          "Invalid writer id: '"
              + writerId
              + "' (expected the id in a table property lake.writer.<id>.wal-position, e.g."
              + " 0b7e2c1a-...)");
    }
  }

  /**
   * @return the exit code
   */
  static int run(Setup setup, TableManager tables, String writerId, boolean dryRun) {
    PrintWriter out = setup.out();
    PrintWriter err = setup.err();
    Optional<String> refusal = localRefusal(setup, tables, writerId);
    if (refusal.isPresent()) {
      err.println("lake: Cannot forget writer " + writerId + ": " + refusal.get());
      err.flush();
      return ExitCodes.FAILURE;
    }
    int forgotten = 0;
    for (TableDefinition<?> table : LakeTables.all()) {
      if (!tables.exists(table)) {
        continue;
      }
      org.apache.iceberg.Table loaded = tables.load(table);
      OptionalLong position =
          dryRun ? present(loaded, writerId) : RetiredWriters.forget(loaded, writerId);
      if (position.isPresent()) {
        forgotten++;
        out.println(
            (dryRun ? "Would forget" : "Forgot")
                + " writer "
                + writerId
                + " on "
                + tables.identifier(table)
                + " (position "
                + position.getAsLong()
                + ")");
      }
    }
    out.flush();
    if (forgotten == 0) {
      err.println(
          "lake: Cannot forget writer "
              + writerId
              + ": no table holds a position of it (expected the id in a table property"
              + " lake.writer.<id>.wal-position)");
      err.flush();
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }

  private static OptionalLong present(org.apache.iceberg.Table table, String writerId) {
    String value =
        table.properties().get(dev.lake.core.write.LakeWriter.positionProperty(writerId));
    return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
  }

  /** Why this machine's log folder keeps the writer from being forgotten, if it does. */
  private static Optional<String> localRefusal(Setup setup, TableManager tables, String writerId) {
    Path wal = setup.config().sink().walDirectory();
    if (!RetiredWriters.writerIdOf(wal).map(writerId::equals).orElse(false)) {
      return Optional.empty();
    }
    long rows;
    try {
      rows =
          RetiredWriters.uncommittedRows(
              wal,
              name ->
                  tables.load(
                      LakeTables.all().stream()
                          .filter(t -> t.name().equals(name))
                          .findFirst()
                          .orElseThrow()));
    } catch (WalLockedException e) {
      return Optional.of(
          "its write-ahead log at " + wal + " is in use by a running lake ingest (stop it first)");
    }
    if (rows > 0) {
      return Optional.of(
          "its write-ahead log at "
              + wal
              + " still holds "
              + rows
              + " rows not committed (run lake ingest on it and stop it with Ctrl-C, which commits"
              + " them, then forget it)");
    }
    return Optional.empty();
  }
}
