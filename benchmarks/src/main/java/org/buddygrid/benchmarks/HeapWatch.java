package org.buddygrid.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The heap over a window of time: the highest used heap seen, from samples the caller takes and
 * from the usage the collectors report just before each collection in the window (the true peaks,
 * which a sampler misses); the highest used heap right after a collection in the window; the
 * collections, their pause time and whether any of them shrank the old generation; and the bytes
 * allocated by every thread alive at the window's end.
 */
final class HeapWatch {
  /** One collection as its notification reported it (times in ms of JVM uptime). */
  private record Collection(
      long startMillis,
      long durationMillis,
      long heapBefore,
      long heapAfter,
      long oldBefore,
      long oldAfter) {}

  /**
   * What happened in one window; {@code liveAtCollections} is the highest used heap right after a
   * collection in the window (-1 without one).
   */
  record Window(
      long peakUsed,
      long liveAtCollections,
      long allocated,
      int collections,
      long pauseMillis,
      long oldShrunk) {}

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final Set<String> heapPools = new HashSet<>();
  private final ConcurrentLinkedQueue<Collection> seen = new ConcurrentLinkedQueue<>();
  private final AtomicLong notified = new AtomicLong();
  private final AtomicLong peak = new AtomicLong();
  private long windowStart;
  private long collectionsAtStart;
  private Map<Long, Long> allocatedAtStart = Map.of();

  HeapWatch() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        heapPools.add(p.getName());
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            (n, handback) -> {
              if (n.getType()
                  .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                record(
                    GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
                        .getGcInfo());
              }
            },
            null,
            null);
      }
    }
  }

  private void record(GcInfo info) {
    seen.add(
        new Collection(
            info.getStartTime(),
            info.getDuration(),
            sum(info.getMemoryUsageBeforeGc(), false),
            sum(info.getMemoryUsageAfterGc(), false),
            sum(info.getMemoryUsageBeforeGc(), true),
            sum(info.getMemoryUsageAfterGc(), true)));
    notified.incrementAndGet();
  }

  private long sum(Map<String, MemoryUsage> usage, boolean oldOnly) {
    long total = 0;
    for (Map.Entry<String, MemoryUsage> e : usage.entrySet()) {
      if (heapPools.contains(e.getKey()) && (!oldOnly || isOld(e.getKey()))) {
        total += e.getValue().getUsed();
      }
    }
    return total;
  }

  private static boolean isOld(String pool) {
    return pool.contains("Old") || pool.contains("Tenured");
  }

  /** The collectors' names, for the report. */
  static String collectors() {
    StringBuilder b = new StringBuilder();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      b.append(b.length() == 0 ? "" : ", ").append(gc.getName());
    }
    return b.toString();
  }

  /** Used heap now. */
  long used() {
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Starts a window; the peak starts at the used heap now. */
  void begin() {
    collectionsAtStart = collections();
    allocatedAtStart = allocatedByThread();
    windowStart = ManagementFactory.getRuntimeMXBean().getUptime();
    peak.set(used());
  }

  /** Takes one sample of the used heap (cheap: call it in a poll loop). */
  void sample() {
    long u = used();
    if (u > peak.get()) {
      peak.accumulateAndGet(u, Math::max);
    }
  }

  /** Ends the window (waits briefly for the notifications of its collections). */
  Window end() throws InterruptedException {
    sample();
    long windowEnd = ManagementFactory.getRuntimeMXBean().getUptime();
    Map<Long, Long> allocatedNow = allocatedByThread();
    long collectionsInWindow = collections() - collectionsAtStart;
    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (countIn(windowStart, windowEnd) < collectionsInWindow && System.nanoTime() < waitUntil) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    long peakUsed = peak.get();
    long live = -1;
    int n = 0;
    long pause = 0;
    long oldShrunk = 0;
    for (Collection c : seen) {
      if (c.startMillis() >= windowStart && c.startMillis() <= windowEnd) {
        n++;
        pause += c.durationMillis();
        peakUsed = Math.max(peakUsed, c.heapBefore());
        live = Math.max(live, c.heapAfter());
        oldShrunk += Math.max(0, c.oldBefore() - c.oldAfter());
      }
    }
    long allocated = 0;
    for (Map.Entry<Long, Long> e : allocatedNow.entrySet()) {
      allocated += e.getValue() - allocatedAtStart.getOrDefault(e.getKey(), 0L);
    }
    return new Window(peakUsed, live, allocated, n, pause, oldShrunk);
  }

  private long countIn(long from, long to) {
    return seen.stream().filter(c -> c.startMillis() >= from && c.startMillis() <= to).count();
  }

  private static long collections() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  private Map<Long, Long> allocatedByThread() {
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> out = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        out.put(ids[i], bytes[i]);
      }
    }
    return out;
  }

  /** Used heap after full collections (the least of four, 200 ms apart). */
  long usedAfterGc() throws InterruptedException {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      TimeUnit.MILLISECONDS.sleep(200);
      least = Math.min(least, used());
    }
    return least;
  }
}
