package dev.lake.benchmarks;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.exchanges.bybit.BybitReplayDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bybit's hot path on the real contiguous linear book (../shared/data/samples,
 * bybit-linear-orderbook-ws.jsonl: orderbook.500.XRPUSDT, a snapshot of 500 levels a side and 49
 * deltas, 2024-12): parse a delta frame, and parse plus validation by Bybit's rules plus book plus
 * rows. The 49 deltas are replayed in a loop, each numbered next in sequence. Scores are frames
 * (messages) per second; rows per second are the score times the rows per message printed at the
 * end of each iteration.
 *
 * <p>Run with {@code benchmarks/run jmh BybitHotPath}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class BybitHotPath {
  static final long RECEIVED_MICROS = 1_733_011_200_700_000L;

  /** The sample's frames and a book loaded from its snapshot. */
  @State(Scope.Thread)
  public static class Frames {
    byte[] snapshot;
    byte[][] deltas;
    BybitReplayDriver driver;
    int next;
    long messages;
    long rowCount;
    final List<LakeRow> rows = new ArrayList<>(256);

    @Setup(Level.Trial)
    public void load() {
      String shared = System.getProperty("lake.shared.dir", "../shared");
      Path file = Path.of(shared, "data", "samples", "bybit-linear-orderbook-ws.jsonl");
      try {
        List<String> lines = Files.readAllLines(file);
        snapshot = lines.get(0).getBytes(StandardCharsets.UTF_8);
        deltas = new byte[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
          deltas[i - 1] = lines.get(i).getBytes(StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the Bybit sample " + file, e);
      }
    }

    @Setup(Level.Iteration)
    public void restart() {
      driver = new BybitReplayDriver(MarketType.FUTURE, "XRPUSDT");
      driver.snapshot(snapshot, RECEIVED_MICROS, rows);
      rows.clear();
      next = 0;
      messages = rowCount = 0;
    }

    @TearDown(Level.Iteration)
    public void report() {
      if (driver.gaps() != 0 || driver.validated() != messages) {
        throw new IllegalStateException(
            "Cannot trust the run: "
                + driver.gaps()
                + " gaps, "
                + driver.validated()
                + " of "
                + messages
                + " validated");
      }
      System.out.printf(
          "%n  %d messages validated, %.1f rows per message%n",
          messages, messages == 0 ? 0.0 : (double) rowCount / messages);
    }

    byte[] nextDelta() {
      byte[] frame = deltas[next];
      next = next + 1 == deltas.length ? 0 : next + 1;
      return frame;
    }
  }

  @Benchmark
  public int parse(Frames state) {
    return state.driver.parseOnly(state.nextDelta());
  }

  @Benchmark
  public int parseValidateAndEmit(Frames state) {
    state.rows.clear();
    state.driver.delta(state.nextDelta(), RECEIVED_MICROS, state.rows);
    state.messages++;
    state.rowCount += state.rows.size();
    return state.rows.size();
  }
}
