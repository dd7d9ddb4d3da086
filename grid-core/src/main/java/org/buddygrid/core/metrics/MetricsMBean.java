package org.buddygrid.core.metrics;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.ReflectionException;

/**
 * Exposes a {@link Metrics} over JMX as {@code org.buddygrid:type=Grid,cluster=<c>,route=<r>}: one
 * read-only attribute per counter and gauge, and per timer {@code <name>.count}, {@code
 * <name>.p50Micros}, {@code <name>.p99Micros}, {@code <name>.maxMicros}, {@code <name>.meanMicros}.
 * Attributes appear as metrics are first used.
 */
public final class MetricsMBean implements DynamicMBean {
  private static final System.Logger LOG = System.getLogger(MetricsMBean.class.getName());

  private final Metrics metrics;
  private final ObjectName name;

  private MetricsMBean(Metrics metrics, ObjectName name) {
    this.metrics = metrics;
    this.name = name;
  }

  /**
   * Registers the metrics with the platform MBean server. A name already taken (two grids of the
   * same cluster and route in one JVM) is logged and skipped: metrics are never a reason to fail.
   *
   * @return a handle whose {@link AutoCloseable#close()} unregisters it
   */
  public static AutoCloseable register(Metrics metrics, String cluster, String route) {
    try {
      ObjectName on =
          new ObjectName(
              "org.buddygrid:type=Grid,cluster=" + ObjectName.quote(cluster) + ",route=" + route);
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      server.registerMBean(new MetricsMBean(metrics, on), on);
      return () -> {
        try {
          server.unregisterMBean(on);
        } catch (JMException ignored) {
          // already gone
        }
      };
    } catch (JMException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: metrics not registered over JMX: {1}",
          route,
          e.toString());
      return () -> {};
    }
  }

  public ObjectName objectName() {
    return name;
  }

  private Map<String, Object> values() {
    Map<String, Object> out = new java.util.TreeMap<>();
    out.putAll(metrics.counters());
    out.putAll(metrics.gauges());
    metrics
        .timers()
        .forEach(
            (n, t) -> {
              Timer.Snapshot s = t.snapshot();
              out.put(n + ".count", s.count());
              out.put(n + ".p50Micros", s.p50Nanos() / 1000.0);
              out.put(n + ".p99Micros", s.p99Nanos() / 1000.0);
              out.put(n + ".maxMicros", s.maxNanos() / 1000.0);
              out.put(n + ".meanMicros", s.meanNanos() / 1000.0);
            });
    return out;
  }

  @Override
  public Object getAttribute(String attribute) throws AttributeNotFoundException {
    Object v = values().get(attribute);
    if (v == null) {
      throw new AttributeNotFoundException(attribute);
    }
    return v;
  }

  @Override
  public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
    throw new AttributeNotFoundException(attribute.getName() + " is read-only");
  }

  @Override
  public AttributeList getAttributes(String[] attributes) {
    Map<String, Object> all = values();
    AttributeList list = new AttributeList();
    for (String a : attributes) {
      if (all.containsKey(a)) {
        list.add(new Attribute(a, all.get(a)));
      }
    }
    return list;
  }

  @Override
  public AttributeList setAttributes(AttributeList attributes) {
    return new AttributeList();
  }

  @Override
  public Object invoke(String actionName, Object[] params, String[] signature)
      throws ReflectionException {
    throw new ReflectionException(
        new NoSuchMethodException(actionName), "BuddyGrid metrics have no operations");
  }

  @Override
  public MBeanInfo getMBeanInfo() {
    List<MBeanAttributeInfo> infos = new ArrayList<>();
    values()
        .forEach(
            (k, v) ->
                infos.add(
                    new MBeanAttributeInfo(
                        k, v.getClass().getName(), "BuddyGrid metric " + k, true, false, false)));
    return new MBeanInfo(
        MetricsMBean.class.getName(),
        "BuddyGrid node metrics",
        infos.toArray(MBeanAttributeInfo[]::new),
        null,
        null,
        null);
  }
}
