package org.buddygrid.benchmarks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.buddygrid.replication.CommitResult;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.SessionGrid;
import org.buddygrid.replication.Timing;
import org.buddygrid.replication.internal.BackupStoreProbe;

/**
 * Takeover latency (issue 3, measurement 2): the time of {@code SessionGrid.open(id)} on a node
 * that does not own the session, one session after the other, recorded with HdrHistogram. Three
 * in-JVM nodes, {@code SYNC}, one backup; sessions of four small attributes. Each phase takes over
 * {@code --warmup + --sessions} sessions and reports the last {@code --sessions}:
 *
 * <ol>
 *   <li><b>directory hit</b>: node2, whose location directory holds node1's broadcast, takes over
 *       sessions node1 owns: one {@code Take} to the live owner; split by whether node2 held the
 *       backup (then nothing else is sent) or node3 did (node2 then ships a full copy to its new
 *       backup and releases the old one, after {@code open} returned).
 *   <li><b>node3 after node2</b>: node3 takes over the same sessions from node2, split by what
 *       node3's directory said beforehand (node2 holds its location broadcasts back, batch delay 10
 *       min, set for this purpose): <i>stale</i> (still node1: {@code Take} at node1, {@code
 *       Moved}, {@code Take} at node2), <i>fresh</i> (node2 chose node3 as the new backup and
 *       replicated to it) or <i>none</i> (node2 released node3's copy, which drops the entry: "who
 *       has", then {@code Take}).
 *   <li><b>cold (directory miss)</b>: node3 takes over sessions created on node2 and announced
 *       before node3 joined: a "who has" query to all, then {@code Take} at node2.
 *   <li><b>owner gone</b> (with {@code --failover true}): node1 leaves; node3 takes over sessions
 *       node1 owned, granted by the first live backup: node2 (a remote {@code Take}) or node3
 *       itself (a local grant), reported apart.
 * </ol>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.buddygrid.benchmarks.TakeoverLatencyBench \
 *     [--stack loopback|tcp] [--sessions 3000] [--warmup 500] [--failover true|false]
 * </pre>
 *
 * Only {@code open} is timed; each opened session is committed afterwards (untimed), as a request
 * would be, so that its owner is quiet when the next phase takes it again.
 */
public final class TakeoverLatencyBench {
  static final String USAGE =
      "usage: TakeoverLatencyBench [--stack loopback|tcp] [--sessions 3000] [--warmup 500]"
          + " [--failover true|false] [--cluster buddygrid]";

  private final PrintStream out = System.out;
  private final String stack;
  private final int sessions;
  private final int warmup;
  private final boolean failover;
  private final String cluster;
  private final List<String> summary = new ArrayList<>();

  private TakeoverLatencyBench(ToolArgs a) {
    stack = a.oneOf("--stack", "loopback", "loopback", "tcp");
    sessions = a.integer("--sessions", 3000, 1);
    warmup = a.integer("--warmup", 500, 0);
    failover = Boolean.parseBoolean(a.oneOf("--failover", "true", "true", "false"));
    cluster = a.string("--cluster", "buddygrid");
    a.done();
  }

  public static void main(String[] args) throws Exception {
    InJvmGrid.quietLogs();
    new TakeoverLatencyBench(ToolArgs.parse(args, USAGE)).run();
  }

