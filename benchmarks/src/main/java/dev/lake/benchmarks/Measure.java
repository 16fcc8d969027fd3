package dev.lake.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;

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
    List<MemoryPoolMXBean> afterCollections = collectedPools();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            (notification, handback) -> {
              if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                  notification.getType())) {
                notePeakAfterGc(afterCollections);
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
                // notifications are delivered late and may coalesce; the pools keep the value
                notePeakAfterGc(afterCollections);
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
   * The most the heap held right after a collection that reclaimed old objects (a G1 mixed or full
   * collection), over the run: the old generation's usage after such a collection plus the
   * survivors of the last young one. With G1 the heap after a young collection is no measure of the
   * live set (old garbage stays until a mixed or full collection), and on Java 17 the young and
   * mixed pauses are reported alike, by the "G1 Young Generation" collector; but the "G1 Old Gen"
   * pool's collection usage is updated only by mixed and full collections (checked on 17.0.15
   * against -Xlog:gc). It is an upper bound of the live heap: a mixed collection leaves the old
   * regions it did not pick, garbage included. Zero when the run had no such collection; with
   * another collector, the heap after any collection.
   */
  long peakHeapAfterGc() {
    notePeakAfterGc(collectedPools());
    return peakAfterGc.get();
  }

  private void notePeakAfterGc(List<MemoryPoolMXBean> pools) {
    long used = 0;
    for (MemoryPoolMXBean pool : pools) {
      MemoryUsage usage = pool.getCollectionUsage();
      if (pool.getName().equals("G1 Old Gen") && (usage == null || usage.getUsed() == 0)) {
        return; // no mixed or full collection yet
      }
      used += usage == null ? 0 : usage.getUsed();
    }
    peakAfterGc.accumulateAndGet(used, Math::max);
  }

  /** G1: the old generation and the survivors; other collectors: every heap pool. */
  private static List<MemoryPoolMXBean> collectedPools() {
    List<MemoryPoolMXBean> heap = new ArrayList<>();
    boolean g1 = false;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heap.add(pool);
        g1 |= pool.getName().equals("G1 Old Gen");
      }
    }
    if (g1) {
      heap.removeIf(pool -> pool.getName().equals("G1 Eden Space"));
    }
    return heap;
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
}
