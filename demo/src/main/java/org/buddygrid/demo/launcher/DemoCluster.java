package org.buddygrid.demo.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The whole demo: node processes on loopback, Apache httpd in front of them, and the control
 * server. {@link #start} returns once everything serves; {@link #close()} stops everything it
 * started (httpd, then the nodes one by one, gracefully, then anything left by force) and checks
 * that nothing is left running.
 */
public final class DemoCluster implements AutoCloseable {
  static final Duration STOP_GRACE = Duration.ofSeconds(20);
  static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  /**
   * What to start.
   *
   * @param nodes how many nodes (node1, node2, ...)
   * @param balancerPort httpd's port; 0: no balancer
   * @param firstHttpPort node1's HTTP port; the others count up
   * @param firstJgroupsPort node1's JGroups port; the others count up
   * @param mode {@code filter} or {@code tomcat}
   * @param timing {@code SYNC}, {@code ASYNC} or {@code INTERVAL}
   * @param backups copies per session
   * @param cluster the grid's cluster name
   * @param runDir the run directory
   * @param jar the demo jar the nodes run
   * @param controlPort the control server's port; 0: any free one
   */
  public record Config(
      int nodes,
      int balancerPort,
      int firstHttpPort,
      int firstJgroupsPort,
      String mode,
      String timing,
      int backups,
      String cluster,
      Path runDir,
      Path jar,
      int controlPort) {}

  private final Config config;
  private final RunDir run;
  private final PrintStream out;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final CountDownLatch shutdownRequested = new CountDownLatch(1);
  private Balancer balancer;
  private ControlServer control;
  private boolean closed;

  private DemoCluster(Config config, PrintStream out) {
    this.config = config;
    this.run = new RunDir(config.runDir());
    this.out = out;
  }

  /**
   * Starts the demo: node1 first (it forms the grid), then the others together, then httpd.
   *
   * @throws IllegalStateException with what went wrong; whatever had started is stopped again
   */
  public static DemoCluster start(Config config, PrintStream out)
      throws IOException, InterruptedException {
    DemoCluster c = new DemoCluster(config, out);
    try {
      c.startAll();
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private void startAll() throws IOException, InterruptedException {
    checkNoOtherDemo();
    run.create();
    if (config.balancerPort() > 0) {
      balancer = Balancer.prepare(run, config.balancerPort());
    }
    checkPortsFree();
    run.writePid("launcher", ProcessHandle.current().pid());
    control = new ControlServer(this, config.controlPort());
    run.write(run.controlUrlFile(), control.url());
    StringJoiner hosts = new StringJoiner(",");
    for (int i = 0; i < config.nodes(); i++) {
      hosts.add("127.0.0.1[" + (config.firstJgroupsPort() + i) + "]");
    }
    for (int i = 0; i < config.nodes(); i++) {
      String route = "node" + (i + 1);
      int http = config.firstHttpPort() + i;
      List<String> cmd =
          List.of(
              Processes.java(),
              "-Xmx192m",
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "-Djava.net.preferIPv4Stack=true",
              "-jar",
              config.jar().toString(),
              "--route",
              route,
              "--http-port",
              Integer.toString(http),
              "--jgroups-port",
              Integer.toString(config.firstJgroupsPort() + i),
              "--initial-hosts",
              hosts.toString(),
              "--cluster",
              config.cluster(),
              "--mode",
              config.mode(),
              "--timing",
              config.timing(),
              "--backups",
              Integer.toString(config.backups()),
              "--control-url",
              control.url());
      nodes.add(new NodeProcess(route, "http://127.0.0.1:" + http + "/", cmd, run, out));
    }
    log("starting " + nodes.get(0).route() + " (it forms the grid)");
    nodes.get(0).start(READY_TIMEOUT);
    List<CompletableFuture<Void>> rest = new ArrayList<>();
    for (NodeProcess n : nodes.subList(1, nodes.size())) {
      log("starting " + n.route());
      rest.add(CompletableFuture.runAsync(() -> startNode(n)));
    }
    for (CompletableFuture<Void> f : rest) {
      try {
        f.join();
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    if (balancer != null) {
      log("starting Apache httpd on port " + config.balancerPort());
      balancer.start(nodes.stream().map(n -> new Balancer.Member(n.route(), port(n))).toList());
    }
  }

  private static int port(NodeProcess n) {
    String u = n.url();
    return Integer.parseInt(u.substring(u.lastIndexOf(':') + 1, u.length() - 1));
  }

  private void checkNoOtherDemo() {
    Optional<String> url = run.controlUrl();
    Path pid = run.pids().resolve("launcher.pid");
    if (url.isPresent() && Files.exists(pid)) {
      try {
        long p = Long.parseLong(Files.readString(pid).strip());
        if (ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)) {
          throw new IllegalStateException(
              "a demo is running already from "
                  + run.root()
                  + " (launcher pid "
                  + p
                  + "): stop it with Ctrl-C in its terminal or ./demo/buddygrid-demo down");
        }
      } catch (IOException | NumberFormatException e) {
        // a stale file: the new demo overwrites it
      }
    }
  }

  private void checkPortsFree() {
    List<String> busy = new ArrayList<>();
    List<int[]> wanted = new ArrayList<>();
    if (config.balancerPort() > 0) {
      wanted.add(new int[] {config.balancerPort()});
    }
    for (int i = 0; i < config.nodes(); i++) {
      wanted.add(new int[] {config.firstHttpPort() + i});
      wanted.add(new int[] {config.firstJgroupsPort() + i});
    }
    for (int[] p : wanted) {
      if (!isFree(p[0])) {
        busy.add(Integer.toString(p[0]));
      }
    }
    if (!busy.isEmpty()) {
      throw new IllegalStateException(
          "port(s) "
              + String.join(", ", busy)
              + " on 127.0.0.1 are in use: stop what uses them, or"
              + " choose others (--port, --http-port, --jgroups-port)");
    }
  }

  /** Whether {@code port} can be bound on 127.0.0.1 now. */
  public static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  void log(String line) {
    out.println("[demo] " + line);
    out.flush();
  }

  /** The node processes, node1 first. */
  public List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  public Optional<NodeProcess> node(String route) {
    return nodes.stream().filter(n -> n.route().equals(route)).findFirst();
  }

  /** The balancer's URL, if there is one. */
  public Optional<String> balancerUrl() {
    return Optional.ofNullable(balancer).map(Balancer::url);
  }

  /** The control server's URL. */
  public String controlUrl() {
    return control.url();
  }

  public RunDir runDir() {
    return run;
  }

  void startNode(NodeProcess n) {
    try {
      n.start(READY_TIMEOUT);
      log(n.route() + " is up at " + n.url());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (IllegalStateException e) {
      log(e.getMessage());
      throw e;
    }
  }

  void restartNode(NodeProcess n) {
    n.stop(STOP_GRACE);
    log(n.route() + " stopped; starting it again");
    startNode(n);
  }

  /** Asks {@link #awaitShutdownRequest()} to return (the control server's {@code /shutdown}). */
  void requestShutdown() {
    shutdownRequested.countDown();
  }

  /** Waits until someone asks the demo to stop through the control server. */
  public void awaitShutdownRequest() throws InterruptedException {
    shutdownRequested.await();
  }

  /**
   * Stops everything this demo started: httpd, then the nodes from the last to the first
   * (gracefully, each handing its sessions to the ones still running), then checks that no process
   * is left. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (balancer != null) {
      balancer.stop();
    }
    for (int i = nodes.size() - 1; i >= 0; i--) {
      NodeProcess n = nodes.get(i);
      if (n.handle().isPresent()) {
        log("stopping " + n.route());
        n.stop(STOP_GRACE);
      }
    }
    if (control != null) {
      control.close();
    }
    List<String> left = new ArrayList<>();
    for (NodeProcess n : nodes) {
      n.handle().ifPresent(h -> left.add(n.route() + " (pid " + h.pid() + ")"));
    }
    if (balancer != null) {
      balancer.handle().ifPresent(h -> left.add("httpd (pid " + h.pid() + ")"));
    }
    try {
      Files.deleteIfExists(run.controlUrlFile());
    } catch (IOException e) {
      // harmless: the next start checks whether its launcher still runs
    }
    run.removePid("launcher");
    log(left.isEmpty() ? "everything stopped" : "still running, stop by hand: " + left);
  }
}
