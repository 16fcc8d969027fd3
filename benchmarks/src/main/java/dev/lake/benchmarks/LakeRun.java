package dev.lake.benchmarks;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.cli.metrics.IngestMetrics;
import dev.lake.core.maintenance.Compaction;
import dev.lake.core.maintenance.CompactionListener;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableManager;
import dev.lake.core.table.TableOptions;
import dev.lake.core.write.LakeWriter;
import dev.lake.exchanges.ConnectorStats;
import dev.lake.exchanges.MicrosClock;
import dev.lake.exchanges.RowSink;
import dev.lake.exchanges.binance.BinanceReplayDriver;
import dev.lake.exchanges.binance.BinanceVenue;
import dev.lake.exchanges.ingest.CountingSink;
import dev.lake.exchanges.ingest.MarketStats;
import dev.lake.exchanges.ingest.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * lake's row of the benchmark, run in its own JVM (so its heap is measured alone): frames, parse,
 * book sync and validation, rows, the pipeline, write-ahead log, Parquet, Iceberg commit on the
 * embedded catalog, at full speed. Prints one RESULT line.
 *
 * <p>Arguments: data folder, books, rows, log (true/false), commit interval in ms, recordings
 * folder, and optionally a pace in rows per second (default 0: full speed) and a Zipf exponent for
 * the books' activity (default 0: every book as busy, taking turns; see {@link FanOut#zipf}). With
 * a skew, the pace applies once every book has started: the start's sync snapshots come as a burst;
 * and optionally the most seconds of steady state after that (default 0: no limit but the rows).
 */
public final class LakeRun {
  private static final boolean DISCARD = Boolean.getBoolean("lake.discard");
  // -Dlake.metrics=true: what metrics cost lake ingest, measured. Each frame and its rows are
  // counted as lake ingest counts them (the frame in an AtomicLong as StreamGroup does, the rows by
  // the market's CountingSink, as Collector does), and the endpoint runs, scraped every second
  // (Prometheus scrapes every 15 s by default)
  private static final boolean METRICS = Boolean.getBoolean("lake.metrics");
  // -Dlake.kafka=true: every row also goes to Kafka, exactly once, as with lake ingest's
  // sink.kafka; the broker runs in a JVM of its own (see KafkaOutputRun)
  private static final boolean KAFKA = Boolean.getBoolean("lake.kafka");

  private static final String DELTA_FEED = "orderbook_delta";

  /** Zipf-Mandelbrot offset of skewed runs: about ten books as busy as the busiest. */
  static final double ZIPF_OFFSET = 10;

