package dev.lake.benchmarks;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.exchanges.okx.OkxReplayDriver;
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
 * OKX's hot path on the event loop: parse a {@code books} push, validate its {@code seqId} link,
 * apply it to the book, verify the CRC32 checksum when the push carries one, and make its delta
 * rows. Frames are generated (a 400-level SWAP book, updates of 10 levels); {@code checksums} says
 * whether they carry OKX's checksum or 0, as OKX sends since mid-2026. Score: frames/s; rows/s is
 * that times 10.
 *
 * <p>Run with {@code benchmarks/run jmh OkxHotPath}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class OkxHotPath {
  static final int UPDATES = 5000;
  static final int CHANGES = 10;
  static final long RECEIVED_MICROS = 1_723_161_255_000_000L;

  /** Generated frames of one SWAP book. */
  @State(Scope.Thread)
  public static class Frames {
    @Param({"true", "false"})
    boolean checksums;

    List<byte[]> frames;
    OkxReplayDriver driver;
    int next;
    final List<LakeRow> rows = new ArrayList<>(64);

    @Setup(Level.Trial)
    public void load() {
      frames = OkxReplayDriver.generate("BTC-USDT-SWAP", UPDATES, CHANGES, checksums, 7);
      restart();
      for (int i = 1; i < frames.size(); i++) {
        rows.clear();
        driver.frame(frames.get(i), RECEIVED_MICROS, rows);
      }
      if (!driver.live() || driver.validated() != UPDATES || driver.checksumMismatches() != 0) {
        throw new IllegalStateException("generated frames do not validate");
      }
      restart();
    }

    /** A new book loaded from the snapshot frame: the ids start again. */
    void restart() {
      driver = new OkxReplayDriver(MarketType.FUTURE, "BTC-USDT-SWAP", "0.01");
      rows.clear();
      driver.frame(frames.get(0), RECEIVED_MICROS, rows);
      next = 1;
    }
  }

  /** Jackson's streaming parser over one books push into reused arrays. Score: frames/s. */
  @Benchmark
  public int parse(Frames state) {
    int levels = state.driver.parseOnly(state.frames.get(state.next));
    state.next = state.next + 1 == state.frames.size() ? 1 : state.next + 1;
    return levels;
  }

  /** Parse, seqId check, book update, checksum, delta rows for one push. Score: frames/s. */
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
