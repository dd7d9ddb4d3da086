package org.buddygrid.benchmarks;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.buddygrid.jgroups.JGroupsStack;
import org.buddygrid.jgroups.Stacks;
import org.buddygrid.jgroups.testing.LoopbackNet;
import org.buddygrid.replication.SessionGrid;

/**
 * Session grid nodes in this JVM, on the {@code loopback} stack (in-memory, SHARED_LOOPBACK) or on
 * the {@code tcp} stack bound to 127.0.0.1 with free ports (TCPPING lists only this grid's ports,
 * {@code port_range=0}). Closed together, newest first.
 */
final class InJvmGrid implements AutoCloseable {
  // Held so that the levels set on them are not lost to garbage collection.
  private static final Logger JGROUPS_LOG = Logger.getLogger("org.jgroups");
  private static final Logger BUDDYGRID_LOG = Logger.getLogger("org.buddygrid");

  private final String stack;
  private final String cluster;
  private final List<Integer> ports = new ArrayList<>();
  private final List<SessionGrid> grids = new ArrayList<>();

  /**
   * @param maxNodes how many nodes may be started (tcp: one free port each, all in every node's
   *     discovery list)
   */
  InJvmGrid(String stack, String cluster, int maxNodes) {
    this.stack = stack;
    this.cluster = cluster;
    if (stack.equals("tcp")) {
      LoopbackNet net = new LoopbackNet();
      for (int i = 0; i < maxNodes; i++) {
        ports.add(net.nextTcpPort());
      }
    }
  }

  /**
   * Quiets JGroups and BuddyGrid below WARNING: the engine logs one INFO line per takeover, which
   * would be timed along with it.
   */
  static void quietLogs() {
    JGROUPS_LOG.setLevel(Level.WARNING);
    BUDDYGRID_LOG.setLevel(Level.WARNING);
    if (System.getProperty("java.net.preferIPv4Stack") == null) {
      System.setProperty("java.net.preferIPv4Stack", "true");
    }
  }

  String stackName() {
    return stack;
  }

  JGroupsStack stackFor(int index) {
    if (stack.equals("loopback")) {
      return Stacks.loopback();
    }
    return Stacks.tcp()
        .withBindAddress(LoopbackNet.LOOPBACK)
        .withPortRange(0)
        .withBindPort(ports.get(index))
        .withInitialHosts(LoopbackNet.initialHosts(ports));
  }

  /** Starts the next node ({@code grids().size()}-th, 0-based) with these extra settings. */
  SessionGrid start(String route, UnaryOperator<SessionGrid.Builder> settings) {
    SessionGrid.Builder b =
        SessionGrid.newBuilder()
            .route(route)
            .cluster(cluster)
            .stack(stackFor(grids.size()))
            .allow("org.buddygrid.benchmarks.**")
            .node(
                n ->
                    n.jmx(false)
                        .requestTimeout(Duration.ofSeconds(5))
                        .startTimeout(Duration.ofSeconds(30)));
    SessionGrid g = settings.apply(b).build();
    grids.add(g);
    return g.start();
  }

  /** Waits until every started node sees {@code size} members. */
  void awaitView(int size) throws Exception {
    await(
        "a view of " + size,
        Duration.ofSeconds(60),
        () -> grids.stream().allMatch(g -> g.node().view().size() == size));
  }

  List<SessionGrid> grids() {
    return grids;
  }

  @Override
  public void close() {
    for (int i = grids.size() - 1; i >= 0; i--) {
      try {
        grids.get(i).close();
      } catch (RuntimeException e) {
        System.err.println("closing " + grids.get(i).route() + ": " + e);
      }
    }
    grids.clear();
  }

  /**
   * Closes every node at once, newest first, without handing sessions over: teardown for tools that
   * measure something else (a graceful close of a node owning many sessions hands each one over in
   * turn).
   */
  void closeAbruptly() {
    for (int i = grids.size() - 1; i >= 0; i--) {
      try {
        grids.get(i).closeAbruptly();
      } catch (RuntimeException e) {
        System.err.println("closing " + grids.get(i).route() + ": " + e);
      }
    }
    grids.clear();
  }

  /** Polls {@code condition} every 5 ms until it holds or {@code deadline} passes. */
  static void await(String what, Duration deadline, BooleanSupplier condition) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new TimeoutException("no " + what + " within " + deadline);
      }
      TimeUnit.MILLISECONDS.sleep(5);
    }
  }

  /** One line about the machine: CPUs, load average now, JVM, heap. */
  static void printMachine(PrintStream out) {
    out.printf(
        "machine: %d CPUs (%s), load average %s, %s %s (%s), max heap %d MiB%n",
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        loadAverage(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
        Runtime.getRuntime().maxMemory() >> 20);
  }

  /** The 1, 5 and 15 minute load averages from /proc/loadavg (or the JVM's 1-minute figure). */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return String.format(
          "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("model not exposed");
    } catch (Exception e) {
      return "model not exposed";
    }
  }

  /** Collections and their total time so far, over every collector. */
  static long[] gcCountAndMillis() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new long[] {count, millis};
  }
}
