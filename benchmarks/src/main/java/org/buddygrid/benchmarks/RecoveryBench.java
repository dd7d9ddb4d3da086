package org.buddygrid.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;
import java.util.function.ToLongFunction;
import org.buddygrid.replication.CommitResult;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.SessionGrid;
import org.buddygrid.replication.Timing;
import org.buddygrid.replication.internal.BackupStoreProbe;

/**
 * Crash recovery and graceful stop (issue 4, "Measured"). Four in-JVM nodes on the loopback stack,
 * {@code SYNC}, one backup, a fresh uniquely named cluster for every run. Sessions carry a 200-char
 * {@code String} and an {@code Integer}; each is committed ({@code REPLICATED}) when created.
 *
 * <ol>
 *   <li><b>Crash</b>: {@code --sessions} sessions, created round-robin on the four nodes (one
 *       creating thread per node). Then node2 (neither the JGroups coordinator nor the newest
 *       member) is crashed with {@code closeAbruptly()}, from another thread, while this thread
 *       polls the three survivors every 0.2 ms until every survivor reports {@code sessionsAtRisk()
 *       == 0}, their {@code ownedSessions()} add up to the session count and their {@code
 *       backupCopies()} do too. Timed from the crash: the view without node2, <i>promoted</i> (the
 *       survivors own every session again: node2's were promoted by their backups) and
 *       <i>restored</i> (all three conditions: every session has its backup again). Once per {@code
 *       --rates} value: each survivor's {@code recoveryRate}, sessions per second.
 *   <li><b>Peak extra heap during that recovery</b>: {@code B} is the used heap after full
 *       collections just before the crash; {@code P} is the highest used heap from the crash until
 *       redundancy is restored, the larger of a sample per poll and the usage the collectors report
 *       just before each collection. {@code P - B} is what the survivors together held at the peak
 *       beyond what the whole grid held before the crash. node2's own state is garbage from the
 *       crash on, but it sits in the old generation, which young collections do not reclaim, so it
 *       is in both {@code B} and {@code P} and cancels out. The tool reports when a collection in
 *       the window did shrink the old generation (then {@code P - B} can be low). {@code P - B}
 *       contains the state the survivors keep from now on (node2's share: a quarter of all sessions
 *       and copies, estimated as a quarter of {@code B} minus the empty grid's heap) and transient
 *       garbage not yet collected. Also reported: the highest used heap right after a collection in
 *       the window (the live growth), bytes allocated in the window, collections and their pauses,
 *       and {@code A}, the used heap after full collections once redundancy is back and node2's
 *       grid is dropped.
 *   <li><b>Graceful stop</b>: {@code --stop-sessions} sessions, all owned by node2, backed up on
 *       the three others. {@code close()} on node2 (hand every session to a backup, then leave),
 *       from another thread, timed: until the survivors own them all, until {@code close()}
 *       returns, until every session has its backup again.
 * </ol>
 *
 * After every run, untimed: every session is owned by exactly one survivor and backed up on exactly
 * one other, and an evenly spread sample of sessions, opened on the survivors in turn (a takeover
 * when that survivor is not the owner), holds its attributes as written.
 *
 * <pre>
 * java -XX:+UseG1GC -Xms4g -Xmx4g -cp benchmarks/target/benchmarks.jar \
 *     org.buddygrid.benchmarks.RecoveryBench [--quick] [--sessions 10000,100000] \
 *     [--rates 5000,100000] [--runs 3] [--stop-sessions 10000] [--warmup 10000] [--deadline 300]
 * </pre>
 *
 * A warm-up (one unreported crash at each rate and one stop, {@code --warmup} sessions) runs first
 * so that the measured runs see compiled code; the summary gives the median [min-max] over {@code
 * --runs} runs.
 */
public final class RecoveryBench {
  static final String USAGE =
      "usage: RecoveryBench [--quick] [--sessions 10000,100000] [--rates 5000,100000] [--runs 3]"
          + " [--stop-sessions 10000] [--warmup 10000] [--deadline 300] [--sample 500]"
          + " [--cluster recovery]\n"
          + "  --quick: --sessions 2000 --runs 1 --stop-sessions 2000 --warmup 0 (a smoke run of"
          + " seconds); options given as well override it\n"
          + "  --warmup: sessions of one unreported crash at each rate and one graceful stop first"
          + " (JIT); 0: none\n"
          + "  lists are comma-separated; _ may group digits (10_000)";

