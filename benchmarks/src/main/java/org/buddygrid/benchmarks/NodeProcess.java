package org.buddygrid.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * One {@link BenchNode} JVM started by the harness: its HTTP port, its figures, and a {@code kill
 * -9}. Its output goes to {@code <dir>/node.log}.
 */
final class NodeProcess implements AutoCloseable {
  final BenchMode mode;
  final int index;
  final int httpPort;
  private final Process process;
  private final Path log;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();

  private NodeProcess(BenchMode mode, int index, int httpPort, Process process, Path log) {
    this.mode = mode;
    this.index = index;
    this.httpPort = httpPort;
    this.process = process;
    this.log = log;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  var out = Files.newBufferedWriter(log)) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.startsWith(BenchNode.READY)) {
                    ready.complete(null);
                  }
                  out.write(line);
                  out.newLine();
                  out.flush();
                }
              } catch (IOException e) {
                // the process ended
              }
              ready.completeExceptionally(
                  new IllegalStateException(
                      mode.label + " node " + index + " exited before it was ready: see " + log));
            },
            "node-output-" + mode.label + "-" + index);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the nodes of one cluster of {@code mode} (not waiting for them). */
  static List<NodeProcess> startCluster(
      BenchMode mode, int nodes, String heap, List<String> jvmOptions, Path runDir, String cluster)
      throws IOException {
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      clusterPorts.add(freeClusterPort());
    }
    String ports = String.join(",", clusterPorts.stream().map(String::valueOf).toList());
    List<NodeProcess> started = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      Path dir = Files.createDirectories(runDir.resolve(cluster + "-n" + i));
      int http = freePort();
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx" + heap,
                  "-Xms" + heap,
                  "-XX:+UseSerialGC",
                  "-Djava.net.preferIPv4Stack=true",
                  "-Djava.awt.headless=true"));
      for (String o : jvmOptions) {
        cmd.add(o.replace("{node}", cluster + "-n" + i));
      }
      cmd.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              BenchNode.class.getName(),
              "--mode",
              mode.label,
              "--index",
              Integer.toString(i),
              "--http-port",
              Integer.toString(http),
              "--cluster-ports",
              ports,
              "--cluster",
              cluster,
              "--base-dir",
              dir.resolve("tomcat").toString()));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      started.add(new NodeProcess(mode, i, http, p, dir.resolve("node.log")));
    }
    return started;
  }

  /** Waits until every node serves requests and sees all {@code nodes.size()} members. */
  static void awaitCluster(List<NodeProcess> nodes, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (NodeProcess n : nodes) {
      try {
        n.ready.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            n.mode.label
                + " node "
                + n.index
                + " did not start within "
                + timeout
                + "; the end of its log:\n"
                + n.logTail(),
            e);
      }
    }
    int expected = nodes.get(0).mode.replicates() ? nodes.size() : 1;
    for (NodeProcess n : nodes) {
      while (n.stats(false).get("members") < expected) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              n.mode.label
                  + " node "
                  + n.index
                  + " sees "
                  + n.stats(false).get("members")
                  + " of "
                  + expected
                  + " members after "
                  + timeout);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }
  }

  /** The last 30 lines of the node's output. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The node's {@code /stats}, after two full GCs if {@code gc}. */
  Map<String, Long> stats(boolean gc) {
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create(
                      "http://127.0.0.1:" + httpPort + BenchNode.STATS + "/" + (gc ? "?gc=1" : ""))
                  .toURL()
                  .openConnection();
      c.setConnectTimeout(5_000);
      c.setReadTimeout(30_000);
      Map<String, Long> values = new HashMap<>();
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          int eq = line.indexOf('=');
          values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        }
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(mode.label + " node " + index + ": /stats failed", e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** {@code kill -9}: the JVM gets no chance to leave. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM (so that a flight recording is written), then {@code kill -9} after 15 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      kill();
    }
  }

  private static final java.util.Set<Integer> HANDED_OUT =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * A free port whose neighbours JGroups' FD_SOCK2 uses too ({@code port + 100} to {@code + 103})
   * are free as well.
   */
  static int freeClusterPort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(30_000);
      // Not yet listening nodes of this run hold no socket: never hand out a range twice.
      if (HANDED_OUT.stream()
          .anyMatch(
              p -> Math.abs(p - port) < 8 || Math.abs(p - port) > 92 && Math.abs(p - port) < 108)) {
        continue;
      }
      if (free(port)
          && free(port + 100)
          && free(port + 101)
          && free(port + 102)
          && free(port + 103)) {
        HANDED_OUT.add(port);
        return port;
      }
    }
    throw new IOException("no free port range found on 127.0.0.1 in 100 attempts");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
