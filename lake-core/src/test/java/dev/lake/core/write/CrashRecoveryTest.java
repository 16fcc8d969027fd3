package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lake.core.TestCatalogs;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.read.TableRows;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM writes a deterministic stream through the writer and is killed with SIGKILL at random
 * moments (while appending, committing, recovering), then restarted, again and again; at the end
 * the table holds every row the source produced exactly once: none missing, none twice, checked by
 * each row's unique key. {@code -Dlake.crash.kills=N} (the long profile: 100) sets the number of
 * kills; the default is 20.
 */
class CrashRecoveryTest {
  @TempDir Path folder;

  @Test
  void killedAgainAndAgainTheTablesHoldEveryRowExactlyOnce() throws Exception {
    int kills = Integer.getInteger("lake.crash.kills", 20);
    Path warehouse = Files.createDirectories(folder.resolve("warehouse"));
    Path wal = folder.resolve("wal");
    Random random = new Random(7);
    int killedWhileWriting = 0;
    for (int i = 0; i < kills; i++) {
      Process child = start(warehouse, wal, Long.MAX_VALUE);
      boolean ready = awaitReady(child, 60);
      if (ready) {
        killedWhileWriting++;
      }
      // the kill lands at a random point while the child writes: the time is the behaviour
      Thread.sleep(ready ? 50 + random.nextInt(700) : 0);
      child.destroyForcibly(); // SIGKILL on Unix
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(killedWhileWriting).isGreaterThan(kills / 2);

    // a last run adds 500 more messages and closes cleanly
    Process last = start(warehouse, wal, Long.MAX_VALUE);
    String line = readyLine(last, 60);
    long resumeAt = Long.parseLong(line.substring("READY ".length()));
    last.destroyForcibly();
    last.waitFor(30, TimeUnit.SECONDS);
    long end = resumeAt + 500;
    Process finish = start(warehouse, wal, end);
    assertThat(finish.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(finish.exitValue()).isZero();

    Table table =
        TestCatalogs.sqlite(warehouse).loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
    List<LakeRow> rows = TableRows.read(table, Expressions.equal("symbol", CrashChild.SYMBOL));
    Set<String> keys = new HashSet<>();
    long maxId = -1;
    for (LakeRow row : rows) {
      OrderBookDelta delta = (OrderBookDelta) row;
      assertThat(keys.add(delta.lastUpdateId() + "/" + delta.level()))
          .as("row %s/%s once", delta.lastUpdateId(), delta.level())
          .isTrue();
      maxId = Math.max(maxId, delta.lastUpdateId());
    }
    assertThat(maxId).isEqualTo(end - 1);
    assertThat(rows).hasSize((int) (end * CrashChild.LEVELS));
    List<String> missing = new java.util.ArrayList<>();
    for (long id = 0; id < end; id++) {
      for (int level = 0; level < CrashChild.LEVELS; level++) {
        if (!keys.contains(id + "/" + level)) {
          missing.add(id + "/" + level);
        }
      }
    }
    assertThat(missing).as("rows missing").isEmpty();
    try (var files = Files.list(wal)) {
      assertThat(files.filter(p -> p.getFileName().toString().startsWith("segment-")).count())
          .as("committed segments are deleted")
          .isLessThanOrEqualTo(2);
    }
  }

  private static Process start(Path warehouse, Path wal, long stopAfter) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            CrashChild.class.getName(),
            warehouse.toString(),
            wal.toString(),
            Long.toString(stopAfter))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static boolean awaitReady(Process child, int seconds) throws Exception {
    return readyLine(child, seconds) != null;
  }

  private static String readyLine(Process child, int seconds) throws Exception {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    AtomicReference<String> ready = new AtomicReference<>();
    try {
      await()
          .atMost(Duration.ofSeconds(seconds))
          .pollInterval(Duration.ofMillis(5))
          .until(
              () -> {
                while (reader.ready()) {
                  String line = reader.readLine();
                  if (line != null && line.startsWith("READY")) {
                    ready.set(line);
                    return true;
                  }
                }
                return !child.isAlive();
              });
    } catch (ConditionTimeoutException e) {
      return null;
    }
    return ready.get();
  }
}
