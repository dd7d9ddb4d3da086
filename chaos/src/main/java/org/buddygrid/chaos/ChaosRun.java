package org.buddygrid.chaos;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One chaos run: starts the cluster and the clients, then repeats fault cycles (inject, recover
 * within the deadline, heal, read every session) and returns a {@link Summary}. Faults and victims
 * come from a {@link Random} seeded with {@code --seed}, so a run can be repeated.
 */
final class ChaosRun {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration EXCLUSION_TIMEOUT = Duration.ofSeconds(40);

  private final ChaosOptions options;
  private final PrintStream out;

  ChaosRun(ChaosOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** What a run found. */
  record Summary(
      int cycles,
      Map<FaultKind, Integer> faults,
      long acknowledged,
      List<Clients.Loss> losses,
      List<Long> lossWindowsMillis,
      int unrecovered,
      List<Long> recoveryMillis,
      long unavailable,
      long failedRequests,
      long replacedButIntact) {
    /** Whether the run kept its promise: every cycle recovered, and in SYNC nothing lost. */
    boolean passed(String timing) {
      return unrecovered == 0 && (!timing.equals("SYNC") || losses.isEmpty());
    }
  }

  Summary run() throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    Random random = new Random(options.seed());
    List<FaultKind> kinds = options.faults().stream().sorted().toList();
    out.printf(
        "chaos: %s%nchaos: %d cores, Java %s, logs in %s%n",
        options.commandLine(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        options.logDir().toAbsolutePath());
    try (Cluster cluster = new Cluster(options, http)) {
      cluster.start(START_TIMEOUT);
      if (!awaitRecovered(cluster, options.recoveryTimeout())) {
        throw new IllegalStateException("the grid did not form: see the logs");
      }
      out.printf("chaos: cluster %s up: %s%n", cluster.name, cluster.routes());
      try (Clients clients =
          new Clients(
              cluster.nodes,
              http,
              out,
              options.clients(),
              options.sessions(),
              options.nonStickyPercent(),
              options.seed())) {
        clients.start();
        boolean warm =
            await(
                () -> clients.sessions().stream().allMatch(s -> s.lastAck >= 3),
                Duration.ofSeconds(60));
        if (!warm) {
          throw new IllegalStateException(
              "the clients could not write every session: see the logs");
        }
        Map<FaultKind, Integer> faults = new EnumMap<>(FaultKind.class);
        List<Long> recoveries = new ArrayList<>();
        List<Long> windows = new ArrayList<>();
        int unrecovered = 0;
        for (int cycle = 1; cycle <= options.cycles(); cycle++) {
          FaultKind kind = kinds.get(random.nextInt(kinds.size()));
          faults.merge(kind, 1, Integer::sum);
          long acked0 = clients.acknowledged.get();
          int lost0 = clients.losses().size();
          long start = System.nanoTime();
          long faultAt = System.currentTimeMillis();
          String what = inject(kind, cluster, random);
          boolean recovered = awaitRecovered(cluster, options.recoveryTimeout());
          long recoveryMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          Clients.CheckResult check =
              clients.check(System.nanoTime() + options.recoveryTimeout().toNanos());
          List<Clients.Loss> all = clients.losses();
          List<Clients.Loss> lostNow = all.subList(lost0, all.size());
          for (Clients.Loss l : lostNow) {
            windows.add(faultAt - l.ackedAtMillis());
          }
          if (recovered && check.unreadable().isEmpty()) {
            recoveries.add(recoveryMs);
          } else {
            unrecovered++;
          }
          out.printf(
              "cycle %3d/%d %-28s %s in %5.1f s; acknowledged %6d; lost %d%s%n",
              cycle,
              options.cycles(),
              what,
              recovered ? "recovered" : "NOT RECOVERED",
              recoveryMs / 1000.0,
              clients.acknowledged.get() - acked0,
              lostNow.size(),
              check.unreadable().isEmpty() ? "" : "; unreadable " + check.unreadable());
        }
        return new Summary(
            options.cycles(),
            faults,
            clients.acknowledged.get(),
            clients.losses(),
            windows,
            unrecovered,
            recoveries,
            clients.unavailable.get(),
            clients.failed.get(),
            clients.stillThere.get());
      }
    }
  }

  /** Injects one fault and undoes it (restart, CONT, heal); returns what was done. */
  private String inject(FaultKind kind, Cluster cluster, Random random) throws Exception {
    List<NodeProcess> nodes = cluster.nodes;
    NodeProcess victim = nodes.get(random.nextInt(nodes.size()));
    List<NodeProcess> others = nodes.stream().filter(n -> n != victim).toList();
    switch (kind) {
      case KILL -> {
        victim.kill();
        awaitExcluded(others, List.of(victim));
        restart(List.of(victim));
        return "kill -9 " + victim;
      }
      case DOUBLE_KILL -> {
        NodeProcess second = others.get(random.nextInt(others.size()));
        List<NodeProcess> victims = List.of(victim, second);
        Thread t = new Thread(second::kill);
        t.start();
        victim.kill();
        t.join();
        awaitExcluded(nodes.stream().filter(n -> !victims.contains(n)).toList(), victims);
        restart(victims);
        return "kill -9 " + victim + "+" + second;
      }
      case STOP -> {
        int seconds = 2 + random.nextInt(7);
        victim.pause(true);
        try {
          LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds)); // the pause is the fault
        } finally {
          victim.pause(false);
        }
        return "kill -STOP " + victim + " " + seconds + " s";
      }
      case ZOMBIE -> {
        long start = System.nanoTime();
        victim.pause(true);
        try {
          awaitExcluded(others, List.of(victim));
          LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // the others serve its sessions
        } finally {
          victim.pause(false);
        }
        return String.format("zombie %s %.0f s", victim, (System.nanoTime() - start) / 1e9);
      }
      case RESTART -> {
        int status = victim.terminate(Duration.ofSeconds(60));
        if (status != 0) {
          out.printf("  %s exited with status %d after SIGTERM (0 expected)%n", victim, status);
        }
        restart(List.of(victim));
        return "SIGTERM+start " + victim;
      }
      case PARTITION -> {
        try {
          for (NodeProcess o : others) {
            o.isolateFrom(List.of(victim.jgroupsPort));
          }
          victim.isolateFrom(others.stream().map(o -> o.jgroupsPort).toList());
          awaitExcluded(others, List.of(victim));
          await(() -> viewOf(victim).size() == 1, EXCLUSION_TIMEOUT);
          LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // both sides keep serving a while
        } finally {
          for (NodeProcess n : nodes) {
            n.heal();
          }
        }
        return "partition " + victim + "|rest";
      }
      default -> throw new IllegalStateException("unknown fault " + kind);
    }
  }

  private void restart(List<NodeProcess> victims) throws Exception {
    for (NodeProcess v : victims) {
      v.start();
    }
    for (NodeProcess v : victims) {
      try {
        v.awaitReady(START_TIMEOUT);
      } catch (ExecutionException e) {
        // e.g. a port taken meanwhile by another program: once more, then give up
        out.printf(
            "  %s did not start (%s); starting it once more%n", v, e.getCause().getMessage());
        v.start();
        v.awaitReady(START_TIMEOUT);
      }
    }
  }

  private void awaitExcluded(List<NodeProcess> observers, List<NodeProcess> gone) {
    List<String> routes = gone.stream().map(g -> g.route).toList();
    boolean excluded =
        await(
            () -> observers.stream().allMatch(o -> viewOf(o).stream().noneMatch(routes::contains)),
            EXCLUSION_TIMEOUT);
    if (!excluded) {
      out.printf("  %s still in a view after %s%n", routes, EXCLUSION_TIMEOUT);
    }
  }

  private static List<String> viewOf(NodeProcess n) {
    try {
      return n.status().view();
    } catch (Exception e) {
      return List.of("?");
    }
  }

  /**
   * Every node answers and sees every node, no session is at risk, and the grid holds {@code
   * --backups} copies of every owned session.
   */
  private boolean awaitRecovered(Cluster cluster, Duration timeout) {
    List<String> routes = cluster.routes();
    return await(
        () -> {
          long owned = 0;
          long copies = 0;
          for (NodeProcess n : cluster.nodes) {
            try {
              NodeProcess.Status s = n.status();
              if (s.atRisk() != 0
                  || s.view().size() != routes.size()
                  || !s.view().containsAll(routes)) {
                return false;
              }
              owned += s.owned();
              copies += s.backups();
            } catch (Exception e) {
              return false;
            }
          }
          return copies >= owned * options.backups();
        },
        timeout);
  }

  /** Polls {@code condition} every 200 ms until it holds or {@code timeout} passes. */
  private static boolean await(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
    return condition.getAsBoolean();
  }
}
