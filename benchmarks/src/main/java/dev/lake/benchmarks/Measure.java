package dev.lake.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/** Wall time, process CPU time and heap of a measured run. Start one per run. */
final class Measure {
  private final long startNanos = System.nanoTime();
  private long excludedNanos;
  private final long startCpu = processCpuNanos();
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final AtomicLong peakUsed = new AtomicLong();
  private final Thread sampler;
  private volatile boolean running = true;

  Measure() {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            (notification, handback) -> {
              if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                  notification.getType())) {
                afterGc(
                    GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData()));
              }
            },
            null,
            null);
      }
    }
    this.sampler =
        new Thread(
            () -> {
              while (running) {
                peakUsed.accumulateAndGet(
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  double seconds() {
    return (System.nanoTime() - startNanos - excludedNanos) / 1e9;
  }

  /** Leaves a pause the benchmark itself caused (a measuring collection) out of the time. */
  void exclude(long nanos) {
    excludedNanos += nanos;
  }

  double cpuSeconds() {
    return (processCpuNanos() - startCpu) / 1e9;
  }

  /**
   * The most live heap any full collection found over the run: G1's own, when the heap ran short,
   * and those a benchmark asks for at its fullest point (LakeRun's), each of which leaves exactly
   * the live objects. Zero when there was none. Not the heap after other collections: with G1 the
   * heap after a young one counts old garbage not yet collected and reads as the whole heap; on
   * Java 17 the "G1 Old Gen" pool's collection usage is updated by every pause of the mixed phase,
   * failed evacuations included (it read 510 MiB in a 512 MiB heap whose full collections left 240
   * to 380 MiB, checked against -Xlog:gc on 17.0.15); and the lowest heap after the mixed pauses of
   * a phase still read 494 MiB there, as a heap under pressure ends its mixed phases early.
   */
  long peakHeapAfterGc() {
    return peakAfterGc.get();
  }

  private void afterGc(GarbageCollectionNotificationInfo info) {
    if (!info.getGcAction().contains("major")) {
      return;
    }
    long heapAfter = 0;
    for (Map.Entry<String, MemoryUsage> pool :
        info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (isHeap(pool.getKey())) {
        heapAfter += pool.getValue().getUsed();
      }
    }
    peakAfterGc.accumulateAndGet(heapAfter, Math::max);
  }

  private static boolean isHeap(String pool) {
    return !pool.contains("Metaspace") && !pool.contains("Code") && !pool.contains("Compressed");
  }

  long peakHeapUsed() {
    return peakUsed.get();
  }

  void stop() {
    running = false;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU time of each of the process's threads so far, in clock ticks (usually 10 ms), summed by
   * thread name with digits dropped ("GC Thread#0" and "GC Thread#1" are one entry), from
   * /proc/self/task, which also counts the JVM's own threads (GC, JIT) that ThreadMXBean does not.
   * Empty where /proc is not there.
   */
  static Map<String, Long> threadTicks() {
    Map<String, Long> ticks = new TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException ended) {
          continue;
        }
        // the name is in parentheses and may hold spaces; the fields after it are space separated
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close).replaceAll("[0-9]+", "").trim();
        String[] fields = stat.substring(close + 2).split(" ");
        // utime and stime are fields 14 and 15 of stat; state is field 3, at index 0 here
        long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        ticks.merge(name, used, Long::sum);
      }
    } catch (IOException | RuntimeException absent) {
      return Map.of();
    }
    return ticks;
  }

  /**
   * The CPU each thread group used between two {@link #threadTicks()} readings, in microseconds a
   * row, largest first, as one line; threads that ended in between count from zero.
   */
  static String threadSplit(Map<String, Long> from, Map<String, Long> to, long rows) {
    double tickMicros = 1e6 / 100;
    StringBuilder line = new StringBuilder();
    to.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - from.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(
            e ->
                line.append(
                    String.format("%s=%.3f ", e.getKey(), e.getValue() * tickMicros / rows)));
    return line.toString().trim();
  }

  /**
   * CPU seconds between two {@link #threadTicks()} readings that a long-running ingest would not
   * spend per row: the JIT compilers (C1, C2, the code cache sweeper), still compiling code paths a
   * few minutes into a run (the commit path first runs after a commit interval; measured: most
   * compilations fall in the first 140 s and about 30 in each 20 s after that), and this harness's
   * own heap sampler.
   */
  static double warmUpAndHarnessSeconds(Map<String, Long> from, Map<String, Long> to) {
    long ticks = 0;
    for (Map.Entry<String, Long> e : to.entrySet()) {
      String name = e.getKey();
      if (name.startsWith("C CompilerThre")
          || name.startsWith("C CompilerThread")
          || name.startsWith("Sweeper thread")
          || name.equals("heap-sampler")) {
        ticks += e.getValue() - from.getOrDefault(name, 0L);
      }
    }
    return ticks / 100.0;
  }
}
