package org.buddygrid.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The end-to-end benchmark: BuddyGrid against no replication and Tomcat's DeltaManager and
 * BackupManager, each node its own JVM ({@link BenchNode}) on 127.0.0.1, driven by {@link
 * LoadClient}s in this JVM. Scenarios (BENCHMARKS.md in RESULTS.md):
 *
 * <ol>
 *   <li>write-heavy, 2. read-mostly (90/10), 3. create-heavy: one 2-node cluster per mode, all up
 *       at once; {@code --rounds} rounds of {@code --seconds} each, the modes' order rotated every
 *       round (so drifts of the shared machine fall on every mode alike);
 *   <li value="4">scale: write-heavy on 2, 4, 6, 8 nodes ({@code --scale-nodes}), the modes of
 *       {@code --scale-modes} up at once per node count, rounds interleaved likewise;
 *   <li value="5">failover: per mode of {@code --failover-modes}, 3 nodes under write-heavy load,
 *       {@code kill -9} of one: time until every session of the dead node was served again, failed
 *       requests, lost sessions and updates.
 * </ol>
 *
 * Before the scenarios, heap per session: {@code --heap-sessions} sessions created on node 0 of
 * each 2-node cluster; GC'd heap growth on node 0 (owner) and node 1 (backup) per session.
 *
 * <p>Phases run in this order: the 2-node scenarios, failover, scale (the longest: it starts new
 * JVMs per node count). {@code results.md} and the PNG charts in {@code --out} are rewritten after
 * every phase, so a run stopped early keeps what it measured.
 *
 * <pre>
 * benchmarks/run-e2e [--quick] [--out DIR] [--modes none,delta,...] [--rounds 5] [--seconds 10]
 * </pre>
 */
public final class EndToEndBench {
  static final String USAGE =
      "usage: EndToEndBench [--quick] [--out DIR] [--modes m1,m2,...] [--rounds 5] [--seconds 10]"
          + " [--warmup 30] [--clients 16] [--sessions 16] [--heap-sessions 1000]"
          + " [--scale-nodes 2,4,6,8] [--scale-modes delta,backup,sync,async]"
          + " [--failover-modes delta,backup,sync,async,interval,sync-tomcat]"
          + " [--scenarios write,read,create,scale,failover] [--node-jvm \"-XX:...\"]\n"
          + "  modes: "
          + BenchMode.labels(List.of(BenchMode.values()))
          + "\n  --quick: 1-second rounds, 2 rounds, few sessions, scale on 2 and 3 nodes: a smoke"
          + " run of a minute or two; options given as well override it\n"
          + "  --node-jvm: extra JVM options of every node, e.g. \"-XX:StartFlightRecording=...\";"
          + " {node} in them becomes the node's cluster and index";

  static final List<String> SCENARIOS = List.of("write", "read", "create", "scale", "failover");

  private final PrintStream log;
  final Path out;
  final List<BenchMode> modes;
  final int rounds;
  final int seconds;
  final int warmup;
  final int clients;
  final int sessions;
  final int heapSessions;
  final List<Integer> scaleNodes;
  final List<BenchMode> scaleModes;
  final List<BenchMode> failoverModes;
  final List<String> scenarios;
  final String commandLine;
  final List<String> nodeJvmOptions;
  private final List<NodeProcess> running = Collections.synchronizedList(new ArrayList<>());
  private final Path runDir;