  private static final int NODES = 4;

  /** node2: neither the coordinator (node1) nor the newest member. */
  private static final int VICTIM = 1;

  /** A heap figure that could not be taken (no collection in the window). */
  private static final long NONE = Long.MIN_VALUE;

  private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
  private static final String FILLER = "x".repeat(200);

  private final PrintStream out = System.out;
  private final List<Integer> sessionCounts;
  private final List<Integer> rates;
  private final int runs;
  private final int stopSessions;
  private final int warmup;
  private final long deadlineNanos;
  private final int sample;
  private final String cluster;
  private final HeapWatch heap = new HeapWatch();
  private final List<CrashRun> crashes = new ArrayList<>();
  private final List<StopRun> stops = new ArrayList<>();

  private RecoveryBench(ToolArgs a) {
    boolean quick = a.flag("--quick");
    sessionCounts = a.integers("--sessions", quick ? List.of(2000) : List.of(10_000, 100_000), 4);
    rates = a.integers("--rates", List.of(5000, 100_000), 1);
    runs = a.integer("--runs", quick ? 1 : 3, 1);
    stopSessions = a.integer("--stop-sessions", quick ? 2000 : 10_000, 0);
    warmup = a.integer("--warmup", quick ? 0 : 10_000, 0);
    deadlineNanos = TimeUnit.SECONDS.toNanos(a.integer("--deadline", 300, 1));
    sample = a.integer("--sample", 500, 0);
    cluster = a.string("--cluster", "recovery");
    a.done();
  }

  public static void main(String[] args) throws Exception {
    InJvmGrid.quietLogs();
    new RecoveryBench(ToolArgs.parse(args, USAGE, "--quick")).run();
  }

  /** One crash run; times in ns from the crash, heap figures in bytes. */
  private record CrashRun(
      int sessions,
      int rate,
      int run,
      long viewNanos,
      long promotedNanos,
      long restoredNanos,
      long crashCallNanos,
      long empty,
      long before,
      long after,
      HeapWatch.Window window,
      String loadBefore,
      String loadAfter,
      boolean ok) {
    long peakExtra() {
      return window.peakUsed() - before;
    }

    /**
     * The highest used heap right after a collection during recovery, above B; {@link #NONE}
     * without a collection.
     */
    long liveExtra() {
      return window.liveAtCollections() < 0 ? NONE : window.liveAtCollections() - before;
    }

    /** node2's share of the session state, which the survivors hold from now on. */
    long share() {
      return (before - empty) / NODES;
    }
  }

  /** One graceful stop; times in ns from the call to {@code close()}. */
  private record StopRun(
      int sessions,
      int run,
      long handedOverNanos,
      long closeNanos,
      long restoredNanos,
      long handOffsSent,
      String loadBefore,
      String loadAfter,
      boolean ok) {}

  /** First times, in ns from the start of the action, at which the survivors reached a state. */
  private static final class Progress {
    long view = -1;
    long owned = -1;
    long restored = -1;
  }

  private void run() throws Exception {
    out.printf(
        "RecoveryBench: stack=loopback nodes=%d timing=SYNC backups=1; sessions %s, recovery"
            + " rates %s per node per second, %d run(s) each; graceful stop of %,d sessions; each"
            + " session a 200-char String and an Integer; node%d crashes or stops%n",
        NODES, sessionCounts, rates, runs, stopSessions, VICTIM + 1);
    InJvmGrid.printMachine(out);
    out.printf("collectors: %s%n", HeapWatch.collectors());
    if (warmup > 0) {
      out.printf("warm-up (not in the summary): %,d sessions%n", warmup);
      for (int rate : rates) {
        crash(warmup, rate, 0);
      }
      if (stopSessions > 0) {
        gracefulStop(warmup, 0);
      }
    }
    for (int r = 1; r <= runs; r++) {
      for (int n : sessionCounts) {
        for (int rate : rates) {
          crashes.add(crash(n, rate, r));
        }
      }
      if (stopSessions > 0) {
        stops.add(gracefulStop(stopSessions, r));
      }
    }
    printSummary();
  }

  // ------------------------------------------------------------------ crash

