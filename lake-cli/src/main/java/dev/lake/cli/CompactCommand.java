package dev.lake.cli;

import dev.lake.core.maintenance.Compaction;
import dev.lake.core.maintenance.CompactionResult;
import dev.lake.core.maintenance.ReplacedFiles;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.TableManager;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code lake compact}: rewrites small files per partition into files near the target size. */
@Command(
    name = "compact",
    description = {
      "Rewrite small data files into files near the target size, per partition, rows in the"
          + " table's sort order. Safe beside a running lake ingest: appends made meanwhile are"
          + " kept; a group another compaction rewrote first fails cleanly and the rest goes on."
          + " Every group is verified (row count and checksum) before it is committed.",
      "The files it replaced are deleted once --grace has passed since their replacement was"
          + " committed (it waits for that), so that queries which started before can finish;"
          + " until then, readers of the Parquet files by path see both.",
      "Add --expire-snapshots, --rewrite-manifests and --remove-orphans to run maintenance after"
          + " (see lake maintain for its settings)."
    })
public final class CompactCommand extends LakeSubcommand {
  @Mixin TableSelection selection;

  @Option(
      names = "--target-file-size",
      paramLabel = "SIZE",
      converter = SizeConverter.class,
      description =
          "Size of the files written (default: the table's write.target-file-size-bytes, 128 MiB).")
  Long targetFileSize;

  @Option(
      names = "--small-file-size",
      paramLabel = "SIZE",
      converter = SizeConverter.class,
      description =
          "Files smaller than this are rewritten (default: a quarter of the target size).")
  Long smallFileSize;

  @Option(
      names = "--max-group-rows",
      paramLabel = "ROWS",
      defaultValue = "4000000",
      description =
          "Most rows held in memory at once, by one group or by the groups rewritten in parallel;"
              + " they are sorted in memory (default: ${DEFAULT-VALUE}, about 1 GiB of heap).")
  long maxGroupRows;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Groups rewritten at once, within --max-group-rows (default: the cores, at most 4).")
  Integer threads;

  @Option(
      names = "--groups-per-commit",
      paramLabel = "N",
      defaultValue = "100",
      description =
          "Groups committed together, at least; more when a table has over 10 times as many"
              + " groups, so that it makes at most 10 commits; a commit that conflicts is retried"
              + " group by group (default: ${DEFAULT-VALUE}).")
  int groupsPerCommit;

