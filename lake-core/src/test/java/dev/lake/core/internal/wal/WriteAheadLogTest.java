package dev.lake.core.internal.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import dev.lake.core.write.WalLockedException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
  @TempDir Path folder;

  private static List<LakeRow> batch(int i) {
    return List.of(TestRows.delta("BTCUSDT", 1000 + i, 0), TestRows.delta("BTCUSDT", 1000 + i, 1));
  }

  private static List<List<LakeRow>> readAll(WriteAheadLog log) {
    List<List<LakeRow>> records = new ArrayList<>();
    log.replay(log.startPosition(), log.endPosition(), (start, end, rows) -> records.add(rows));
    return records;
  }

  private Path onlySegment() throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("segment-"))
          .filter(p -> p.toFile().length() > 0)
          .findFirst()
          .orElseThrow();
    }
  }

  @Test
  void recordsAreReadBackInOrderWithEveryRowType() {
    try (WriteAheadLog log = WriteAheadLog.open(folder, 1 << 20)) {
      log.append(TestRows.oneOfEach());
      log.append(batch(1));
      assertThat(readAll(log)).containsExactly(TestRows.oneOfEach(), batch(1));
    }
    try (WriteAheadLog log = WriteAheadLog.open(folder, 1 << 20)) {
      assertThat(log.recovery().damaged()).isFalse();
      assertThat(log.recovery().records()).isEqualTo(2);
      assertThat(readAll(log)).containsExactly(TestRows.oneOfEach(), batch(1));
    }
  }

  @Test
  void theWriterIdIsKeptInTheFolder() {
    String id;
    try (WriteAheadLog log = WriteAheadLog.open(folder, 1 << 20)) {
      id = log.writerId();
    }
    try (WriteAheadLog log = WriteAheadLog.open(folder, 1 << 20)) {
      assertThat(log.writerId()).isEqualTo(id);
    }
  }

  @Test
  void aSecondWriterOnTheSameFolderIsRefused() {
    try (WriteAheadLog log = WriteAheadLog.open(folder, 1 << 20)) {
      assertThatThrownBy(() -> WriteAheadLog.open(folder, 1 << 20))
          .isInstanceOf(WalLockedException.class)
          .hasMessageStartingWith(
              "Cannot open write-ahead log at "
                  + folder
                  + ": it is in use by another writer (process "
                  + ProcessHandle.current().pid()
                  + ")");
    }
  }

  @Test
  void positionsGrowAcrossSegmentsAndCommittedSegmentsAreDeleted() {
    try (WriteAheadLog log = WriteAheadLog.open(folder, 4096)) {
      List<Long> ends = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ends.add(log.append(batch(i)));
      }
      assertThat(ends).isSorted().doesNotHaveDuplicates();
      long before = log.retainedBytes();
      log.deleteBefore(ends.get(150));
      assertThat(log.retainedBytes()).isLessThan(before);
      assertThat(log.startPosition()).isGreaterThan(0).isLessThanOrEqualTo(ends.get(150));
      List<List<LakeRow>> kept = new ArrayList<>();
      log.replay(ends.get(150), log.endPosition(), (start, end, rows) -> kept.add(rows));
      assertThat(kept).hasSize(49).first().isEqualTo(batch(151));
    }
  }

  @Test
  void aTornTailIsCutOffAndReportedAndNewRecordsFollowTheLastIntactOne() throws IOException {
    long intactEnd;
    try (WriteAheadLog log = WriteAheadLog.open(folder, 1 << 20)) {
      for (int i = 0; i < 10; i++) {
        log.append(batch(i));
      }
      intactEnd = log.endPosition();
      log.append(batch(10));
    }
    Path segment = onlySegment();
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.setLength(file.length() - 7); // a power cut in the middle of the last record
    }
    try (WriteAheadLog log = WriteAheadLog.open(folder, 1 << 20)) {
      WalRecovery recovery = log.recovery();
      assertThat(recovery.damaged()).isTrue();
      assertThat(recovery.records()).isEqualTo(10);
      assertThat(recovery.damage())
          .singleElement()
          .asString()
          .contains("torn or corrupt tail, cut off");
      assertThat(log.endPosition()).isEqualTo(intactEnd);
      assertThat(readAll(log)).hasSize(10).last().isEqualTo(batch(9));
      log.append(batch(11));
      assertThat(readAll(log)).hasSize(11).last().isEqualTo(batch(11));
    }
  }

  @Test
  void aFlippedByteLosesOnlyItsRecordAndEveryIntactRecordIsKept() throws IOException {
    List<Long> starts = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.open(folder, 1 << 20)) {
      for (int i = 0; i < 10; i++) {
        starts.add(log.endPosition());
        log.append(batch(i));
      }
    }
    Path segment = onlySegment();
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      long inRecordFour = starts.get(4) + WriteAheadLog.HEADER_BYTES + 5;
      file.seek(inRecordFour);
      int value = file.read();
      file.seek(inRecordFour);
      file.write(value ^ 0x40);
      file.setLength(file.length() - 3); // and a torn last record
    }
    try (WriteAheadLog log = WriteAheadLog.open(folder, 1 << 20)) {
      WalRecovery recovery = log.recovery();
      assertThat(recovery.damage()).hasSize(2);
      assertThat(recovery.damage().get(0)).contains("corrupt record, skipped");
      assertThat(recovery.damage().get(1)).contains("torn or corrupt tail, cut off");
      assertThat(readAll(log))
          .containsExactly(
              batch(0), batch(1), batch(2), batch(3), batch(5), batch(6), batch(7), batch(8));
      assertThat(recovery.bytesLost()).isGreaterThan(0);
    }
  }

  @Test
  void aLogWhoseFilesAreInPlaceMissesNothing() {
    try (WriteAheadLog log = WriteAheadLog.open(folder.resolve("wal"), 4096)) {
      for (int i = 0; i < 100; i++) {
        log.append(batch(i)); // rolls segments: each new one is the one checked
      }
      assertThat(log.missingFiles()).isEmpty();
    }
  }

  @Test
  void aLogWhoseFolderWasDeletedSaysTheFolderNoLongerExists() throws IOException {
    Path wal = folder.resolve("wal");
    try (WriteAheadLog log = WriteAheadLog.open(wal, 1 << 20)) {
      log.append(batch(1));
      deleteFolder(wal);
      assertThat(log.missingFiles()).hasValue("the folder " + wal + " no longer exists");
    }
  }

  @Test
  void aLogWhoseFolderWasDeletedAndMadeAgainSaysItWasReplaced() throws IOException {
    Path wal = folder.resolve("wal");
    try (WriteAheadLog log = WriteAheadLog.open(wal, 1 << 20)) {
      deleteFolder(wal);
      Files.createDirectories(wal);
      assertThat(log.missingFiles())
          .hasValue("the folder " + wal + " was replaced by another file");
    }
  }

  @Test
  void aLogWhoseLockFileWasDeletedSaysSo() throws IOException {
    Path wal = folder.resolve("wal");
    try (WriteAheadLog log = WriteAheadLog.open(wal, 1 << 20)) {
      Files.delete(wal.resolve("lock"));
      assertThat(log.missingFiles())
          .hasValue("its lock file " + wal.resolve("lock") + " no longer exists");
    }
  }

  @Test
  void aLogWhoseSegmentBeingWrittenWasDeletedSaysSo() throws IOException {
    Path wal = folder.resolve("wal");
    try (WriteAheadLog log = WriteAheadLog.open(wal, 1 << 20)) {
      log.append(batch(1));
      Path segment = wal.resolve(String.format("segment-%020d.wal", 0));
      Files.delete(segment);
      assertThat(log.missingFiles())
          .hasValue("the segment being written, " + segment + " no longer exists");
    }
  }

  private static void deleteFolder(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(folder);
  }
}