  private void run() throws Exception {
    int perSet = warmup + sessions;
    out.printf(
        "TakeoverLatencyBench: stack=%s nodes=3 timing=SYNC backups=1; %d sessions per phase"
            + " (+%d warm-up), 4 attributes each%n",
        stack, sessions, warmup);
    InJvmGrid.printMachine(out);
    try (InJvmGrid grid = new InJvmGrid(stack, cluster, 3)) {
      SessionGrid node1 = grid.start("node1", b -> b.timing(Timing.SYNC).backups(1));
      SessionGrid node2 =
          grid.start(
              "node2",
              b ->
                  b.timing(Timing.SYNC)
                      .backups(1)
                      // Holds node2's location broadcasts back, so that node3's directory goes
                      // stale once node2 has taken sessions over (phase 2).
                      .locationBatching(Duration.ofMinutes(10), 1_000_000));
      grid.awaitView(2);

      // Sessions whose location node3 never hears: owned by node2 and announced (flushed) before
      // node3 joins. Owned by node2, not node1, so that node1's backup load stays even and its
      // sessions below are spread over node2 and node3 alike.
      List<String> cold = createSessions(node2, perSet, "cold");
      node2.flush();
      awaitDirectory(node1, perSet);

      SessionGrid node3 = grid.start("node3", b -> b.timing(Timing.SYNC).backups(1));
      grid.awaitView(3);
      node1.metrics().timer("commit.latency").snapshot(); // starts a new interval
      List<String> hot = createSessions(node1, perSet, "hot");
      List<String> gone = failover ? createSessions(node1, perSet, "failover") : List.of();
      var commits = node1.metrics().timer("commit.latency").snapshot();
      node1.flush();
      awaitDirectory(node2, cold.size() + hot.size() + gone.size());
      awaitDirectory(node3, hot.size() + gone.size());
      out.printf(
          "directory entries: node1 %d, node2 %d, node3 %d (node3 joined after the %d cold"
              + " sessions were announced)%n",
          node1.metrics().gaugeValue("directory.entries"),
          node2.metrics().gaugeValue("directory.entries"),
          node3.metrics().gaugeValue("directory.entries"),
          cold.size());
      out.printf(
          "for scale, one SYNC round trip on this machine now: node1's commits of those sessions"
              + " (full copy, ~200 B): p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms (engine"
              + " timer commit.latency, 2 significant digits)%n",
          commits.p50Nanos() / 1e6,
          commits.p99Nanos() / 1e6,
          commits.p999Nanos() / 1e6,
          commits.maxNanos() / 1e6);

      out.printf(
          "%n%-44s %5s %7s %7s %7s %7s %7s %7s %8s %8s  %s%n",
          "phase (ms)",
          "n",
          "p50",
          "p90",
          "p99",
          "p99.9",
          "max",
          "mean",
          "engine99",
          "Take99",
          "per takeover: hops, who-has, full copies sent after; GC; load");
      // Split by where the backup is: a taker that holds the copy keeps the old owner as its
      // backup and sends nothing more; otherwise it ships a full copy and releases a backup.
      Map<String, BackupStoreProbe.Copy> onNode2 = BackupStoreProbe.copies(node2);
      List<String> hotOnNode2 = new ArrayList<>();
      hotOnNode2.addAll(
          phase(
              "1a directory hit, backup here: node2 <- node1",
              node2,
              hot,
              id -> onNode2.containsKey(base(id))));
      hotOnNode2.addAll(
          phase(
              "1b directory hit, backup node3: node2 <- node1",
              node2,
              hot,
              id -> !onNode2.containsKey(base(id))));

      // What node3's directory says of each session now that node2 owns it (node2 holds its
      // location broadcasts back): still node1 (stale, unless node2 chose node3 as the new backup
      // and replicated to it: fresh), or nothing (node2 released node3's copy, which drops it).
      Map<String, String> state = new HashMap<>();
      Map<String, Integer> counts = new TreeMap<>();
      for (String id : hotOnNode2) {
        String e = BackupStoreProbe.directoryEntry(node3, base(id));
        String kind = e == null ? "none" : e.startsWith(node1.route() + "@") ? "stale" : "fresh";
        state.put(id, kind);
        counts.merge(kind, 1, Integer::sum);
      }
      out.printf("  node3's directory before phase 2: %s%n", counts);
      phase(
          "2a stale entry (Moved hop): node3 <- node2",
          node3,
          hotOnNode2,
          id -> state.get(id).equals("stale"));
      phase(
          "2b fresh entry (backup here): node3 <- node2",
          node3,
          hotOnNode2,
          id -> state.get(id).equals("fresh"));
      phase(
          "2c no entry (who-has): node3 <- node2",
          node3,
          hotOnNode2,
          id -> state.get(id).equals("none"));
      phase("3 cold (who-has): node3 <- node2", node3, cold, s -> true);
      if (failover) {
        Map<String, BackupStoreProbe.Copy> onNode3 = BackupStoreProbe.copies(node3);
        node1.close();
        InJvmGrid.await(
            "a view without node1",
            Duration.ofSeconds(60),
            () -> node2.node().view().size() == 2 && node3.node().view().size() == 2);
        phase(
            "4a owner gone, backup node2: node3 <- node2",
            node3,
            gone,
            id -> !onNode3.containsKey(base(id)));
        phase(
            "4b owner gone, backup node3: local grant",
            node3,
            gone,
            id -> onNode3.containsKey(base(id)));
      }
      out.printf("%nsummary (%s, target p99 <= 2 ms):%n", stack);
      summary.forEach(out::println);
    }
  }