  private LakeRun() {}

  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[0]);
    int books = Integer.parseInt(args[1]);
    long maxRows = Long.parseLong(args[2]);
    boolean wal = Boolean.parseBoolean(args[3]);
    long commitMs = Long.parseLong(args[4]);
    Path capture = Path.of(args[5]);
    long pace = args.length > 6 ? Long.parseLong(args[6]) : 0;
    double skew = args.length > 7 ? Double.parseDouble(args[7]) : 0;
    long steadyNanos = args.length > 8 ? (long) (Double.parseDouble(args[8]) * 1e9) : 0;
    List<Recording> recordings = Recording.load(capture);
    FanOut fanOut = new FanOut(recordings, books);

    Catalog catalog =
        LakeCatalogs.open(CatalogSettings.embedded(folder.resolve("warehouse").toString()));
    LakeWriter.Builder builder =
        LakeWriter.builder(catalog).commitInterval(Duration.ofMillis(commitMs));
    // -Dlake.buffer=<bytes>: the writer's buffer budget (sink.buffer_max_bytes), else the default
    Long bufferMaxBytes = Long.getLong("lake.buffer");
    if (bufferMaxBytes != null) {
      builder.bufferMaxBytes(bufferMaxBytes);
    }
    if (wal) {
      builder.writeAheadLog(folder.resolve("wal"));
    } else {
      builder.withoutWriteAheadLog();
    }
    IngestMetrics metrics = METRICS ? new IngestMetrics() : null;
    if (metrics != null) {
      builder.commitListener(metrics.commits());
    }
    KafkaOutputRun kafka = KAFKA ? KafkaOutputRun.start(folder.resolve("kafka")) : null;
    if (kafka != null) {
      builder.logFollower(kafka.follower()).shutdownTimeout(Duration.ofMinutes(30));
    }
    LakeWriter writer = builder.build();
    Pipeline pipeline = new Pipeline(writer, 250_000);
    BinanceReplayDriver driver =
        new BinanceReplayDriver(fanOut.names(), fanOut.markets(), fanOut.copies());
    // with metrics, each book's market door (a CountingSink) and frame counter; without, the
    // pipeline itself, as before
    MarketType[] bookMarkets = fanOut.markets();
    Map<MarketType, CountingSink> sinks = new EnumMap<>(MarketType.class);
    Map<MarketType, AtomicLong> received = new EnumMap<>(MarketType.class);
    RowSink[] sinkByBook = new RowSink[books];
    AtomicLong[] messagesByBook = new AtomicLong[books];
    for (int i = 0; i < books; i++) {
      if (metrics == null) {
        sinkByBook[i] = pipeline;
        continue;
      }
      sinkByBook[i] = sinks.computeIfAbsent(bookMarkets[i], market -> new CountingSink(pipeline));
      messagesByBook[i] = received.computeIfAbsent(bookMarkets[i], market -> new AtomicLong());
    }
    AutoCloseable scraping =
        metrics == null
            ? () -> {}
            : MetricsScrape.start(
                metrics, writer, pipeline, () -> marketStats(sinks, received, driver, books));
    long[] rows = {0};
    long[] bytes = {0};
    long[] frames = {0};
    MicrosClock clock = MicrosClock.SYSTEM;
    Measure measure = new Measure();
    // where pacing counts from: the start, or once every book has started in a skewed run
    long[] paceFrom = {System.nanoTime(), 0};
    double[] steadyFrom = {0, 0, 0};
    @SuppressWarnings("unchecked")
    Map<String, Long>[] steadyThreads = new Map[1];
    FanOut.Visitor visitor =
        new FanOut.Visitor() {
          @Override
          public void frame(int book, byte[] frame) {
            if (pace > 0) {
              // as a live venue delivers: a frame arrives when the rows before it are due
              long wait =
                  paceFrom[0] + (rows[0] - paceFrom[1]) * 1_000_000_000L / pace - System.nanoTime();
              if (wait > 0) {
                LockSupport.parkNanos(wait);
              }
            }
            if (metrics != null) {
              messagesByBook[book].incrementAndGet();
            }
            List<LakeRow> out = new ArrayList<>(96);
            driver.frame(book, frame, clock.nowMicros(), out);
            frames[0]++;
            bytes[0] += frame.length;
            rows[0] += out.size();
            if (!DISCARD) {
              offer(sinkByBook[book], out);
            }
          }

          @Override
          public void snapshot(int book, byte[] body) {
            if (metrics != null) {
              messagesByBook[book].incrementAndGet();
            }
            List<LakeRow> out = new ArrayList<>();
            driver.snapshot(book, body, clock.nowMicros(), out);
            rows[0] += out.size();
            if (!DISCARD) {
              offer(sinkByBook[book], out);
            }
          }

          @Override
          public void started() {
            paceFrom[0] = System.nanoTime();
            paceFrom[1] = rows[0];
            steadyFrom[0] = rows[0];
            steadyFrom[1] = measure.seconds();
            steadyFrom[2] = measure.cpuSeconds();
            steadyThreads[0] = Measure.threadTicks();
          }
        };
    // the second half of a timed steady state: the JIT compilers are mostly done by then (their
    // bulk falls when the commit path first runs), so it is what a long-running ingest pays a row
    double[] lateFrom = {0, 0, 0};
    Map<String, Long>[] lateThreads = new Map[1];
    java.util.function.BooleanSupplier stop =
        () -> {
          if (rows[0] >= maxRows) {
            return true;
          }
          if (steadyNanos <= 0 || paceFrom[1] <= 0) {
            return false;
          }
          long elapsed = System.nanoTime() - paceFrom[0];
          if (lateThreads[0] == null && elapsed >= steadyNanos / 2) {
            lateFrom[0] = rows[0];
            lateFrom[1] = measure.seconds();
            lateFrom[2] = measure.cpuSeconds();
            lateThreads[0] = Measure.threadTicks();
          }
          return elapsed >= steadyNanos;
        };
    if (skew > 0) {
      fanOut.runSkewed(visitor, FanOut.zipf(books, skew, ZIPF_OFFSET), stop);
    } else {
      fanOut.run(visitor, stop);
    }
    double steadySeconds = measure.seconds() - steadyFrom[1];
    double steadyCpu = measure.cpuSeconds() - steadyFrom[2];
    double steadyLakeCpu = steadyCpu;
    // CPU, CPU without the JIT and the sampler, rows, seconds
    double[] lateCpu = {0, 0, 0, 0};
    if (steadyThreads[0] != null) {
      // where the steady state's CPU went, by thread (µs a row), for the profile in the results
      Map<String, Long> threadsNow = Measure.threadTicks();
      System.err.println(
          "steady-state CPU by thread, µs a row: "
              + Measure.threadSplit(
                  steadyThreads[0], threadsNow, (long) (rows[0] - steadyFrom[0])));
      steadyLakeCpu = steadyCpu - Measure.warmUpAndHarnessSeconds(steadyThreads[0], threadsNow);
      if (lateThreads[0] != null) {
        System.err.println(
            "second half of the steady state, CPU by thread, µs a row: "
                + Measure.threadSplit(lateThreads[0], threadsNow, (long) (rows[0] - lateFrom[0])));
        lateCpu[0] = measure.cpuSeconds() - lateFrom[2];
        lateCpu[1] = lateCpu[0] - Measure.warmUpAndHarnessSeconds(lateThreads[0], threadsNow);
        lateCpu[2] = rows[0] - lateFrom[0];
        lateCpu[3] = measure.seconds() - lateFrom[1];
      }
    }
    pipeline.close();
    if (kafka != null) {
      kafka.lastAppended();
    }
    // the fullest point of a run shorter than the commit interval: every row is buffered in open
    // files; a full collection here gives the live heap that buffering needs, and its pause is
    // left out of the timing
    long buffered = writer.stats().bufferedBytes();
    long gcStarted = System.nanoTime();
    System.gc();
    long liveHeap =
        java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    if (Boolean.getBoolean("lake.histogram")) {
      System.err.println(
          java.lang.management.ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "gcClassHistogram",
                  new Object[] {new String[0]},
                  new String[] {String[].class.getName()}));
    }
    measure.exclude(System.nanoTime() - gcStarted);
    if (DISCARD) {
      System.out.println(
          new Result("books only")
              .put("rows", rows[0])
              .put("seconds", measure.seconds())
              .put("live_heap_before_commit", liveHeap)
              .line());
      System.exit(0);
    }
    long flushStarted = System.nanoTime();
    writer.flush();
    double commitSeconds = (System.nanoTime() - flushStarted) / 1e9;
    double seconds = measure.seconds();
    double cpu = measure.cpuSeconds();
    measure.stop();
    scraping.close();
    writer.close();
    double cpuToClose = measure.cpuSeconds();
    // ingestion's peaks, before compaction (which holds a group's rows) adds its own
    long peakAfterGc = measure.peakHeapAfterGc();
    long peakUsed = measure.peakHeapUsed();

    Table table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
    Map<String, String> summary = table.currentSnapshot().summary();
    double fileBytes = Double.parseDouble(summary.get("total-files-size"));
    double tableRows = Double.parseDouble(summary.get("total-records"));
    double files = Double.parseDouble(summary.get("total-data-files"));

    double[] delays = receiveToCommit(table, null);

    // the commits of whole intervals in the steady state: every append but the first (the books'
    // sync snapshots, and the queue they built up) and the last (the flush at the end, a part of
    // an interval): what each minute of an hour of minute commits looks like
    List<Snapshot> appends = new ArrayList<>();
    for (Snapshot snapshot : table.snapshots()) {
      if ("append".equals(snapshot.operation())) {
        appends.add(snapshot);
      }
    }
    long commits = appends.size();
    double[] steadyCommits = {0, 0, 0};
    Set<Long> steadyIds = new HashSet<>();
    for (Snapshot snapshot :
        appends.subList(Math.min(1, appends.size()), Math.max(1, appends.size() - 1))) {
      steadyIds.add(snapshot.snapshotId());
      steadyCommits[0] += Double.parseDouble(snapshot.summary().get("added-files-size"));
      steadyCommits[1] += Double.parseDouble(snapshot.summary().get("added-records"));
      steadyCommits[2] += Double.parseDouble(snapshot.summary().get("added-data-files"));
    }
    double[] steadyDelays =
        steadyIds.isEmpty() ? new double[] {0, 0} : receiveToCommit(table, steadyIds);

    long compactStart = System.nanoTime();
    double compactCpuStart = measure.cpuSeconds();
    TableManager manager = new TableManager(catalog, TableOptions.defaults());
    double[] sequential = {0, 0};
    double[] parallel = {0, 0};
    if (Boolean.getBoolean("lake.compact.compare")) {
      // the same run's books in two interleaved halves (ranks 0, 2, 4... and 1, 3, 5...), so that
      // both have the same mix of busy and quiet books: the first compacted as before (one group
      // at a time, one commit each), the second as now
      List<String> even = new ArrayList<>();
      List<String> odd = new ArrayList<>();
      for (int i = 0; i < books; i++) {
        (i % 2 == 0 ? even : odd).add(fanOut.names()[i]);
      }
      sequential = compact(manager, even, 1, 1);
      parallel = compact(manager, odd, null, null);
    } else if (!Boolean.parseBoolean(System.getProperty("lake.compact", "true"))) {
      // -Dlake.compact=false: ingestion only. A small heap's run measures what lake ingest needs;
      // compaction here would share that heap with the run's books (lake compact runs alone)
      parallel = new double[] {0, 0};
    } else {
      parallel =
          compact(
              manager,
              null,
              Integer.getInteger("lake.compact.threads"),
              Integer.getInteger("lake.compact.groupsPerCommit"));
    }
    double compactSeconds = (System.nanoTime() - compactStart) / 1e9;
    double compactCpu = measure.cpuSeconds() - compactCpuStart;
    table.refresh();
    Snapshot compacted = table.currentSnapshot();
    double compactedBytes = Double.parseDouble(compacted.summary().get("total-files-size"));
    long compactCommits = 0;
    for (Snapshot snapshot : table.snapshots()) {
      compactCommits += "replace".equals(snapshot.operation()) ? 1 : 0;
    }
    int manifests = compacted.allManifests(table.io()).size();

    Result result =
        new Result(wal ? "lake" : "lake without log")
            .put("rows", rows[0])
            .put("frames", frames[0])
            .put("input_bytes", bytes[0])
            .put("seconds", seconds)
            .put("cpu_seconds", cpu)
            .put("peak_heap_after_gc", peakAfterGc)
            .put("peak_heap_used", peakUsed)
            .put("compaction_peak_heap_after_gc", measure.peakHeapAfterGc())
            .put("live_heap_before_commit", liveHeap)
            .put("buffered_estimate", buffered)
            .put("buffer_max_bytes", bufferMaxBytes == null ? 0 : bufferMaxBytes)
            .put("max_heap", Runtime.getRuntime().maxMemory())
            .put("table_rows", tableRows)
            .put("file_bytes", fileBytes)
            .put("files", files)
            .put("final_commit_seconds", commitSeconds)
            .put("commit_interval_seconds", commitMs / 1000.0)
            .put("receive_to_commit_mean_seconds", delays[0])
            .put("receive_to_commit_max_seconds", delays[1])
            .put("steady_commits", steadyIds.size())
            .put("steady_commit_bytes", steadyCommits[0])
            .put("steady_commit_rows", steadyCommits[1])
            .put("steady_commit_files", steadyCommits[2])
            .put("steady_receive_to_commit_mean_seconds", steadyDelays[0])
            .put("steady_receive_to_commit_max_seconds", steadyDelays[1])
            .put("validated", driver.validated())
            .put("gaps", driver.gaps())
            .put("compacted_bytes", compactedBytes)
            .put("compacted_files", Double.parseDouble(compacted.summary().get("total-data-files")))
            .put("compact_seconds", compactSeconds)
            .put("compact_cpu_seconds", compactCpu)
            .put("compacted_input_files", sequential[0] + parallel[0])
            .put("sequential_compaction_files", sequential[0])
            .put("sequential_compaction_seconds", sequential[1])
            .put("parallel_compaction_files", parallel[0])
            .put("parallel_compaction_seconds", parallel[1])
            .put("compact_commits", compactCommits)
            .put("manifests_after_compaction", manifests)
            .put("commits", commits)
            .put("skew", skew)
            .put("pace", pace)
            .put("books", books)
            .put("sync_rows", steadyFrom[0])
            .put("steady_seconds", steadySeconds)
            .put("steady_cpu_seconds", steadyCpu)
            .put("steady_cpu_without_jit_seconds", steadyLakeCpu)
            .put("late_cpu_seconds", lateCpu[0])
            .put("late_cpu_without_jit_seconds", lateCpu[1])
            .put("late_rows", lateCpu[2])
            .put("late_seconds", lateCpu[3])
            .put(
                "load_average",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
    result.put("cpu_seconds_to_close", cpuToClose);
    if (kafka != null) {
      result
          .put("kafka_rows", kafka.rowsDelivered())
          .put("kafka_delivery_lag_seconds", kafka.deliveryLagSeconds());
      kafka.close();
    }
    measure.stop();
    System.out.println(result.line());
    System.exit(0);
  }

  /**
   * Compacts the delta table, or only the partitions of the given symbols, with the given threads
   * and groups per commit (null: the defaults); returns the files rewritten and the seconds taken.
   * -Dlake.compact.threads=1 -Dlake.compact.groupsPerCommit=1 is the sequential compaction of
   * before; -Dlake.compact.compare=true runs both on two halves of the books.
   * -Dlake.compact.maxGroupRows (default 2,000,000): a group's rows are held while it is rewritten,
   * here beside the run's books, so a small heap needs fewer (lake compact runs alone).
   */
  private static double[] compact(
      TableManager manager, List<String> symbols, Integer threads, Integer groupsPerCommit) {
    long[] files = {0};
    Compaction.Builder compaction =
        Compaction.builder(manager)
            .tables(List.of(LakeTables.ORDERBOOK_DELTA))
            .includeCurrentPartitions()
            .maxGroupRows(Long.getLong("lake.compact.maxGroupRows", 2_000_000))
            .listener(
                new CompactionListener() {
                  @Override
                  public void groupDone(String table, GroupResult group) {
                    files[0] += group.committed() ? group.filesIn() : 0;
                  }
                });
    if (symbols != null) {
      compaction.filter(Expressions.in("symbol", symbols.toArray()));
    }
    if (threads != null) {
      compaction.threads(threads);
    }
    if (groupsPerCommit != null) {
      compaction.groupsPerCommit(groupsPerCommit);
    }
    long start = System.nanoTime();
    compaction.build().run();
    return new double[] {files[0], (System.nanoTime() - start) / 1e9};
  }

  /**
   * From receipt to commit, over every row: the mean and the longest, in seconds. A file's rows
   * were received between its bounds of {@code local_timestamp} and committed with its snapshot;
   * the mean takes each file's rows as received at the middle of its bounds. Over the given
   * snapshots' appends only, or (null) every append.
   */
  private static double[] receiveToCommit(Table table, Set<Long> only) {
    Types.NestedField field = table.schema().findField("local_timestamp");
    double weighted = 0;
    long rows = 0;
    long longest = 0;
    for (Snapshot snapshot : table.snapshots()) {
      if (!"append".equals(snapshot.operation())
          || (only != null && !only.contains(snapshot.snapshotId()))) {
        continue;
      }
      long committed = snapshot.timestampMillis() * 1000;
      for (ManifestFile manifest : snapshot.dataManifests(table.io())) {
        if (manifest.snapshotId() != snapshot.snapshotId()) {
          continue;
        }
        try (ManifestReader<DataFile> files =
            ManifestFiles.read(manifest, table.io(), table.specs())) {
          for (DataFile file : files) {
            long lower =
                Conversions.fromByteBuffer(field.type(), file.lowerBounds().get(field.fieldId()));
            long upper =
                Conversions.fromByteBuffer(field.type(), file.upperBounds().get(field.fieldId()));
            weighted += (committed - (lower + upper) / 2.0) * file.recordCount();
            rows += file.recordCount();
            longest = Math.max(longest, committed - lower);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return new double[] {weighted / rows / 1e6, longest / 1e6};
  }

  /**
   * What lake ingest's Collector.marketStats() gives the metrics, for the replay: each market's
   * frames and rows; the driver's book counters are sums over every book, so they are given once,
   * with the first market, which makes each scrape read every book as lake ingest's does.
   */
  private static List<MarketStats> marketStats(
      Map<MarketType, CountingSink> sinks,
      Map<MarketType, AtomicLong> received,
      BinanceReplayDriver driver,
      int books) {
    List<MarketStats> stats = new ArrayList<>(sinks.size());
    for (Map.Entry<MarketType, CountingSink> market : sinks.entrySet()) {
      long messages = received.get(market.getKey()).get();
      ConnectorStats connector =
          stats.isEmpty()
              ? new ConnectorStats(
                  0,
                  0,
                  messages,
                  driver.validated(),
                  driver.gaps(),
                  0,
                  0,
                  0,
                  books,
                  driver.synced(),
                  0,
                  0,
                  Map.of(DELTA_FEED, messages))
              : new ConnectorStats(
                  0, 0, messages, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(DELTA_FEED, messages));
      stats.add(
          new MarketStats(BinanceVenue.NAME, market.getKey(), connector, market.getValue().rows()));
    }
    return stats;
  }

  static void offer(RowSink sink, List<LakeRow> rows) {
    while (!sink.offer(rows)) {
      CountDownLatch room = new CountDownLatch(1);
      sink.whenRoom(room::countDown);
      try {
        room.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
