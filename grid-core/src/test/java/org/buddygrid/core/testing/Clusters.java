package org.buddygrid.core.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.buddygrid.core.GridNode;
import org.buddygrid.core.wire.WireCatalog;
import org.buddygrid.jgroups.Stacks;

/**
 * In-JVM grids on the loopback stack for tests: unique cluster names (so parallel runs and other
 * programs never mix), and waits on views with a deadline instead of sleeping.
 */
public final class Clusters implements AutoCloseable {
  private final String name;
  private final List<GridNode> nodes = new ArrayList<>();

  private Clusters(String name) {
    this.name = name;
  }

  /** A new, uniquely named cluster; close it to stop every node it started. */
  public static Clusters named(String prefix) {
    return new Clusters(uniqueName(prefix));
  }

  public static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  public String name() {
    return name;
  }

  /** A builder for a node of this cluster on the loopback stack, with JMX off. */
  public GridNode.Builder builder(String route) {
    return GridNode.builder()
        .route(route)
        .cluster(name)
        .stack(Stacks.loopback())
        .jmx(false)
        .requestTimeout(Duration.ofSeconds(5))
        .startTimeout(Duration.ofSeconds(20));
  }

  /** Starts a node with the given catalog and extra settings; it is closed with the cluster. */
  public GridNode start(
      String route, WireCatalog catalog, UnaryOperator<GridNode.Builder> settings) {
    GridNode node = settings.apply(builder(route).catalog(catalog)).build();
    nodes.add(node);
    return node.start();
  }

  public GridNode start(String route, WireCatalog catalog) {
    return start(route, catalog, UnaryOperator.identity());
  }

  /** Starts {@code n} nodes named node1..nodeN and waits until each sees all of them. */
  public List<GridNode> startAll(int n, WireCatalog catalog) {
    List<GridNode> started = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      started.add(start("node" + i, catalog));
    }
    awaitViewSize(n, started);
    return started;
  }

  /** Waits (up to 30 s) until every given node sees exactly {@code size} members. */
  public static void awaitViewSize(int size, List<GridNode> nodes) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> nodes.stream().allMatch(n -> n.view().size() == size));
  }

  public static void awaitViewSize(int size, GridNode... nodes) {
    awaitViewSize(size, Arrays.asList(nodes));
  }

  /** Closes {@code node} with the cluster (for nodes built and started by the test itself). */
  public void closeLater(GridNode node) {
    nodes.add(node);
  }

  public List<GridNode> nodes() {
    return List.copyOf(nodes);
  }

  @Override
  public void close() {
    for (GridNode n : nodes) {
      n.close();
    }
    nodes.clear();
  }
}