  private CrashRun crash(int n, int rate, int run) throws Exception {
    String loadBefore = InJvmGrid.loadAverage();
    InJvmGrid grid = new InJvmGrid("loopback", uniqueCluster(), NODES);
    try {
      List<SessionGrid> nodes = new ArrayList<>(startNodes(grid, rate));
      long empty = heap.usedAfterGc();
      String[] ids = createSessions(nodes, n, i -> i % NODES);
      awaitRestored(nodes, n);
      nodes.forEach(SessionGrid::flush);
      // Held only here, and dropped once it has crashed, so that its state can be collected.
      AtomicReference<SessionGrid> victim = new AtomicReference<>(nodes.remove(VICTIM));
      List<SessionGrid> survivors = nodes;
      long fullBefore = sum(survivors, g -> g.metrics().count("replicate.full"));
      long before = heap.usedAfterGc();

      AtomicLong crashReturned = new AtomicLong(-1);
      heap.begin();
      long t0 = System.nanoTime();
      Thread crasher =
          new Thread(
              () -> {
                victim.get().closeAbruptly();
                crashReturned.set(System.nanoTime() - t0);
              },
              "crash-node" + (VICTIM + 1));
      crasher.start();
      Progress p = watch(survivors, n, t0, crashReturned, heap);
      HeapWatch.Window window = heap.end();
      crasher.join();
      grid.grids().remove(victim.getAndSet(null));
      String loadAfter = InJvmGrid.loadAverage();
      boolean restored = p.restored >= 0;
      if (!restored) {
        out.printf("  NOT RESTORED within the deadline: %s%n", state(survivors));
      }
      boolean stable = restored && stillRestored(survivors, n);
      long after = heap.usedAfterGc();
      boolean intact = verify(survivors, ids);
      long promoted = sum(survivors, g -> g.metrics().count("recovery.promoted"));
      long rereplicated = sum(survivors, g -> g.metrics().count("recovery.rereplicated"));
      CrashRun c =
          new CrashRun(
              n,
              rate,
              run,
              p.view,
              p.owned,
              p.restored,
              crashReturned.get(),
              empty,
              before,
              after,
              window,
              loadBefore,
              loadAfter,
              restored && stable && intact);
      out.printf(
          "crash  run %s: %,7d sessions, rate %,7d/s: view %s, promoted %s, restored %s ms"
              + " (closeAbruptly returned at %s ms); promoted %,d, re-replicated %,d, full copies"
              + " %,d; heap B %s, P-B %s, after-GC max - B %s, A %s MiB (empty grid %s MiB),"
              + " allocated %s MiB (%.1f KiB per session promoted or re-replicated), %d GCs (%d"
              + " ms)%s; load %s -> %s%s%n",
          run == 0 ? "warm-up" : String.valueOf(run),
          n,
          rate,
          ms(c.viewNanos()),
          ms(c.promotedNanos()),
          ms(c.restoredNanos()),
          ms(c.crashCallNanos()),
          promoted,
          rereplicated,
          sum(survivors, g -> g.metrics().count("replicate.full")) - fullBefore,
          mib(before),
          mib(c.peakExtra()),
          c.liveExtra() == NONE ? "-" : mib(c.liveExtra()),
          mib(after),
          mib(empty),
          mib(window.allocated()),
          window.allocated() / 1024.0 / Math.max(1, promoted + rereplicated),
          window.collections(),
          window.pauseMillis(),
          window.oldShrunk() > 0
              ? ", old gen shrank by " + mib(window.oldShrunk()) + " MiB in the window"
              : "",
          loadBefore,
          loadAfter,
          c.ok() ? "" : "; FAILED" + (stable ? "" : " (redundancy did not hold)"));
      return c;
    } finally {
      grid.closeAbruptly();
    }
  }

