package dev.lake.cli;

import dev.lake.core.table.TableChange;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code lake tables create}: creates the missing tables, upgrades old ones, says what it did. */
@Command(
    name = "create",
    description =
        "Create lake's tables in the configured catalog. Idempotent: existing tables are left as"
            + " they are, except that columns added by a newer lake are added to them.")
public final class TablesCreateCommand extends LakeSubcommand {
  public TablesCreateCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Setup setup) {
    List<TableChange> changes = setup.tables().ensureAllTables();
    PrintWriter out = setup.out();
    String namespace = setup.config().tableOptions().namespace().toString();
    long created = 0;
    long upgraded = 0;
    for (TableChange change : changes) {
      String name = namespace + "." + change.table();
      switch (change.kind()) {
        case CREATED -> {
          created++;
          out.println("created    " + name);
        }
        case UPGRADED -> {
          upgraded++;
          out.println("upgraded   " + name + ": " + describeUpgrade(change));
        }
        case UNCHANGED -> out.println("unchanged  " + name);
      }
      for (String warning : change.warnings()) {
        out.println("warning    " + name + ": " + warning);
      }
    }
    if (changes.stream().anyMatch(change -> !change.settingChanges().isEmpty())) {
      out.println(
          "Data files already written stay where they are; files written from now on go to the"
              + " new data roots.");
    }
    if (created == 0 && upgraded == 0) {
      out.println(
          "Nothing to change: all "
              + changes.size()
              + " tables exist with every column lake defines.");
    } else {
      out.println(
          created
              + " created, "
              + upgraded
              + " upgraded, "
              + (changes.size() - created - upgraded)
              + " unchanged.");
    }
    return ExitCodes.OK;
  }

  /**
   * {@code added columns a, b; renamed column data_type to feed; data root of binance set to
   * s3://lake-apne1}.
   */
  private static String describeUpgrade(TableChange change) {
    List<String> parts = new ArrayList<>();
    if (!change.addedColumns().isEmpty()) {
      parts.add("added columns " + String.join(", ", change.addedColumns()));
    }
    for (TableChange.RenamedColumn renamed : change.renamedColumns()) {
      parts.add("renamed column " + renamed);
    }
    parts.addAll(change.settingChanges());
    return String.join("; ", parts);
  }
}