  EndToEndBench(ToolArgs a, String commandLine, PrintStream log) throws IOException {
    this.log = log;
    this.commandLine = commandLine;
    boolean quick = a.flag("--quick");
    out = Path.of(a.string("--out", "benchmarks/target/e2e"));
    modes = BenchMode.list(a.string("--modes", BenchMode.labels(List.of(BenchMode.values()))));
    rounds = a.integer("--rounds", quick ? 2 : 5, 1);
    seconds = a.integer("--seconds", quick ? 1 : 10, 1);
    // A profile of SYNC nodes (async-profiler) showed the JIT compilers taking over a third of
    // the nodes' CPU in the first minute: shorter warm-ups measure compilation, not replication.
    warmup = a.integer("--warmup", quick ? 1 : 30, 0);
    clients = a.integer("--clients", quick ? 4 : 16, 1);
    sessions = a.integer("--sessions", quick ? 4 : 16, 1);
    heapSessions = a.integer("--heap-sessions", quick ? 100 : 1000, 1);
    scaleNodes = a.integers("--scale-nodes", quick ? List.of(2, 3) : List.of(2, 4, 6, 8), 2);
    scaleModes =
        BenchMode.list(a.string("--scale-modes", quick ? "delta,sync" : "delta,backup,sync,async"));
    failoverModes =
        BenchMode.list(
            a.string(
                "--failover-modes",
                quick ? "sync" : "delta,backup,sync,async,interval,sync-tomcat"));
    String s = a.string("--scenarios", String.join(",", SCENARIOS));
    // A smoke run's nodes start faster with the C1 compiler alone; measured runs use the default.
    String jvm = a.string("--node-jvm", quick ? "-XX:TieredStopAtLevel=1" : "").trim();
    nodeJvmOptions = jvm.isEmpty() ? List.of() : List.of(jvm.split("\\s+"));
    a.done();
    scenarios = new ArrayList<>();
    for (String name : s.split(",")) {
      if (!SCENARIOS.contains(name.trim())) {
        throw new IllegalArgumentException(
            "--scenarios " + s + ": each of " + String.join(",", SCENARIOS));
      }
      scenarios.add(name.trim());
    }
    for (BenchMode m : failoverModes) {
      if (!m.replicates()) {
        throw new IllegalArgumentException(
            "--failover-modes: " + m.label + " keeps no copy; a failover measures nothing");
      }
    }
    Files.createDirectories(out);
    runDir = Files.createTempDirectory("buddygrid-e2e-");
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    EndToEndBench bench;
    try {
      bench =
          new EndToEndBench(
              ToolArgs.parse(args, USAGE, "--quick"),
              "EndToEndBench " + String.join(" ", args),
              System.out);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    E2eReport report = bench.run();
    System.out.println("results: " + report.markdownFile());
    System.exit(0);
  }

  // ------------------------------------------------------------------ figures

  /** One measured window of one mode (all of a cluster's nodes). */
  record Window(
      String scenario,
      BenchMode mode,
      int nodes,
      int round,
      long requests,
      long writes,
      long failed,
      long nanos,
      Histogram latency,
      long cpuNanos,
      long wireBytes,
      String load) {
    double perSecond() {
      return requests * 1e9 / nanos;
    }

    double micros(double percentile) {
      return latency.getTotalCount() == 0
          ? Double.NaN
          : latency.getValueAtPercentile(percentile) / 1000.0;
    }

    /** CPU time of every node JVM per request, microseconds. */
    double cpuMicrosPerRequest() {
      return requests == 0 ? Double.NaN : cpuNanos / 1000.0 / requests;
    }

    /** CPU time of every node JVM per update (write), microseconds. */
    double cpuMicrosPerUpdate() {
      return writes == 0 ? Double.NaN : cpuNanos / 1000.0 / writes;
    }

    /** Bytes every node put on the replication wire, per update. */
    double bytesPerUpdate() {
      return writes == 0 ? Double.NaN : (double) wireBytes / writes;
    }
  }

  /** Heap per session of one mode. */
  record Heap(
      BenchMode mode, int sessions, long copiesOnBackup, double ownerBytes, double backupBytes) {}

  /** One failover run. */
  record Failover(
      BenchMode mode,
      int sessionsOnDeadNode,
      double recoverySeconds,
      long failed,
      long lostSessions,
      long lostUpdates,
      double p99Millis,
      long requests) {}

  // ------------------------------------------------------------------ run

  E2eReport run() throws Exception {
    Thread cleanup = new Thread(this::killAll, "e2e-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    E2eReport report = new E2eReport(this);
    try {
      report.loadBefore = uptime();
      // Results are written after every phase, so that a long run stopped early keeps them.
      if (scenarios.stream().anyMatch(s -> List.of("write", "read", "create").contains(s))) {
        runTwoNodeScenarios(report);
        report.write();
      }
      if (scenarios.contains("failover")) {
        for (BenchMode m : failoverModes) {
          report.failovers.add(runFailover(m));
          report.write();
        }
      }
      if (scenarios.contains("scale")) {
        for (int n : scaleNodes) {
          runScale(n, report);
          report.loadAfter = uptime();
          report.write();
        }
      }
      report.loadAfter = uptime();
      report.write();
      return report;
    } finally {
      killAll();
      Runtime.getRuntime().removeShutdownHook(cleanup);
      deleteQuietly(runDir);
    }
  }

  private void runTwoNodeScenarios(E2eReport report) throws Exception {
    Map<BenchMode, List<NodeProcess>> clusters = startClusters(modes, 2, "512m");
    try {
      for (BenchMode m : modes) {
        report.heaps.add(measureHeap(m, clusters.get(m)));
      }
      for (String scenario : List.of("write", "read", "create")) {
        if (!scenarios.contains(scenario)) {
          continue;
        }
        LoadClient.Work work =
            switch (scenario) {
              case "write" -> LoadClient.Work.WRITE;
              case "read" -> LoadClient.Work.MIXED;
              default -> LoadClient.Work.CREATE;
            };
        report.windows.addAll(interleave(scenario, work, clusters));
      }
    } finally {
      stop(clusters);
    }
  }

  private void runScale(int nodes, E2eReport report) throws Exception {
    Map<BenchMode, List<NodeProcess>> clusters = startClusters(scaleModes, nodes, "256m");
    try {
      report.windows.addAll(interleave("scale", LoadClient.Work.WRITE, clusters));
    } finally {
      stop(clusters);
    }
  }

  private Map<BenchMode, List<NodeProcess>> startClusters(
      List<BenchMode> which, int nodes, String heap) throws Exception {
    log.printf("starting %d-node clusters of %s (-Xmx%s)%n", nodes, BenchMode.labels(which), heap);
    Map<BenchMode, List<NodeProcess>> clusters = new LinkedHashMap<>();
    for (BenchMode m : which) {
      List<NodeProcess> c =
          NodeProcess.startCluster(
              m,
              nodes,
              heap,
              nodeJvmOptions,
              runDir,
              "e2e-" + m.label + "-" + nodes + "-" + shortId());
      running.addAll(c);
      clusters.put(m, c);
    }
    for (List<NodeProcess> c : clusters.values()) {
      NodeProcess.awaitCluster(c, Duration.ofMinutes(5));
    }
    return clusters;
  }

  private void stop(Map<BenchMode, List<NodeProcess>> clusters) throws InterruptedException {
    for (List<NodeProcess> c : clusters.values()) {
      for (NodeProcess n : c) {
        n.close();
        running.remove(n);
      }
    }
  }

  /** Rounds of {@code work} over every cluster, the modes' order rotated each round. */
  private List<Window> interleave(
      String scenario, LoadClient.Work work, Map<BenchMode, List<NodeProcess>> clusters)
      throws Exception {
    Map<BenchMode, List<LoadClient>> load = new LinkedHashMap<>();
    for (Map.Entry<BenchMode, List<NodeProcess>> e : clusters.entrySet()) {
      List<Integer> ports = e.getValue().stream().map(n -> n.httpPort).toList();
      List<LoadClient> cs = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        cs.add(new LoadClient(work, ports, i % ports.size(), sessions));
      }
      load.put(e.getKey(), cs);
      if (warmup > 0) {
        log.printf("  %s %s: warm-up %d s%n", scenario, e.getKey().label, warmup);
        drive(cs, TimeUnit.SECONDS.toNanos(warmup));
      } else {
        drive(cs, TimeUnit.MILLISECONDS.toNanos(200)); // at least the sessions exist
      }
    }
    List<BenchMode> order = new ArrayList<>(clusters.keySet());
    List<Window> windows = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      for (BenchMode m : order) {
        Window w = measure(scenario, m, r, clusters.get(m), load.get(m));
        windows.add(w);
        log.printf(
            "  %s n=%d round %d %-15s %8.0f req/s p50 %6.0f us p99 %7.0f us  cpu %6.1f us/req"
                + "  %7.1f B/update  failed %d%n",
            scenario,
            w.nodes(),
            r,
            m.label,
            w.perSecond(),
            w.micros(50),
            w.micros(99),
            w.cpuMicrosPerRequest(),
            w.bytesPerUpdate(),
            w.failed());
      }
      Collections.rotate(order, -1);
    }
    load.values().forEach(cs -> cs.forEach(LoadClient::close));
    return windows;
  }

