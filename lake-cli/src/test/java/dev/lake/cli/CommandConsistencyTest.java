package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands agree with each other on what a file, an option value and a warehouse are. */
class CommandConsistencyTest {
  @TempDir Path folder;

  @Test
  void aConfigWithNothingToCollectFailsValidateExactlyAsItFailsIngest() throws IOException {
    Files.writeString(folder.resolve("empty.yml"), "sink:\n  warehouse: ./warehouse\n");
    CliRun validate = CliRun.run(folder, "config", "validate", "--config", "empty.yml");
    CliRun ingest = CliRun.run(folder, "ingest", "--config", "empty.yml", "--duration", "1s");
    assertThat(validate.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(ingest.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(validate.err()).contains("nothing to collect").isEqualTo(ingest.err());
  }

  @Test
  void badOptionValuesAreUsageErrorsInEveryCommand() {
    CliRun.run(folder, "tables", "create");
    for (List<String> args :
        List.of(
            List.of("compact", "--max-group-rows", "0"),
            List.of("compact", "--threads", "0"),
            List.of("compact", "--groups-per-commit", "0"),
            List.of("compact", "--target-file-size", "1"),
            List.of("compact", "--small-file-size", "0"),
            List.of("compact", "--since", "yesterday"),
            List.of("maintain", "--keep-snapshots", "0"),
            List.of("maintain", "--keep-age", "soon"),
            List.of("status", "--since", "yesterday"),
            List.of("ingest", "--duration", "forever"),
            List.of("tables", "describe", "no_such_table"))) {
      CliRun run = CliRun.run(folder, args.toArray(String[]::new));
      assertThat(run.exitCode()).as(args + ": " + run.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(run.err()).as(String.valueOf(args)).contains("--help' for usage.");
    }
  }

  @Test
  void readOnlyCommandsDoNotCreateACatalogWhereThereIsNone() {
    for (List<String> args :
        List.of(
            List.of("tables", "list"),
            List.of("tables", "describe", "orderbook_delta"),
            List.of("compact"),
            List.of("compact", "--dry-run"),
            List.of("status"),
            List.of("maintain"))) {
      CliRun run = CliRun.run(folder, args.toArray(String[]::new));
      assertThat(run.exitCode()).as(args + ": " + run.err()).isEqualTo(ExitCodes.FAILURE);
      assertThat(run.err())
          .as(String.valueOf(args))
          .startsWith(
              "lake: Cannot open the embedded catalog: no "
                  + folder.resolve("warehouse").resolve("catalog.db")
                  + " (lake tables create or lake ingest makes it");
      assertThat(folder.resolve("warehouse")).as(String.valueOf(args)).doesNotExist();
    }
  }

  @Test
  void readOnlyCommandsWorkOnceTheCatalogExists() {
    assertThat(CliRun.run(folder, "tables", "create").exitCode()).isZero();
    assertThat(CliRun.run(folder, "tables", "list").exitCode()).isZero();
    assertThat(CliRun.run(folder, "compact", "--dry-run").exitCode()).isZero();
  }
}
