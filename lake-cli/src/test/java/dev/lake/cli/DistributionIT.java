package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tarball runs on its own: bin/lake with nothing but Java on the machine. */
class DistributionIT {
  @TempDir Path folder;

  @Test
  void theUnpackedDistributionCreatesAndListsTables() throws Exception {
    Distribution distribution = Distribution.unpack(folder);
    assertThat(distribution.home().resolve("bin/lake")).isExecutable();
    assertThat(distribution.home().resolve("README.md")).exists();
    Path work = Files.createDirectories(folder.resolve("work"));

    Distribution.Result version = distribution.run(work, "--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("lake ");

    Distribution.Result create = distribution.run(work, "tables", "create");
    assertThat(create.exitCode()).as(create.err()).isZero();
    assertThat(create.out()).contains("8 created");
    Distribution.Result list = distribution.run(work, "tables", "list");
    assertThat(list.out()).contains("crypto.orderbook_delta").contains("crypto.stream_events");
    assertThat(work.resolve("warehouse/catalog.db")).exists();
  }
}