  private Window measure(
      String scenario, BenchMode mode, int round, List<NodeProcess> nodes, List<LoadClient> cs)
      throws Exception {
    List<Map<String, Long>> before = nodes.stream().map(n -> n.stats(false)).toList();
    cs.forEach(LoadClient::reset);
    long nanos = drive(cs, TimeUnit.SECONDS.toNanos(seconds));
    List<Map<String, Long>> after = nodes.stream().map(n -> n.stats(false)).toList();
    Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    long requests = 0;
    long writes = 0;
    long failed = 0;
    for (LoadClient c : cs) {
      latency.add(c.latency);
      requests += c.requests;
      writes += c.writes;
      failed += c.failed;
    }
    return new Window(
        scenario,
        mode,
        nodes.size(),
        round,
        requests,
        writes,
        failed,
        nanos,
        latency,
        delta(before, after, "cpuNanos"),
        delta(before, after, "wireBytes"),
        uptime());
  }

  private static long delta(
      List<Map<String, Long>> before, List<Map<String, Long>> after, String k) {
    long sum = 0;
    for (int i = 0; i < before.size(); i++) {
      sum += after.get(i).get(k) - before.get(i).get(k);
    }
    return sum;
  }

  /** Runs every client in its own thread for {@code nanos}; returns the time it took. */
  private static long drive(List<LoadClient> cs, long nanos) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + nanos;
    List<Thread> threads = new ArrayList<>();
    for (LoadClient c : cs) {
      Thread t = new Thread(() -> c.runUntil(deadline), "load");
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    return System.nanoTime() - start;
  }

