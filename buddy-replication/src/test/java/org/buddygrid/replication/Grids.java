package org.buddygrid.replication;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.buddygrid.core.testing.Clusters;
import org.buddygrid.jgroups.Stacks;

/** In-JVM session grids on the loopback stack, uniquely named; closed together. */
final class Grids implements AutoCloseable {
  private final String cluster = Clusters.uniqueName("grids");
  private final List<SessionGrid> grids = new ArrayList<>();

  /** The JGroups cluster name every grid started here joins. */
  String cluster() {
    return cluster;
  }

  SessionGrid.Builder builder(String route) {
    return SessionGrid.newBuilder()
        .route(route)
        .cluster(cluster)
        .stack(Stacks.loopback())
        .allow("org.buddygrid.replication.**")
        .node(
            n ->
                n.jmx(false)
                    .requestTimeout(Duration.ofSeconds(5))
                    .startTimeout(Duration.ofSeconds(20)));
  }

  SessionGrid start(String route, UnaryOperator<SessionGrid.Builder> settings) {
    SessionGrid g = settings.apply(builder(route)).build();
    grids.add(g);
    return g.start();
  }

  List<SessionGrid> startAll(int n, UnaryOperator<SessionGrid.Builder> settings) {
    List<SessionGrid> started = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      started.add(start("node" + i, settings));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> started.stream().allMatch(g -> g.node().view().size() == n));
    return started;
  }

  @Override
  public void close() {
    // Teardown is not a test of hand-off: leave at once.
    for (SessionGrid g : grids) {
      g.closeAbruptly();
    }
  }
}
