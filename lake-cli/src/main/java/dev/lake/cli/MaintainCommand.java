package dev.lake.cli;

import dev.lake.cli.config.LakeConfig;
import dev.lake.core.maintenance.Maintenance;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.TableManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lake maintain}: snapshot expiry, manifest rewrite, orphan file removal. */
@Command(
    name = "maintain",
    description = {
      "Expire old snapshots, rewrite manifests and remove orphan files. The write positions lake"
          + " ingest resumes from survive all of it. Orphan removal looks only at each table's own"
          + " folders and deletes only files older than the margin.",
      "Without step options, all three steps run."
    })
public final class MaintainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(
      names = "--table",
      paramLabel = "TABLE",
      description = "A table to work on (repeatable; default: all of them).")
  List<String> tables = new java.util.ArrayList<>();

  @Mixin Steps steps;

  @Option(names = "--dry-run", description = "Report what would be done; change nothing.")
  boolean dryRun;

  /** Which steps, and what to keep. */
  public static final class Steps {
    @Option(names = "--expire-snapshots", description = "Expire snapshots.")
    boolean expire;

    @Option(
        names = "--rewrite-manifests",
        description = "Rewrite manifests, clustered by partition.")
    boolean manifests;

    @Option(names = "--remove-orphans", description = "Remove orphan files.")
    boolean orphans;

    @Option(
        names = "--keep-snapshots",
        paramLabel = "N",
        defaultValue = "10",
        description = "Snapshots always kept (default: ${DEFAULT-VALUE}).")
    int keepSnapshots = 10;

    @Option(
        names = "--keep-age",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        defaultValue = "1d",
        description = "Snapshots younger than this are kept (default: ${DEFAULT-VALUE}).")
    Duration keepAge = Duration.ofDays(1);

    @Option(
        names = "--orphan-margin",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        defaultValue = "3d",
        description =
            "Orphan files younger than this are kept, at least 1h (default: ${DEFAULT-VALUE}): a writer may be about to commit them.")
    Duration orphanMargin = Duration.ofDays(3);

    boolean any() {
      return expire || manifests || orphans;
    }
  }

  private final CliContext context;

  public MaintainCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    LakeConfig config = context.config(common);
    TableManager manager = new TableManager(context.existingCatalog(config), config.tableOptions());
    TableSelection selection = new TableSelection();
    selection.tables = tables;
    if (!steps.any()) {
      steps.expire = steps.manifests = steps.orphans = true;
    }
    run(context, spec, manager, selection.tables(spec), steps, dryRun);
    return ExitCodes.OK;
  }

  static void run(
      CliContext context,
      CommandSpec spec,
      TableManager manager,
      List<TableDefinition<?>> tables,
      Steps steps,
      boolean dryRun) {
    Maintenance.Builder builder;
    try {
      builder =
          Maintenance.builder(manager)
              .keepSnapshots(steps.keepSnapshots)
              .keepSnapshotsYoungerThan(steps.keepAge)
              .orphanMargin(steps.orphanMargin);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (dryRun) {
      builder.dryRun();
    }
    Maintenance maintenance = builder.build();
    TextTable summary = new TextTable("TABLE", "STEP", "BEFORE", "AFTER", "RESULT");
    for (TableDefinition<?> table : tables) {
      if (!manager.exists(table)) {
        continue;
      }
      if (steps.manifests) {
        add(summary, maintenance.rewriteManifests(table));
      }
      if (steps.expire) {
        add(summary, maintenance.expireSnapshots(table));
      }
      if (steps.orphans) {
        add(summary, maintenance.removeOrphanFiles(table));
      }
    }
    context
        .out()
        .println(dryRun ? "Maintenance (dry run: nothing was changed):" : "Maintenance done:");
    summary.print(context.out(), "");
    context.out().flush();
  }

  private static void add(TextTable summary, Maintenance.StepResult result) {
    summary.row(result.table(), result.step(), result.before(), result.after(), result.detail());
  }
}
