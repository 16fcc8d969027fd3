package dev.lake.benchmarks;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.exchanges.RowSink;
import dev.lake.exchanges.ingest.CountingSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What metrics add per message on the receiving thread, isolated from everything else: a message's
 * rows (10 order book deltas, as a typical depth update) handed to the pipeline directly, and
 * through {@link CountingSink} plus the per-feed message counter, as {@code lake ingest} does with
 * metrics. The difference is the metrics' cost a message; the end-to-end benchmark's spread on a
 * shared machine is too wide to show it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class MetricsCost {

  /** A pipeline that takes every message and only lets the JIT see its rows used. */
  private static final class Accepting implements RowSink {
    private final Blackhole blackhole;

    Accepting(Blackhole blackhole) {
      this.blackhole = blackhole;
    }

    @Override
    public boolean offer(List<LakeRow> rows) {
      blackhole.consume(rows);
      return true;
    }

    @Override
    public void whenRoom(Runnable callback) {
      callback.run();
    }
  }

  /** One depth update's rows and the two ways of handing them over. */
  @State(Scope.Thread)
  public static class Message {
    List<LakeRow> rows;
    RowSink direct;
    RowSink counted;
    final AtomicLong messages = new AtomicLong();

    @Setup
    public void setUp(Blackhole blackhole) {
      rows = new ArrayList<>();
      long micros = 1_754_398_800_000_000L;
      for (int level = 0; level < 10; level++) {
        rows.add(
            new OrderBookDelta(
                "binance",
                MarketType.FUTURE,
                "BTCUSDT",
                micros,
                42,
                level % 2 == 0 ? BookSide.BID : BookSide.ASK,
                60_000 + level * 0.1,
                level + 1,
                level,
                micros + 800,
                40L,
                39L,
                false));
      }
      direct = new Accepting(blackhole);
      counted = new CountingSink(new Accepting(blackhole));
    }
  }

  @Benchmark
  public boolean withoutMetrics(Message message) {
    return message.direct.offer(message.rows);
  }

  @Benchmark
  public boolean withMetrics(Message message) {
    message.messages.incrementAndGet();
    return message.counted.offer(message.rows);
  }
}
