package dev.lake.cli;

import dev.lake.core.table.TableManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lake maintain}: snapshot expiry, manifest rewrite, orphan file removal. */
@Command(
    name = "maintain",
    description = {
      "Expire old snapshots, rewrite manifests and remove orphan files. The write positions lake"
          + " ingest resumes from survive all of it. Orphan removal looks only at each table's own"
          + " folders and deletes only files older than the margin.",
      "Without step options, all three steps run."
    })
public final class MaintainCommand extends LakeSubcommand {
  @Mixin TableChoice tables;

  @Mixin MaintenanceSteps steps;

  @Option(names = "--dry-run", description = "Report what would be done; change nothing.")
  boolean dryRun;

  public MaintainCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Setup setup) {
    TableManager manager = setup.existingTables();
    if (!steps.any()) {
      steps.all();
    }
    steps.run(setup, manager, tables.tables(setup), dryRun);
    return ExitCodes.OK;
  }
}