  /**
   * Heap per session: GC'd heap of both nodes, {@code heapSessions} sessions of 20 x 1 KB created
   * on node 0 (owner), wait until node 1 holds its copies, GC'd heap again.
   */
  private Heap measureHeap(BenchMode mode, List<NodeProcess> nodes) throws Exception {
    long owner0 = nodes.get(0).stats(true).get("heapUsed");
    long backup0 = nodes.get(1).stats(true).get("heapUsed");
    LoadClient creator =
        new LoadClient(LoadClient.Work.WRITE, List.of(nodes.get(0).httpPort), 0, heapSessions);
    for (int i = 0; i < heapSessions; i++) {
      creator.call();
    }
    creator.close();
    if (creator.failed > 0) {
      throw new IllegalStateException(
          mode.label + ": " + creator.failed + " requests failed while creating sessions");
    }
    // Copies arrive asynchronously in some modes: wait (bounded) until node 1 holds them all.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long copies = 0;
    while (mode.replicates() && System.nanoTime() < deadline) {
      Map<String, Long> s = nodes.get(1).stats(false);
      copies = Math.max(s.get("backups"), s.get("sessions"));
      if (copies >= heapSessions) {
        break;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    long owner1 = nodes.get(0).stats(true).get("heapUsed");
    long backup1 = nodes.get(1).stats(true).get("heapUsed");
    Heap h =
        new Heap(
            mode,
            heapSessions,
            copies,
            (owner1 - owner0) / (double) heapSessions,
            (backup1 - backup0) / (double) heapSessions);
    log.printf(
        "heap %-15s owner %8.0f B/session  backup %8.0f B/session (%d copies on node 1)%n",
        mode.label, h.ownerBytes(), h.backupBytes(), copies);
    return h;
  }

  /** 3 nodes under write-heavy load; node 0 is killed; waits until its sessions are served. */
  private Failover runFailover(BenchMode mode) throws Exception {
    Map<BenchMode, List<NodeProcess>> clusters = startClusters(List.of(mode), 3, "256m");
    try {
      List<NodeProcess> nodes = clusters.get(mode);
      List<Integer> ports = nodes.stream().map(n -> n.httpPort).toList();
      List<LoadClient> cs = new ArrayList<>();
      for (int i = 0; i < Math.max(3, clients); i++) {
        cs.add(new LoadClient(LoadClient.Work.WRITE, ports, i % 3, sessions));
      }
      drive(cs, TimeUnit.SECONDS.toNanos(Math.max(1, warmup)));
      cs.forEach(LoadClient::reset);
      List<LoadClient> onDead = cs.stream().filter(c -> c.node() == 0).toList();
      long start = System.nanoTime();
      long killAt = start + TimeUnit.SECONDS.toNanos(1);
      long limit = killAt + TimeUnit.SECONDS.toNanos(60);
      List<Thread> threads = new ArrayList<>();
      for (LoadClient c : cs) {
        Thread t =
            new Thread(
                () -> {
                  while (System.nanoTime() < limit
                      && (c.watchFrom == 0
                          || System.nanoTime() < c.watchFrom + 1_000_000_000L
                          || onDead.stream().anyMatch(d -> d.lastRecoveryNanos() < 0))) {
                    c.call();
                  }
                },
                "failover-load");
        t.start();
        threads.add(t);
      }
      LockSupport.parkNanos(Math.max(0, killAt - System.nanoTime()));
      long killed = System.nanoTime();
      cs.forEach(c -> c.watchFrom = killed);
      nodes.get(0).kill();
      running.remove(nodes.get(0));
      for (Thread t : threads) {
        t.join();
      }
      long worst = 0;
      boolean all = true;
      for (LoadClient c : onDead) {
        long r = c.lastRecoveryNanos();
        all &= r >= 0;
        worst = Math.max(worst, r);
      }
      Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
      long failed = 0;
      long lostSessions = 0;
      long lostUpdates = 0;
      long requests = 0;
      for (LoadClient c : cs) {
        latency.add(c.latency);
        failed += c.failed;
        lostSessions += c.lostSessions;
        lostUpdates += c.lostUpdates;
        requests += c.requests;
        c.close();
      }
      Failover f =
          new Failover(
              mode,
              onDead.size() * sessions,
              all ? worst / 1e9 : Double.NaN,
              failed,
              lostSessions,
              lostUpdates,
              latency.getValueAtPercentile(99) / 1e6,
              requests);
      log.printf(
          "failover %-15s every session served again after %.3f s, %d failed requests, %d"
              + " sessions lost, %d updates lost%n",
          mode.label, f.recoverySeconds(), f.failed(), f.lostSessions(), f.lostUpdates());
      return f;
    } finally {
      stop(clusters);
    }
  }

  // ------------------------------------------------------------------ housekeeping

  private void killAll() {
    List<NodeProcess> copy;
    synchronized (running) {
      copy = new ArrayList<>(running);
      running.clear();
    }
    for (NodeProcess n : copy) {
      try {
        n.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static String uptime() {
    try {
      String avg = Files.readString(Path.of("/proc/loadavg")).trim();
      String[] p = avg.split(" ");
      return p[0] + " " + p[1] + " " + p[2];
    } catch (IOException e) {
      return "n/a";
    }
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  static Instant now() {
    return Instant.now();
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory
    }
  }
}
