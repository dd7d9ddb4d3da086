package org.buddygrid.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * The demo node processes of one run: free ports on 127.0.0.1, a unique cluster name, the tcp
 * stack. {@link #close()} (and a shutdown hook, should the harness be interrupted) kills every
 * node.
 */
final class Cluster implements AutoCloseable {
  /** FD_SOCK2 of the tcp stack listens on the JGroups port + 100 and the next ports. */
  private static final int FD_SOCK_OFFSET = 100;

  private static final int FD_SOCK_PORTS = 4;

  final List<NodeProcess> nodes = new ArrayList<>();
  final String name;
  private final Thread hook = new Thread(this::killAll, "chaos-cluster-cleanup");

  Cluster(ChaosOptions options, HttpClient http) {
    if (!Files.isRegularFile(options.jar())) {
      throw new IllegalArgumentException(
          "no demo jar at "
              + options.jar().toAbsolutePath()
              + ": build it with ./mvnw -q -pl demo -am package -DskipTests");
    }
    try {
      Files.createDirectories(options.logDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.name = "chaos-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    Set<Integer> taken = new HashSet<>();
    int jgroupsBase = freeRange(options.nodes(), true, taken);
    String hosts =
        java.util.stream.IntStream.range(0, options.nodes())
            .mapToObj(i -> "127.0.0.1[" + (jgroupsBase + i) + "]")
            .collect(Collectors.joining(","));
    for (int i = 0; i < options.nodes(); i++) {
      String route = "node" + (i + 1);
      int httpPort = freeRange(1, false, taken);
      int faultPort = freeRange(1, false, taken);
      List<String> args =
          List.of(
              "--route",
              route,
              "--http-port",
              Integer.toString(httpPort),
              "--jgroups-port",
              Integer.toString(jgroupsBase + i),
              "--initial-hosts",
              hosts,
              "--bind",
              "127.0.0.1",
              "--stack",
              "tcp",
              "--timing",
              options.timing(),
              "--backups",
              Integer.toString(options.backups()),
              "--cluster",
              name,
              "--fault-control-port",
              Integer.toString(faultPort));
      nodes.add(
          new NodeProcess(
              route,
              httpPort,
              jgroupsBase + i,
              faultPort,
              args,
              options.jar(),
              options.logDir(),
              http));
    }
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Starts the first node (it forms the grid), then the others together; waits for READY. */
  void start(Duration timeout) throws Exception {
    nodes.get(0).start();
    nodes.get(0).awaitReady(timeout);
    for (NodeProcess n : nodes.subList(1, nodes.size())) {
      n.start();
    }
    for (NodeProcess n : nodes.subList(1, nodes.size())) {
      n.awaitReady(timeout);
    }
  }

  List<String> routes() {
    return nodes.stream().map(n -> n.route).toList();
  }

  NodeProcess node(String route) {
    return nodes.stream().filter(n -> n.route.equals(route)).findFirst().orElse(null);
  }

  private void killAll() {
    for (NodeProcess n : nodes) {
      n.close();
    }
  }

  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook runs anyway
    }
  }

  /** {@code count} consecutive free ports (and, with {@code fdSock}, their FD_SOCK2 ports). */
  private static int freeRange(int count, boolean fdSock, Set<Integer> taken) {
    for (int attempt = 0; attempt < 500; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(10_000, ephemeralStart() - 200);
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ports.add(base + i);
        if (fdSock) {
          for (int d = 0; d < FD_SOCK_PORTS; d++) {
            ports.add(base + i + FD_SOCK_OFFSET + d);
          }
        }
      }
      if (ports.stream().allMatch(p -> !taken.contains(p) && usable(p))) {
        taken.addAll(ports);
        return base;
      }
    }
    throw new IllegalStateException("no free ports found on 127.0.0.1");
  }

  /**
   * The first port of the system's ephemeral range. Nodes are restarted on their ports, so those
   * must lie below it: a port in the range can be taken by an outgoing connection while its node is
   * down.
   */
  private static int ephemeralStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      return Math.max(20_000, Integer.parseInt(range.split("\\s+")[0]));
    } catch (IOException | RuntimeException e) {
      return 32_768; // Linux's default
    }
  }

  private static boolean usable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
