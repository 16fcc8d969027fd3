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

  Measure() {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            (notification, handback) -> {
              if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                  notification.getType())) {
                return;
              }
              GarbageCollectionNotificationInfo info =
                  GarbageCollectionNotificationInfo.from(
                      (CompositeData) notification.getUserData());
              long used = 0;
              for (Map.Entry<String, MemoryUsage> pool :
                  info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (!pool.getKey().contains("Metaspace")
                    && !pool.getKey().contains("Code")
                    && !pool.getKey().contains("Compressed")) {
                  used += pool.getValue().getUsed();
                }
              }
              peakAfterGc.accumulateAndGet(used, Math::max);
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

  long peakHeapAfterGc() {
    return peakAfterGc.get();
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
