package org.buddygrid.core.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A node's named counters, gauges and timers. Names are dot-separated and stable ({@code
 * messages.sent}, {@code wire.rejected.truncated}); they are what JMX shows and what a Micrometer
 * binding maps one to one. Thread-safe; a counter or timer is created on first use and lives as
 * long as the node.
 */
public final class Metrics {
  private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongSupplier> gauges = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  /** The counter with this name, created at 0 on first use. */
  public LongAdder counter(String name) {
    return counters.computeIfAbsent(requireName(name), n -> new LongAdder());
  }

  /** Adds one to a counter. */
  public void increment(String name) {
    counter(name).increment();
  }

  /** A counter's current value, 0 if it was never used. */
  public long count(String name) {
    LongAdder a = counters.get(name);
    return a == null ? 0 : a.sum();
  }

  /** Registers (or replaces) a gauge read on demand. */
  public void gauge(String name, LongSupplier value) {
    gauges.put(requireName(name), Objects.requireNonNull(value, "value"));
  }

  /** A gauge's current value, or 0 when there is none. */
  public long gaugeValue(String name) {
    LongSupplier s = gauges.get(name);
    return s == null ? 0 : s.getAsLong();
  }

  /** The timer with this name, created on first use. */
  public Timer timer(String name) {
    return timers.computeIfAbsent(requireName(name), Timer::new);
  }

  /** Every counter's value, by name. */
  public SortedMap<String, Long> counters() {
    SortedMap<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Every gauge's value now, by name. */
  public SortedMap<String, Long> gauges() {
    SortedMap<String, Long> out = new TreeMap<>();
    gauges.forEach((k, v) -> out.put(k, v.getAsLong()));
    return out;
  }

  /** Every timer, by name. */
  public Map<String, Timer> timers() {
    return new TreeMap<>(timers);
  }

  private static String requireName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("metric name must not be empty");
    }
    return name;
  }
}
