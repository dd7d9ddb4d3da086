package org.buddygrid.replication.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.testing.Clusters;
import org.buddygrid.jgroups.Stacks;
import org.buddygrid.replication.CommitResult;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.SessionGrid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Recovery's pacing: a crash costs a survivor work in proportion to the sessions it recovers, not
 * to everything it holds. Each tick used to scan the whole backup store for orphans again; with
 * 100,000 sessions on four nodes that scan took most of the recovery thread and cut the recovery
 * rate to a third of the configured one (benchmarks/RESULTS.md, crash recovery).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecoveryPacingTest {
  private static final int SESSIONS = 300;
  private static final int UNRELATED_COPIES = 400_000;

  private final String cluster = Clusters.uniqueName("pacing");
  private final List<SessionGrid> grids = new ArrayList<>();

  @AfterEach
  void stop() {
    grids.forEach(SessionGrid::closeAbruptly);
  }

  private SessionGrid start(String route) {
    SessionGrid g =
        SessionGrid.newBuilder()
            .route(route)
            .cluster(cluster)
            .stack(Stacks.loopback())
            .backups(1)
            // One session per 20 ms tick: many ticks, each with little to do.
            .recoveryRate(50)
            .node(
                n ->
                    n.jmx(false)
                        .requestTimeout(Duration.ofSeconds(5))
                        .startTimeout(Duration.ofSeconds(20)))
            .build();
    grids.add(g);
    return g.start();
  }

  @Test
  void aRecoveryTickCostsItsBudgetNotTheSizeOfTheBackupStore() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled());
    SessionGrid node1 = start("node1");
    SessionGrid node2 = start("node2");
    SessionGrid node3 = start("node3");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> grids.stream().allMatch(g -> g.node().view().size() == 3));
    for (int i = 0; i < SESSIONS; i++) {
      GridSession s = node1.create();
      s.setAttribute("i", i);
      assertThat(s.commit()).isEqualTo(CommitResult.REPLICATED);
    }
    // node2 also backs up many sessions of a live owner: not orphans, nothing to recover.
    BackupStore store = engine(node2).backups();
    for (int i = 0; i < UNRELATED_COPIES; i++) {
      store.put(
          "unrelated-" + i, new BackupCopy(1, 1, "node3", List.of("node2"), null, Map.of(), 0));
    }
    long orphansOnNode2 = node2.backupCopies() - UNRELATED_COPIES;
    assertThat(orphansOnNode2).isPositive();
    long tid = thread("bg-replication-node2").getId();
    long cpu0 = threads.getThreadCpuTime(tid);

    node1.closeAbruptly();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                node2.ownedSessions() + node3.ownedSessions() == SESSIONS
                    && node2.sessionsAtRisk() == 0
                    && node3.sessionsAtRisk() == 0);
    long cpuMillis = TimeUnit.NANOSECONDS.toMillis(threads.getThreadCpuTime(tid) - cpu0);

    assertThat(node2.metrics().count("recovery.promoted")).isEqualTo(orphansOnNode2);
    // About 150 ticks promoting one session each. Scanning 400,000 copies per tick costs seconds
    // of CPU (60 million visits: about 2 s even at 30 ns each). On a shared 2-core machine: 9.0 s
    // with the scan per tick, 0.15 s without it.
    assertThat(cpuMillis)
        .as("CPU of node2's replication thread while it promoted %d sessions", orphansOnNode2)
        .isLessThan(1000);
  }

  private static Engine engine(SessionGrid grid) throws ReflectiveOperationException {
    Field f = SessionGrid.class.getDeclaredField("engine");
    f.setAccessible(true);
    return (Engine) f.get(grid);
  }

  private static Thread thread(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no thread " + name));
  }
}
