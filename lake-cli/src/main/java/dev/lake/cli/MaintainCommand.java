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
      "Without step options, all three steps run.",
      "--forget-writer ID removes a retired writer's (a shard's) position from every table, and"
          + " runs alone unless steps are asked for too; refused while this machine's sink.wal_dir"
          + " belongs to that writer and holds rows not committed."
    })
public final class MaintainCommand extends LakeSubcommand {
  @Mixin TableChoice tables;

  @Mixin MaintenanceSteps steps;

  @Option(names = "--dry-run", description = "Report what would be done; change nothing.")
  boolean dryRun;

  @Option(
      names = "--forget-writer",
      paramLabel = "ID",
      description =
          "Remove this retired writer's position (table property lake.writer.<ID>.wal-position)"
              + " from every table.")
  String forgetWriter;

  public MaintainCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Setup setup) {
    if (forgetWriter != null) {
      ForgetWriter.check(setup, forgetWriter);
    }
    TableManager manager = setup.existingTables();
    if (forgetWriter != null) {
      int forgotten = ForgetWriter.run(setup, manager, forgetWriter, dryRun);
      if (forgotten != ExitCodes.OK || !steps.any()) {
        return forgotten;
      }
    }
    if (!steps.any()) {
      steps.all();
    }
    steps.run(setup, manager, tables.tables(setup), dryRun);
    return ExitCodes.OK;
  }
}
