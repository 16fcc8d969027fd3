package dev.lake.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
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
  private long mixedPhaseLowest = Long.MAX_VALUE;
  private static final String OLD_GEN = "G1 Old Gen";

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
   * The live heap at its fullest, as near as G1 tells without forcing collections: the most the
   * heap held after a full collection (exactly the live objects), or at the end of a phase of mixed
   * collections (the live objects, and the garbage G1 chose to leave, at most G1HeapWastePercent, 5
   * % of the heap, by default). With G1 the heap after a young collection is no such measure: old
   * garbage stays until a mixed or full collection. On Java 17 young and mixed pauses are both
   * reported by the "G1 Young Generation" collector, and the "G1 Old Gen" pool's collection usage
   * is updated by every pause of the mixed phase, those that only collected young regions or failed
   * to evacuate included (checked on 17.0.15 against -Xlog:gc: it read 510 MiB in a 512 MiB heap
   * whose full collections then left 240 to 380 MiB), so neither gives the live heap as such. Here
   * a pause that made the old generation smaller is one that reclaimed old regions; the smallest
   * heap after such pauses in a row ends their phase. Zero when the run had neither.
   */
  long peakHeapAfterGc() {
    synchronized (this) {
      endMixedPhase();
    }
    return peakAfterGc.get();
  }

  // notifications come one at a time, on one thread; synchronized against peakHeapAfterGc()
  private synchronized void afterGc(GarbageCollectionNotificationInfo info) {
    long heapAfter = 0;
    for (Map.Entry<String, MemoryUsage> pool :
        info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (isHeap(pool.getKey())) {
        heapAfter += pool.getValue().getUsed();
      }
    }
    if (info.getGcAction().contains("major")) {
      endMixedPhase();
      peakAfterGc.accumulateAndGet(heapAfter, Math::max);
      return;
    }
    MemoryUsage oldBefore = info.getGcInfo().getMemoryUsageBeforeGc().get(OLD_GEN);
    MemoryUsage oldAfter = info.getGcInfo().getMemoryUsageAfterGc().get(OLD_GEN);
    if (oldBefore != null && oldAfter != null && oldAfter.getUsed() < oldBefore.getUsed()) {
      mixedPhaseLowest = Math.min(mixedPhaseLowest, heapAfter);
    } else {
      endMixedPhase();
    }
  }

  private void endMixedPhase() {
    if (mixedPhaseLowest != Long.MAX_VALUE) {
      peakAfterGc.accumulateAndGet(mixedPhaseLowest, Math::max);
      mixedPhaseLowest = Long.MAX_VALUE;
    }
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
}