  @Option(
      names = "--include-current",
      description =
          "Also rewrite the current hour's (or day's) partitions, which ingest may still be filling.")
  boolean includeCurrent;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      converter = GraceConverter.class,
      defaultValue = "2m",
      description =
          "How long the replaced files stay after the rewrite is committed, for queries planned"
              + " before it; then they are deleted (default: ${DEFAULT-VALUE}; 0: at once).")
  Duration grace;

  @Option(names = "--dry-run", description = "Plan and report; change nothing.")
  boolean dryRun;

  @ArgGroup(exclusive = false)
  MaintenanceSteps steps = new MaintenanceSteps();

  public CompactCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Setup setup) {
    setup.config(); // a bad configuration is reported before a bad --table, as lake maintain does
    List<TableDefinition<?>> chosen = selection.tables(setup);
    chosen.forEach(table -> selection.filter(setup, table));
    TableManager tables = setup.existingTables();
    PrintWriter out = setup.out();
    Progress progress = new Progress(out, context.isTerminal());
    int groupsInError = 0;
    long currentFiles = 0;
    int currentPartitions = 0;
    TextTable summary =
        new TextTable(
            "TABLE",
            "GROUPS",
            "DONE",
            "FAILED",
            "FILES BEFORE",
            "FILES AFTER",
            "BYTES BEFORE",
            "BYTES AFTER");
    for (TableDefinition<?> table : chosen) {
      Compaction.Builder compaction = configure(setup, Compaction.builder(tables), table, progress);
      for (CompactionResult.TableResult result : compaction.build().run().tables()) {
        summary.row(
            result.table(),
            result.groups(),
            result.groupsCommitted(),
            result.groupsFailed(),
            result.filesBefore(),
            result.filesAfter(),
            TextTable.bytes(result.bytesBefore()),
            TextTable.bytes(result.bytesAfter()));
        currentFiles += result.currentFilesSkipped();
        currentPartitions += result.currentPartitionsSkipped();
        // a group another change rewrote first is planned again next time: not a failure
        groupsInError += result.groupsInError();
      }
    }
    progress.finishLine();
    out.println(dryRun ? "Dry run: nothing was changed." : "Compaction done.");
    summary.print(out, "");
    if (currentFiles > 0) {
      out.println(
          "Left alone: "
              + currentFiles
              + (currentFiles == 1 ? " file in " : " files in ")
              + currentPartitions
              + (currentPartitions == 1 ? " partition" : " partitions")
              + " of the current hour (or day), which lake ingest may still be filling;"
              + " they are compacted once it has passed (--include-current to rewrite them now).");
    }
    Compaction removal =
        Compaction.builder(tables).tables(chosen).replacedFilesGrace(grace).build();
    if (dryRun) {
      reportReplacedFiles(out, removal.replacedFiles());
    } else if (!removeReplacedFiles(out, removal)) {
      out.flush();
      return ExitCodes.FAILURE;
    }
    if (steps.any()) {
      steps.run(setup, tables, chosen, dryRun);
    }
    out.flush();
    return groupsInError > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
  }

  /** The options on a builder; a value the builder refuses is a usage error (exit 2). */
  private Compaction.Builder configure(
      Setup setup, Compaction.Builder compaction, TableDefinition<?> table, Progress progress) {
    try {
      compaction
          .tables(List.of(table))
          .filter(selection.filter(setup, table))
          .listener(progress)
          .maxGroupRows(maxGroupRows)
          .groupsPerCommit(groupsPerCommit)
          .replacedFilesGrace(grace);
      if (threads != null) {
        compaction.threads(threads);
      }
      if (targetFileSize != null) {
        compaction.targetFileBytes(targetFileSize);
      }
      if (smallFileSize != null) {
        compaction.smallFileBytes(smallFileSize);
      }
    } catch (IllegalArgumentException e) {
      throw setup.usage(e.getMessage());
    }
    if (includeCurrent) {
      compaction.includeCurrentPartitions();
    }
    if (dryRun) {
      compaction.dryRun();
    }
    return compaction;
  }

  /**
   * Waits for the grace of the replaced files, then deletes them; false when interrupted, and the
   * files stay for the next run or {@code lake maintain}.
   */
  private boolean removeReplacedFiles(PrintWriter out, Compaction removal) {
    List<ReplacedFiles> replaced = removal.replacedFiles();
    long files = replaced.stream().mapToLong(ReplacedFiles::files).sum();
    if (files == 0) {
      return true;
    }
    Instant removableAt =
        replaced.stream().map(ReplacedFiles::removableAt).max(Instant::compareTo).orElseThrow();
    Duration wait = Duration.between(Instant.now(), removableAt);
    if (!wait.isNegative() && !wait.isZero()) {
      out.println(
          "Waiting "
              + text(wait)
              + " for running readers before removing "
              + files
              + " replaced files (--grace "
              + text(grace)
              + ").");
      out.flush();
      try {
        Thread.sleep(wait.toMillis() + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        out.println("Interrupted: the replaced files stay until the next lake compact.");
        return false;
      }
    }
    List<ReplacedFiles> removed = removal.removeReplacedFiles();
    long removedFiles = removed.stream().mapToLong(ReplacedFiles::files).sum();
    out.println(
        "Removed "
            + removedFiles
            + " replaced files ("
            + TextTable.bytes(removed.stream().mapToLong(ReplacedFiles::bytes).sum())
            + ").");
    reportReplacedFiles(out, removal.replacedFiles());
    return true;
  }

  /** Replaced files still on storage: until then path readers see their rows twice. */
  private static void reportReplacedFiles(PrintWriter out, List<ReplacedFiles> replaced) {
    long files = replaced.stream().mapToLong(ReplacedFiles::files).sum();
    if (files > 0) {
      Instant removableAt =
          replaced.stream().map(ReplacedFiles::removableAt).max(Instant::compareTo).orElseThrow();
      out.println(
          files
              + " replaced files stay until their grace ends at "
              + removableAt.truncatedTo(ChronoUnit.SECONDS)
              + " and a lake compact after that removes them.");
    }
  }

  /** {@code 1m 40s}, rounded up to the second. */
  static String text(Duration duration) {
    long seconds = (duration.toMillis() + 999) / 1000;
    long minutes = seconds / 60;
    if (minutes == 0) {
      return seconds + "s";
    }
    return seconds % 60 == 0 ? minutes + "m" : minutes + "m " + seconds % 60 + "s";
  }

  /** A duration as {@link DurationConverter} reads it, or {@code 0}. */
  static final class GraceConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      if (value.trim().equals("0")) {
        return Duration.ZERO;
      }
      try {
        return new DurationConverter().convert(value);
      } catch (TypeConversionException e) {
        throw new TypeConversionException(
            "Invalid grace: "
                + value
                + " (expected 0, or a number and a unit: ms, s, m, h or d, e.g. 2m)");
      }
    }
  }
}
