package dev.lake.cli;

import dev.lake.cli.config.LakeConfig;
import dev.lake.core.maintenance.Compaction;
import dev.lake.core.maintenance.CompactionResult;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.TableManager;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lake compact}: rewrites small files per partition into files near the target size. */
@Command(
    name = "compact",
    description = {
      "Rewrite small data files into files near the target size, per partition, rows in the"
          + " table's sort order. Safe beside a running lake ingest: appends made meanwhile are"
          + " kept; a group another compaction rewrote first fails cleanly and the rest goes on."
          + " Every group is verified (row count and checksum) before it is committed.",
      "Add --expire-snapshots, --rewrite-manifests and --remove-orphans to run maintenance after"
          + " (see lake maintain for its settings)."
    })
public final class CompactCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin TableSelection selection;
  @Spec CommandSpec spec;

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
          "Most rows rewritten together; they are sorted in memory (default: ${DEFAULT-VALUE}, about 1 GiB of heap).")
  long maxGroupRows;

  @Option(
      names = "--include-current",
      description =
          "Also rewrite the current hour's (or day's) partitions, which ingest may still be filling.")
  boolean includeCurrent;

  @Option(names = "--dry-run", description = "Plan and report; change nothing.")
  boolean dryRun;

  @ArgGroup(exclusive = false)
  MaintainCommand.Steps steps = new MaintainCommand.Steps();

  private final CliContext context;

  public CompactCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    LakeConfig config = context.config(common);
    List<TableDefinition<?>> chosen = selection.tables(spec);
    chosen.forEach(table -> selection.filter(spec, table));
    TableManager tables = new TableManager(context.existingCatalog(config), config.tableOptions());
    PrintWriter out = context.out();
    Progress progress = new Progress(out, context.isTerminal());
    int failedHard = 0;
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
      Compaction.Builder compaction = configure(Compaction.builder(tables), table, progress);
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
        failedHard +=
            (int)
                result.failures().stream()
                    .filter(failure -> !failure.contains("conflict with another change"))
                    .count();
      }
    }
    progress.finishLine();
    out.println(dryRun ? "Dry run: nothing was changed." : "Compaction done.");
    summary.print(out, "");
    if (steps.any()) {
      MaintainCommand.run(context, spec, tables, chosen, steps, dryRun);
    }
    out.flush();
    return failedHard > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
  }

  /** The options on a builder; a value the builder refuses is a usage error (exit 2). */
  private Compaction.Builder configure(
      Compaction.Builder compaction, TableDefinition<?> table, Progress progress) {
    try {
      compaction
          .tables(List.of(table))
          .filter(selection.filter(spec, table))
          .listener(progress)
          .maxGroupRows(maxGroupRows);
      if (targetFileSize != null) {
        compaction.targetFileBytes(targetFileSize);
      }
      if (smallFileSize != null) {
        compaction.smallFileBytes(smallFileSize);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (includeCurrent) {
      compaction.includeCurrentPartitions();
    }
    if (dryRun) {
      compaction.dryRun();
    }
    return compaction;
  }
}
