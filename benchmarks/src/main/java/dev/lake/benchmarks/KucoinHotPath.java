package dev.lake.benchmarks;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.exchanges.kucoin.KucoinReplayDriver;
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
 * KuCoin's hot path on the event loop: parse a level2 push, check its sequence, apply it to the
 * book (spot: each change past the book's sequence, the book kept to the seeded top 100) and make
 * its delta rows. Frames are generated: spot {@code trade.l2update} of 10 changes, futures {@code
 * level2} of one change. Score: frames/s; rows/s is that times 10 (spot) or 1 (futures).
 *
 * <p>Run with {@code benchmarks/run jmh KucoinHotPath}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class KucoinHotPath {
  static final int UPDATES = 5000;
  static final long RECEIVED_MICROS = 1_723_161_255_000_000L;

  /** Generated frames of one book. */
  @State(Scope.Thread)
  public static class Frames {
    @Param({"SPOT", "FUTURE"})
    MarketType market;

    List<byte[]> frames;
    KucoinReplayDriver driver;
    int next;
    final List<LakeRow> rows = new ArrayList<>(64);

    @Setup(Level.Trial)
    public void load() {
      String symbol = market == MarketType.SPOT ? "BTC-USDT" : "XBTUSDTM";
      frames = KucoinReplayDriver.generate(market, symbol, UPDATES, 10, 7);
      restart();
      for (byte[] frame : frames) {
        rows.clear();
        driver.frame(frame, RECEIVED_MICROS, rows);
      }
      if (!driver.live() || driver.validated() != UPDATES - 1) {
        throw new IllegalStateException(
            "generated frames do not validate: " + driver.validated() + " of " + UPDATES);
      }
      restart();
    }

    /** A new book loaded from the snapshot: the sequences start again. */
    void restart() {
      driver = new KucoinReplayDriver(market, market == MarketType.SPOT ? "BTC-USDT" : "XBTUSDTM");
      rows.clear();
      next = 0;
    }
  }

  /** Jackson's streaming parser over one level2 push into reused arrays. Score: frames/s. */
  @Benchmark
  public int parse(Frames state) {
    int levels = state.driver.parseOnly(state.frames.get(state.next));
    state.next = state.next + 1 == state.frames.size() ? 0 : state.next + 1;
    return levels;
  }

  /** Parse, sequence check, book update, delta rows for one push. Score: frames/s. */
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
