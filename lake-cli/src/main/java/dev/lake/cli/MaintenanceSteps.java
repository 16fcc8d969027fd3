package dev.lake.cli;

import dev.lake.core.maintenance.Maintenance;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.TableManager;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The maintenance steps of {@code lake maintain}, also offered by {@code lake compact} to run after
 * compaction: which steps, what they keep, and running them with a summary table.
 */
final class MaintenanceSteps {
  @Option(names = "--expire-snapshots", description = "Expire snapshots.")
  boolean expire;

  @Option(names = "--rewrite-manifests", description = "Rewrite manifests, clustered by partition.")
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

  /** True when at least one step was asked for. */
  boolean any() {
    return expire || manifests || orphans;
  }

  /** Asks for every step. */
  void all() {
    expire = true;
    manifests = true;
    orphans = true;
  }

  /**
   * Runs the chosen steps on the chosen tables that exist and prints a summary; a keep or margin
   * value that maintenance refuses is a usage error.
   */
  void run(Setup setup, TableManager manager, List<TableDefinition<?>> tables, boolean dryRun) {
    Maintenance maintenance = maintenance(setup, manager, dryRun);
    TextTable summary = new TextTable("TABLE", "STEP", "BEFORE", "AFTER", "RESULT");
    for (TableDefinition<?> table : tables) {
      if (!manager.exists(table)) {
        continue;
      }
      if (manifests) {
        add(summary, maintenance.rewriteManifests(table));
      }
      if (expire) {
        add(summary, maintenance.expireSnapshots(table));
      }
      if (orphans) {
        add(summary, maintenance.removeOrphanFiles(table));
      }
    }
    PrintWriter out = setup.out();
    out.println(dryRun ? "Maintenance (dry run: nothing was changed):" : "Maintenance done:");
    summary.print(out, "");
    out.flush();
  }

  private Maintenance maintenance(Setup setup, TableManager manager, boolean dryRun) {
    Maintenance.Builder builder;
    try {
      builder =
          Maintenance.builder(manager)
              .keepSnapshots(keepSnapshots)
              .keepSnapshotsYoungerThan(keepAge)
              .orphanMargin(orphanMargin);
    } catch (IllegalArgumentException e) {
      throw setup.usage(e.getMessage());
    }
    if (dryRun) {
      builder.dryRun();
    }
    return builder.build();
  }

  private static void add(TextTable summary, Maintenance.StepResult result) {
    summary.row(result.table(), result.step(), result.before(), result.after(), result.detail());
  }
}
