package dev.lake.benchmarks;

import dev.lake.core.model.LakeRow;
import dev.lake.exchanges.coinbase.CoinbaseReplayDriver;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Coinbase's hot path on the event loop: parse an Advanced Trade {@code l2_data} frame (RFC 3339
 * times included), check the connection's {@code sequence_num}, assign lake's id, apply it to the
 * book and make its delta rows. Frames are generated (a 500-level book, updates of 10 levels).
 * Score: frames/s; rows/s is that times 10.
 *
 * <p>Run with {@code benchmarks/run jmh CoinbaseHotPath}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class CoinbaseHotPath {
  static final int UPDATES = 5000;
  static final int CHANGES = 10;
  static final long RECEIVED_MICROS = 1_795_998_000_000_000L;

  /** Generated frames of one book. */
  @State(Scope.Thread)
  public static class Frames {
    List<byte[]> frames;
    CoinbaseReplayDriver driver;
    int next;
    final List<LakeRow> rows = new ArrayList<>(64);

    @Setup(Level.Trial)
    public void load() {
      frames = CoinbaseReplayDriver.generate("BTC-USD", UPDATES, CHANGES, 7);
      restart();
      for (int i = 1; i < frames.size(); i++) {
        rows.clear();
        driver.frame(frames.get(i), RECEIVED_MICROS + i, rows);
      }
      if (!driver.live()) {
        throw new IllegalStateException("generated frames do not keep the book live");
      }
      restart();
    }

    /** A new connection and book: the sequence starts again at the snapshot. */
    void restart() {
      driver = new CoinbaseReplayDriver("BTC-USD");
      rows.clear();
      driver.frame(frames.get(0), RECEIVED_MICROS, rows);
      next = 1;
    }
  }

  /** Jackson's streaming parser over one l2_data frame into reused arrays. Score: frames/s. */
  @Benchmark
  public int parse(Frames state) {
    int levels = state.driver.parseOnly(state.frames.get(state.next));
    state.next = state.next + 1 == state.frames.size() ? 1 : state.next + 1;
    return levels;
  }

  /** Parse, sequence_num check, lake id, book update, delta rows for one frame. Score: frames/s. */
  @Benchmark
  public int parseValidateAndEmit(Frames state) {
    if (state.next == state.frames.size()) {
      state.restart();
    }
    state.rows.clear();
    state.driver.frame(state.frames.get(state.next++), RECEIVED_MICROS + state.next, state.rows);
    return state.rows.size();
  }
}
