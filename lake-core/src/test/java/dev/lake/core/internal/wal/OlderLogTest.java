package dev.lake.core.internal.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OlderLogTest {
  private static final String V1_SEGMENT = "segment-00000000000000000000.wal";

  @TempDir Path folder;

  private void copyResource(String resource, String name) throws IOException {
    try (InputStream in = OlderLogTest.class.getResourceAsStream(resource)) {
      Files.copy(in, folder.resolve(name));
    }
  }

  private static List<List<LakeRow>> readAll(WriteAheadLog log) {
    List<List<LakeRow>> records = new ArrayList<>();
    log.replay(log.startPosition(), log.endPosition(), (start, end, rows) -> records.add(rows));
    return records;
  }

  @Test
  void aLogWrittenInFormatOneIsReadBackRowForRow() throws IOException {
    copyResource("/wal/v1/" + V1_SEGMENT, V1_SEGMENT);
    List<List<LakeRow>> expected = new ArrayList<>();
    expected.add(LogFixtures.everyRowType());
    for (LakeRow row : LogFixtures.everyRowType()) {
      expected.add(List.of(row));
    }

    try (WriteAheadLog log = WriteAheadLog.open(folder, 1 << 20)) {
      assertThat(log.recovery().damaged()).isFalse();
      assertThat(readAll(log)).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void recordsAppendedAfterAnUpgradeFollowTheOlderFormatsAndAreReadWithThem() throws IOException {
    copyResource("/wal/v1/" + V1_SEGMENT, V1_SEGMENT);
    List<LakeRow> appended = TestRows.oneOfEach();

    try (WriteAheadLog log = WriteAheadLog.open(folder, 1 << 20)) {
      log.append(appended);
    }

    try (WriteAheadLog log = WriteAheadLog.open(folder, 1 << 20)) {
      List<List<LakeRow>> records = readAll(log);
      assertThat(log.recovery().damaged()).isFalse();
      assertThat(records).hasSize(1 + LogFixtures.everyRowType().size() + 1);
      assertThat(records.get(0)).containsExactlyElementsOf(LogFixtures.everyRowType());
      assertThat(records.get(records.size() - 1)).containsExactlyElementsOf(appended);
    }
  }
}