  /**
   * Polls the survivors until redundancy is restored and {@code action} has returned, or the
   * deadline passes; samples the heap on every poll.
   */
  private Progress watch(
      List<SessionGrid> survivors, int n, long t0, AtomicLong actionReturned, HeapWatch heap) {
    Progress p = new Progress();
    while (true) {
      long now = System.nanoTime();
      heap.sample();
      boolean view = true;
      int owned = 0;
      long copies = 0;
      int atRisk = 0;
      for (SessionGrid g : survivors) {
        view &= g.node().view().size() == survivors.size();
        owned += g.ownedSessions();
        copies += g.backupCopies();
        atRisk += g.sessionsAtRisk();
      }
      if (view && p.view < 0) {
        p.view = now - t0;
      }
      if (owned == n && p.owned < 0) {
        p.owned = now - t0;
      }
      if (view && owned == n && copies == n && atRisk == 0 && p.restored < 0) {
        p.restored = now - t0;
      }
      if (p.restored >= 0 && actionReturned.get() >= 0) {
        return p;
      }
      if (now - t0 > deadlineNanos) {
        return p;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** Whether redundancy still holds half a second later (no counter went back). */
  private boolean stillRestored(List<SessionGrid> survivors, int n) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(500);
    boolean ok =
        sum(survivors, SessionGrid::ownedSessions) == n
            && sum(survivors, SessionGrid::backupCopies) == n
            && sum(survivors, SessionGrid::sessionsAtRisk) == 0;
    if (!ok) {
      out.printf("  redundancy did not hold: %s%n", state(survivors));
    }
    return ok;
  }

  // ------------------------------------------------------------------ graceful stop

  private StopRun gracefulStop(int n, int run) throws Exception {
    String loadBefore = InJvmGrid.loadAverage();
    InJvmGrid grid = new InJvmGrid("loopback", uniqueCluster(), NODES);
    try {
      List<SessionGrid> nodes = startNodes(grid, 5000);
      String[] ids = createSessions(nodes, n, i -> VICTIM);
      awaitRestored(nodes, n);
      nodes.forEach(SessionGrid::flush);
      SessionGrid leaving = nodes.get(VICTIM);
      List<SessionGrid> survivors = new ArrayList<>(nodes);
      survivors.remove(leaving);
      heap.usedAfterGc(); // the same starting point as the crash runs

      AtomicLong closeReturned = new AtomicLong(-1);
      heap.begin();
      long t0 = System.nanoTime();
      Thread closer =
          new Thread(
              () -> {
                leaving.close();
                closeReturned.set(System.nanoTime() - t0);
              },
              "stop-" + leaving.route());
      closer.start();
      Progress p = watch(survivors, n, t0, closeReturned, heap);
      heap.end();
      closer.join();

      long sent = leaving.metrics().count("handoffs.sent");
      grid.grids().remove(leaving);
      String loadAfter = InJvmGrid.loadAverage();
      boolean restored = p.restored >= 0;
      if (!restored) {
        out.printf("  NOT RESTORED within the deadline: %s%n", state(survivors));
      }
      boolean stable = restored && stillRestored(survivors, n);
      boolean intact = verify(survivors, ids);
      StopRun s =
          new StopRun(
              n,
              run,
              p.owned,
              closeReturned.get(),
              p.restored,
              sent,
              loadBefore,
              loadAfter,
              restored && stable && intact && sent == n);
      out.printf(
          "stop   run %s: %,7d sessions: survivors own all at %s ms, close() returned at %s ms"
              + " (%.1f us per session), every backup back at %s ms; hand-offs sent %,d,"
              + " received %,d; load %s -> %s%s%n",
          run == 0 ? "warm-up" : String.valueOf(run),
          n,
          ms(s.handedOverNanos()),
          ms(s.closeNanos()),
          s.closeNanos() / 1e3 / n,
          ms(s.restoredNanos()),
          sent,
          sum(survivors, g -> g.metrics().count("handoffs.received")),
          loadBefore,
          loadAfter,
          s.ok() ? "" : "; FAILED");
      return s;
    } finally {
      grid.closeAbruptly();
    }
  }

  // ------------------------------------------------------------------ common steps

  private String uniqueCluster() {
    return cluster + "-" + UUID.randomUUID();
  }

  private static List<SessionGrid> startNodes(InJvmGrid grid, int rate) throws Exception {
    for (int i = 1; i <= NODES; i++) {
      grid.start("node" + i, b -> b.timing(Timing.SYNC).backups(1).recoveryRate(rate));
    }
    grid.awaitView(NODES);
    return List.copyOf(grid.grids());
  }

  /** The node (index) that creates session {@code i}. */
  private interface Placement {
    int ownerOf(int i);
  }

  /**
   * Creates {@code n} sessions, session {@code i} on {@code nodes.get(placement.ownerOf(i))}, each
   * committed; one thread per node-sized slice of the indexes. Returns the ids by index.
   */
  private String[] createSessions(List<SessionGrid> nodes, int n, Placement placement)
      throws Exception {
    String[] ids = new String[n];
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(NODES);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < NODES; t++) {
        int first = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = first; i < n; i += NODES) {
                    GridSession s = nodes.get(placement.ownerOf(i)).create();
                    s.setAttribute("payload", payload(i));
                    s.setAttribute("counter", i);
                    CommitResult r = s.commit();
                    if (r != CommitResult.REPLICATED) {
                      throw new IllegalStateException("creating session " + i + ": " + r);
                    }
                    ids[i] = s.id();
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    out.printf(
        "  created %,d sessions in %,d ms%n",
        n, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    return ids;
  }

  /** 200 characters, the session's index first. */
  private static String payload(int i) {
    String head = String.format("%07d-", i);
    return head + FILLER.substring(head.length());
  }

  private void awaitRestored(List<SessionGrid> nodes, int n) throws Exception {
    InJvmGrid.await(
        "every session owned once and backed up once",
        java.time.Duration.ofSeconds(60),
        () ->
            sum(nodes, SessionGrid::ownedSessions) == n
                && sum(nodes, SessionGrid::backupCopies) == n
                && sum(nodes, SessionGrid::sessionsAtRisk) == 0);
  }

  /**
   * Untimed checks after a run: each session owned by exactly one survivor and backed up on exactly
   * one other; {@code --sample} sessions opened on the survivors in turn hold what was written.
   */
  private boolean verify(List<SessionGrid> survivors, String[] ids) {
    List<Set<String>> held = new ArrayList<>();
    for (SessionGrid g : survivors) {
      held.add(new HashSet<>(BackupStoreProbe.copies(g).keySet()));
    }
    int unowned = 0;
    int multiOwned = 0;
    int unbacked = 0;
    int multiBacked = 0;
    int backedOnOwner = 0;
    for (String id : ids) {
      String base = id.substring(0, id.indexOf('.'));
      int owners = 0;
      int copies = 0;
      for (int k = 0; k < survivors.size(); k++) {
        boolean owns = survivors.get(k).isOwner(id);
        boolean holds = held.get(k).contains(base);
        owners += owns ? 1 : 0;
        copies += holds ? 1 : 0;
        backedOnOwner += owns && holds ? 1 : 0;
      }
      unowned += owners == 0 ? 1 : 0;
      multiOwned += owners > 1 ? 1 : 0;
      unbacked += copies == 0 ? 1 : 0;
      multiBacked += copies > 1 ? 1 : 0;
    }
    int checked = 0;
    int wrong = 0;
    int notFound = 0;
    int step = Math.max(1, ids.length / Math.max(1, sample));
    for (int i = 0; i < ids.length && checked < sample; i += step, checked++) {
      SessionGrid on = survivors.get(checked % survivors.size());
      GridSession s = on.open(ids[i]).orElse(null);
      if (s == null) {
        notFound++;
        continue;
      }
      if (!payload(i).equals(s.getAttribute("payload"))
          || !Integer.valueOf(i).equals(s.getAttribute("counter"))) {
        wrong++;
      }
      s.commit();
    }
    boolean ok =
        unowned == 0
            && multiOwned == 0
            && unbacked == 0
            && multiBacked == 0
            && backedOnOwner == 0
            && wrong == 0
            && notFound == 0;
    out.printf(
        "  verified %,d sessions: %s; opened %d of them on the survivors in turn: %s%n",
        ids.length,
        unowned + multiOwned + unbacked + multiBacked + backedOnOwner == 0
            ? "each owned once and backed up once elsewhere"
            : String.format(
                "NOT OWNED %d, owned twice %d, NO BACKUP %d, two backups %d, backup on its owner"
                    + " %d",
                unowned, multiOwned, unbacked, multiBacked, backedOnOwner),
        checked,
        wrong + notFound == 0
            ? "all intact"
            : String.format("%d NOT FOUND, %d WRONG", notFound, wrong));
    return ok;
  }

  private static String state(List<SessionGrid> grids) {
    StringBuilder b = new StringBuilder();
    for (SessionGrid g : grids) {
      b.append(
          String.format(
              "%s view %d owned %,d copies %,d at risk %,d pending %,d; ",
              g.route(),
              g.node().view().size(),
              g.ownedSessions(),
              g.backupCopies(),
              g.sessionsAtRisk(),
              g.metrics().gaugeValue("recovery.pending")));
    }
    return b.toString();
  }

  private static long sum(List<SessionGrid> grids, ToLongFunction<SessionGrid> f) {
    long total = 0;
    for (SessionGrid g : grids) {
      total += f.applyAsLong(g);
    }
    return total;
  }

  // ------------------------------------------------------------------ summary

  private void printSummary() {
    out.printf(
        "%nsummary: median [min-max] of %d run(s); times in ms from the crash (from the call to"
            + " close() for the graceful stop); heap in MiB%n",
        runs);
    out.printf(
        "%-9s %-11s %-20s %-25s %-25s %-22s %-22s %-20s %-22s %-22s %-8s%n",
        "sessions",
        "rate/node",
        "view",
        "promoted",
        "restored",
        "peak extra P-B",
        "after-GC max - B",
        "node2's share",
        "allocated",
        "GC pauses (ms)",
        "ok");
    for (int n : sessionCounts) {
      for (int rate : rates) {
        List<CrashRun> rs =
            crashes.stream().filter(c -> c.sessions() == n && c.rate() == rate).toList();
        out.printf(
            "%-9s %-11s %-20s %-25s %-25s %-22s %-22s %-20s %-22s %-22s %-8s%n",
            String.format("%,d", n),
            String.format("%,d/s", rate),
            time(rs, CrashRun::viewNanos),
            time(rs, CrashRun::promotedNanos),
            time(rs, CrashRun::restoredNanos),
            mib(rs, CrashRun::peakExtra),
            stat(rs, CrashRun::liveExtra, 1 << 20, v -> v == NONE),
            mib(rs, CrashRun::share),
            mib(rs, c -> c.window().allocated()),
            stat(rs, c -> c.window().pauseMillis(), 1, v -> false),
            rs.stream().filter(CrashRun::ok).count() + " of " + rs.size());
      }
    }
    if (!stops.isEmpty()) {
      out.printf(
          "%n%-9s %-25s %-25s %-25s %-8s%n",
          "sessions", "survivors own all", "close() returned", "every backup back", "ok");
      out.printf(
          "%-9s %-25s %-25s %-25s %-8s%n",
          String.format("%,d", stops.get(0).sessions()),
          time(stops, StopRun::handedOverNanos),
          time(stops, StopRun::closeNanos),
          time(stops, StopRun::restoredNanos),
          stops.stream().filter(StopRun::ok).count() + " of " + stops.size());
    }
  }

  /** Median [min-max] of a time over runs, in ms; runs that never reached it are counted apart. */
  private static <T> String time(List<T> rs, ToLongFunction<T> nanos) {
    return stat(rs, nanos, 1e6, v -> v < 0);
  }

  /** Median [min-max] of a heap figure over runs, in MiB. */
  private static <T> String mib(List<T> rs, ToLongFunction<T> bytes) {
    return stat(rs, bytes, 1 << 20, v -> false);
  }

  /**
   * Median [min-max] over runs, divided by {@code unit}; {@code missing} values are counted apart.
   */
  private static <T> String stat(
      List<T> rs, ToLongFunction<T> f, double unit, LongPredicate missing) {
    String format = "%.1f";
    List<Long> values = new ArrayList<>();
    int absent = 0;
    for (T r : rs) {
      long v = f.applyAsLong(r);
      if (missing.test(v)) {
        absent++;
      } else {
        values.add(v);
      }
    }
    if (values.isEmpty()) {
      return "-";
    }
    values.sort(null);
    int m = values.size();
    double median =
        m % 2 == 1 ? values.get(m / 2) : (values.get(m / 2 - 1) + values.get(m / 2)) / 2.0;
    String s =
        String.format(format, median / unit)
            + " ["
            + String.format(format, values.get(0) / unit)
            + "-"
            + String.format(format, values.get(m - 1) / unit)
            + "]";
    return absent == 0 ? s : s + " (" + absent + " without)";
  }

  private static String ms(long nanos) {
    return nanos < 0 ? "NOT REACHED" : String.format("%.1f", nanos / 1e6);
  }

  private static String mib(long bytes) {
    return String.format("%.1f", bytes / (double) (1 << 20));
  }
}
