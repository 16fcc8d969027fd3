package dev.lake.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedLakeCoreTest {
  @TempDir Path folder;

  @Test
  void theExampleCommitsAndReadsBackItsRows() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      EmbedLakeCore.main(new String[] {folder.toString()});
    } finally {
      System.setOut(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("orderbook_delta: 2 rows")
        .contains("stream_events: 1 rows");
    assertThat(folder.resolve("warehouse/catalog.db")).exists();
  }
}