  private List<String> createSessions(SessionGrid owner, int n, String tag) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      GridSession s = owner.create();
      s.setAttribute("user", "user-" + i + "@example.com");
      s.setAttribute("cart", new ArrayList<>(List.of("sku-1001", "sku-2002", "sku-" + i)));
      s.setAttribute("counter", i);
      s.setAttribute("csrf", tag + "-0123456789abcdef0123456789abcdef");
      CommitResult r = s.commit();
      if (r != CommitResult.REPLICATED) {
        throw new IllegalStateException("creating session " + i + ": " + r);
      }
      ids.add(s.id());
    }
    return ids;
  }

  private static void awaitDirectory(SessionGrid g, long entries) throws Exception {
    InJvmGrid.await(
        g.route() + "'s directory of " + entries,
        Duration.ofSeconds(60),
        () -> g.metrics().gaugeValue("directory.entries") >= entries);
  }

  private static String base(String id) {
    return id.substring(0, id.indexOf('.'));
  }

  /**
   * Opens each selected id on {@code taker}, timing each open; the first {@code warmup} are not
   * recorded. Returns the ids as the taker renamed them.
   */
  private List<String> phase(
      String label, SessionGrid taker, List<String> ids, Predicate<String> which) throws Exception {
    List<String> selected = ids.stream().filter(which).toList();
    if (selected.isEmpty()) {
      out.printf("%-44s %5d (no such session)%n", label, 0);
      return List.of();
    }
    int skip = selected.size() >= 2 * warmup ? warmup : selected.size() / 4;
    Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    List<String> renamed = new ArrayList<>(selected.size());
    long hops0 = taker.metrics().count("takeovers.hops");
    long whoHas0 = taker.metrics().count("whohas.queries");
    long takeovers0 = taker.metrics().count("takeovers");
    long[] gc0 = InJvmGrid.gcCountAndMillis();
    taker.metrics().timer("takeover.latency").snapshot(); // starts the engine's interval
    long hopsMeasured0 = 0;
    long whoHasMeasured0 = 0;
    long fullMeasured0 = 0;
    long takesMeasured0 = 0;
    int failures = 0;
    for (int i = 0; i < selected.size(); i++) {
      if (i == skip) {
        hopsMeasured0 = taker.metrics().count("takeovers.hops");
        whoHasMeasured0 = taker.metrics().count("whohas.queries");
        fullMeasured0 = taker.metrics().count("replicate.full");
        gc0 = InJvmGrid.gcCountAndMillis();
        taker.metrics().timer("takeover.latency").snapshot();
        taker.metrics().timer("requests.Take.latency").snapshot();
        takesMeasured0 = taker.metrics().timer("requests.Take.latency").count();
      }
      long start = System.nanoTime();
      var opened = taker.open(selected.get(i));
      long nanos = System.nanoTime() - start;
      if (opened.isEmpty()) {
        failures++;
        continue;
      }
      GridSession s = opened.get();
      if (i >= skip) {
        h.recordValue(nanos);
      }
      renamed.add(s.id());
      s.commit();
    }
    long[] gc1 = InJvmGrid.gcCountAndMillis();
    long measured = selected.size() - skip;
    double hops = (taker.metrics().count("takeovers.hops") - hopsMeasured0) / (double) measured;
    double whoHas = (taker.metrics().count("whohas.queries") - whoHasMeasured0) / (double) measured;
    double fulls = (taker.metrics().count("replicate.full") - fullMeasured0) / (double) measured;
    var engine = taker.metrics().timer("takeover.latency").snapshot();
    var take = taker.metrics().timer("requests.Take.latency").snapshot();
    // The engine's timer repeats its last interval when nothing was recorded (local grants).
    String take99 =
        take.count() == takesMeasured0 ? "-" : String.format("%.3f", take.p99Nanos() / 1e6);
    String line =
        String.format(
            "%-44s %5d %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %8.3f %8s  %.2f hops, %.2f who-has, %.2f"
                + " full copies; GC %d"
                + " (%d ms); load %s%s",
            label,
            h.getTotalCount(),
            ms(h.getValueAtPercentile(50)),
            ms(h.getValueAtPercentile(90)),
            ms(h.getValueAtPercentile(99)),
            ms(h.getValueAtPercentile(99.9)),
            ms(h.getMaxValue()),
            h.getMean() / 1e6,
            engine.p99Nanos() / 1e6,
            take99,
            hops,
            whoHas,
            fulls,
            gc1[0] - gc0[0],
            gc1[1] - gc0[1],
            InJvmGrid.loadAverage(),
            failures == 0 ? "" : "; " + failures + " NOT TAKEN OVER");
    out.println(line);
    summary.add(
        String.format(
            "  %-44s p99 %6.3f ms: %s (takeovers %d, hops %d, who-has %d in total)",
            label,
            ms(h.getValueAtPercentile(99)),
            ms(h.getValueAtPercentile(99)) <= 2.0 ? "met" : "NOT met",
            taker.metrics().count("takeovers") - takeovers0,
            taker.metrics().count("takeovers.hops") - hops0,
            taker.metrics().count("whohas.queries") - whoHas0));
    return renamed;
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
