package dev.lake.benchmarks;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.internal.wal.WriteAheadLog;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.write.LakeWriter;
import dev.lake.exchanges.binance.BinanceReplayDriver;
import dev.lake.exchanges.book.OrderBook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot path's steps, one at a time, on generated Binance spot frames with the recordings'
 * statistics: parse a depth frame, apply its levels to a book, parse plus sequence validation plus
 * book plus rows, encode a message's rows into the write-ahead log, and stream rows into Parquet
 * (the writer without its log). Scores are per frame, per level or per row as each method says.
 *
 * <p>Run with {@code benchmarks/run jmh} (JMH options after it, e.g. {@code jmh HotPath.parse}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class HotPath {
  /** Rows of one message: about a Binance spot 100 ms update's. */
  static final int MESSAGE_ROWS = 36;

  /** 2024-08-08T23:54:15Z, when the generated frames were received. */
  static final long RECEIVED_MICROS = 1_723_161_255_000_000L;

  /** Frames of one generated spot book, and the rows the book produces from them. */
  @State(Scope.Thread)
  public static class Frames {
    Recording recording;
    byte[][] frames;
    BinanceReplayDriver driver;
    int next;
    final List<LakeRow> rows = new ArrayList<>(256);
    List<List<LakeRow>> messages;
    int nextMessage;

    @Setup(Level.Trial)
    public void load() {
      recording = Recording.generate("generated spot", MarketType.SPOT, "BTCUSDT", 3450, 36, 3);
      frames = new byte[recording.frames().size()][];
      for (int i = 0; i < frames.length; i++) {
        frames[i] = recording.frames().get(i);
      }
      restart();
      List<LakeRow> all = new ArrayList<>();
      for (byte[] frame : frames) {
        driver.frame(0, frame, RECEIVED_MICROS, all);
      }
      // messages of exactly MESSAGE_ROWS rows, so scores per row are exact
      messages = new ArrayList<>();
      for (int from = 0; from + MESSAGE_ROWS <= all.size(); from += MESSAGE_ROWS) {
        messages.add(List.copyOf(all.subList(from, from + MESSAGE_ROWS)));
      }
      restart();
    }

    /** A new book loaded from the snapshot: the recording's ids start again. */
    void restart() {
      driver =
          new BinanceReplayDriver(
              new String[] {"BTCUSDT"}, new MarketType[] {MarketType.SPOT}, new int[] {0});
      rows.clear();
      driver.snapshot(0, recording.snapshot(), RECEIVED_MICROS, rows);
      next = 0;
    }

    byte[] nextFrame() {
      byte[] frame = frames[next];
      next = next + 1 == frames.length ? 0 : next + 1;
      return frame;
    }

    List<LakeRow> nextMessage() {
      List<LakeRow> message = messages.get(nextMessage);
      nextMessage = nextMessage + 1 == messages.size() ? 0 : nextMessage + 1;
      return message;
    }
  }

  /** Jackson's streaming parser over one depth frame into reused arrays. Score: frames/s. */
  @Benchmark
  public int parse(Frames state) {
    return state.driver.parseOnly(state.nextFrame());
  }

  /**
   * Parse, sequence validation, book update and delta rows for one frame, as the connector does.
   * Every 3,450 frames the book reloads from its snapshot (2,000 levels), as the recording ends.
   * Score: frames/s.
   */
  @Benchmark
  public int parseValidateAndEmit(Frames state) {
    if (state.next == 0) {
      state.restart();
    }
    state.rows.clear();
    state.driver.frame(0, state.nextFrame(), RECEIVED_MICROS, state.rows);
    return state.rows.size();
  }

  /** A book of a thousand levels a side, and level changes around its top. */
  @State(Scope.Thread)
  public static class Book {
    static final int CHANGES = 1 << 16;
    final OrderBook book = new OrderBook();
    final double[] prices = new double[CHANGES];
    final double[] quantities = new double[CHANGES];
    final BookSide[] sides = new BookSide[CHANGES];
    int next;

    @Setup(Level.Trial)
    public void fill() {
      Random random = new Random(1);
      for (int i = 1; i <= 1000; i++) {
        book.set(BookSide.BID, 60_000 - i * 0.01, 1);
        book.set(BookSide.ASK, 60_000 + i * 0.01, 1);
      }
      for (int i = 0; i < CHANGES; i++) {
        sides[i] = random.nextBoolean() ? BookSide.BID : BookSide.ASK;
        long ticks = 1 + (long) Math.abs(random.nextGaussian() * 300);
        prices[i] =
            Math.round(
                    (sides[i] == BookSide.BID ? 60_000 - ticks * 0.01 : 60_000 + ticks * 0.01)
                        * 100)
                / 100.0;
        quantities[i] = random.nextInt(3) == 0 ? 0 : random.nextInt(50_000) / 1000.0;
      }
    }
  }

  /** One level change applied to a sorted book. Score: level updates/s. */
  @Benchmark
  public int bookUpdate(Book state) {
    int i = state.next;
    state.next = (i + 1) & (Book.CHANGES - 1);
    state.book.set(state.sides[i], state.prices[i], state.quantities[i]);
    return state.book.depth(state.sides[i]);
  }

  /** A write-ahead log in a temporary folder, emptied as it grows. */
  @State(Scope.Thread)
  public static class Log {
    Path folder;
    WriteAheadLog log;

    @Setup(Level.Trial)
    public void open() throws IOException {
      folder = Files.createTempDirectory("lake-jmh-wal");
      log = WriteAheadLog.open(folder, 64L * 1024 * 1024);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      log.close();
      delete(folder);
    }
  }

  /**
   * One message of rows encoded, checksummed and written to the log (no fsync: the writer forces
   * the log on its own interval). Score: rows/s.
   */
  @Benchmark
  @OperationsPerInvocation(MESSAGE_ROWS)
  public long walAppend(Frames frames, Log state) {
    long position = state.log.append(frames.nextMessage());
    if (position - state.log.startPosition() > 512L * 1024 * 1024) {
      state.log.deleteBefore(position);
    }
    return position;
  }

  /** The writer without its log, on the embedded catalog, committing every few seconds. */
  @State(Scope.Thread)
  public static class Writer {
    Path folder;
    LakeWriter writer;

    @Setup(Level.Trial)
    public void open() throws IOException {
      folder = Files.createTempDirectory("lake-jmh-writer");
      writer =
          LakeWriter.builder(
                  LakeCatalogs.open(
                      CatalogSettings.embedded(folder.resolve("warehouse").toString())))
              .withoutWriteAheadLog()
              .commitInterval(Duration.ofSeconds(5))
              .build();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      writer.close();
      delete(folder);
    }
  }

  /**
   * One message of rows through the writer into open Parquet files (columns encoded, pages
   * compressed, files rolled and committed in the background). Score: rows/s.
   */
  @Benchmark
  @OperationsPerInvocation(MESSAGE_ROWS)
  public void rowEncode(Frames frames, Writer state) {
    state.writer.append(frames.nextMessage());
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
