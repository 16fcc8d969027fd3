package dev.lake.benchmarks;

import dev.lake.core.model.LakeRow;
import dev.lake.exchanges.kraken.KrakenReplayDriver;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Kraken spot v2's hot path on the event loop: parse a {@code book} message (JSON numbers kept as
 * wire text), apply it, truncate the book to the subscribed depth (writing a removal row per level
 * pushed out), verify the CRC32 checksum of the top 10, and make the delta rows. Frames are
 * generated (a book of {@code depth} levels, updates of 4 levels). Score: frames/s; rows/s is about
 * that times 4 plus the removal rows.
 *
 * <p>Run with {@code benchmarks/run jmh KrakenHotPath}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class KrakenHotPath {
  static final int UPDATES = 5000;
  static final int CHANGES = 4;
  static final long RECEIVED_MICROS = 1_723_161_255_000_000L;

  /** Generated frames of one BTC/USD book. */
  @State(Scope.Thread)
  public static class Frames {
    @Param({"10", "100"})
    int depth;

    List<byte[]> frames;
    KrakenReplayDriver driver;
    int next;
    long rowsMade;
    final List<LakeRow> rows = new ArrayList<>(64);

    @Setup(Level.Trial)
    public void load() {
      frames = KrakenReplayDriver.generate("BTC/USD", depth, UPDATES, CHANGES, 7);
      restart();
      for (int i = 1; i < frames.size(); i++) {
        rows.clear();
        driver.frame(frames.get(i), RECEIVED_MICROS, rows);
      }
      if (!driver.live() || driver.validated() != UPDATES || driver.checksumMismatches() != 0) {
        throw new IllegalStateException(
            "generated frames do not validate: "
                + driver.validated()
                + " validated, "
                + driver.checksumMismatches()
                + " mismatches");
      }
      restart();
    }

    /** A new book loaded from the snapshot frame. */
    void restart() {
      driver = new KrakenReplayDriver("BTC/USD", depth);
      rows.clear();
      driver.frame(frames.get(0), RECEIVED_MICROS, rows);
      next = 1;
    }
  }

  /** Jackson's streaming parser over one book message into reused arrays. Score: frames/s. */
  @Benchmark
  public int parse(Frames state) {
    int levels = state.driver.parseOnly(state.frames.get(state.next));
    state.next = state.next + 1 == state.frames.size() ? 1 : state.next + 1;
    return levels;
  }

  /** Parse, apply, truncate, checksum, delta rows for one message. Score: frames/s. */
  @Benchmark
  public int parseValidateAndEmit(Frames state) {
    if (state.next == state.frames.size()) {
      state.restart();
    }
    state.rows.clear();
    state.driver.frame(state.frames.get(state.next++), RECEIVED_MICROS, state.rows);
    return state.rows.size();
  }
}
