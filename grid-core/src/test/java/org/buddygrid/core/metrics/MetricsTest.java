package org.buddygrid.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void countersGaugesAndTimersAreReadableByName() {
    Metrics m = new Metrics();
    m.increment("a.b");
    m.counter("a.b").add(4);
    m.gauge("g", () -> 42);
    for (int i = 1; i <= 100; i++) {
      m.timer("t").recordNanos(i * 1000L);
    }
    assertThat(m.count("a.b")).isEqualTo(5);
    assertThat(m.count("never")).isZero();
    assertThat(m.gauges()).containsEntry("g", 42L);
    Timer.Snapshot s = m.timer("t").snapshot();
    assertThat(s.count()).isEqualTo(100);
    assertThat(s.p50Nanos()).isBetween(49_000L, 51_000L);
    assertThat(s.p99Nanos()).isBetween(98_000L, 100_100L);
    assertThat(s.meanNanos()).isEqualTo(50_500.0);
    // A quiet interval keeps the last percentiles instead of dropping to zero.
    assertThat(m.timer("t").snapshot().p50Nanos()).isEqualTo(s.p50Nanos());
  }

  @Test
  void jmxShowsEveryMetricAndUnregistersOnClose() throws Exception {
    Metrics m = new Metrics();
    m.increment("wire.rejected.truncated");
    m.timer("requests.Take.latency").recordNanos(2_000_000);
    String cluster = "jmx-" + UUID.randomUUID();
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name =
        new ObjectName(
            "org.buddygrid:type=Grid,cluster=" + ObjectName.quote(cluster) + ",route=node1");
    try (AutoCloseable handle = MetricsMBean.register(m, cluster, "node1")) {
      assertThat(server.getAttribute(name, "wire.rejected.truncated")).isEqualTo(1L);
      assertThat((Double) server.getAttribute(name, "requests.Take.latency.p99Micros"))
          .isBetween(1900.0, 2100.0);
      assertThat(server.getMBeanInfo(name).getAttributes()).isNotEmpty();
      // A second registration under the same name is skipped, not fatal.
      try (AutoCloseable second = MetricsMBean.register(new Metrics(), cluster, "node1")) {
        assertThat(server.getAttribute(name, "wire.rejected.truncated")).isEqualTo(1L);
      }
    }
    assertThat(server.isRegistered(name)).isFalse();
  }
}
