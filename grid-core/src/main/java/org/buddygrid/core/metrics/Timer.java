package org.buddygrid.core.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records durations: a running count and total, and a latency histogram (HdrHistogram) whose
 * percentiles cover the interval since the previous {@link #snapshot()}. Thread-safe; recording is
 * wait-free.
 */
public final class Timer {
  private static final long MAX_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final String name;
  private final LongAdder count = new LongAdder();
  private final LongAdder totalNanos = new LongAdder();
  private final Recorder recorder = new Recorder(MAX_TRACKABLE_NANOS, 2);
  private Histogram interval;
  private volatile Snapshot last = new Snapshot(0, 0, 0, 0, 0, 0);

  Timer(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Records one duration in nanoseconds; negative values count as 0. */
  public void recordNanos(long nanos) {
    long v = Math.min(Math.max(0, nanos), MAX_TRACKABLE_NANOS);
    count.increment();
    totalNanos.add(v);
    recorder.recordValue(v);
  }

  public void record(Duration d) {
    recordNanos(d.toNanos());
  }

  /** Durations recorded since the node started. */
  public long count() {
    return count.sum();
  }

  /**
   * Percentiles of what was recorded since the previous call (or the last non-empty interval, so
   * that JMX readers polling often do not see zeros), plus running totals.
   */
  public synchronized Snapshot snapshot() {
    interval = recorder.getIntervalHistogram(interval);
    if (interval.getTotalCount() > 0) {
      last =
          new Snapshot(
              count.sum(),
              totalNanos.sum(),
              interval.getValueAtPercentile(50),
              interval.getValueAtPercentile(99),
              interval.getValueAtPercentile(99.9),
              interval.getMaxValue());
    } else {
      Snapshot s = last;
      last =
          new Snapshot(
              count.sum(), totalNanos.sum(), s.p50Nanos, s.p99Nanos, s.p999Nanos, s.maxNanos);
    }
    return last;
  }

  /** A timer's figures at one moment; percentiles in nanoseconds. */
  public record Snapshot(
      long count, long totalNanos, long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos) {
    public double meanNanos() {
      return count == 0 ? 0 : (double) totalNanos / count;
    }
  }
}
