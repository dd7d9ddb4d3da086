package org.buddygrid.demo.it;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.buddygrid.demo.Ports;
import org.buddygrid.demo.launcher.DemoCluster;

/**
 * The launcher's demo for tests: three filter-mode nodes from the demo jar ({@code
 * -Dbuddygrid.demo.jar}) behind Apache httpd, on free ports, with a unique cluster name, a run
 * directory under {@code target/it-run/} and the launcher's output in a log beside it.
 */
public final class DemoClusters {
  private DemoClusters() {}

  /** Starts it; returns once httpd and all three nodes serve. */
  public static DemoCluster startThreeNodesBehindHttpd(String clusterPrefix)
      throws IOException, InterruptedException {
    Path run = Path.of("target", "it-run", UUID.randomUUID().toString()).toAbsolutePath();
    Files.createDirectories(run.getParent());
    return DemoCluster.start(
        new DemoCluster.Config(
            3,
            Ports.one(),
            Ports.consecutive(3, false),
            Ports.consecutive(3, true),
            "filter",
            "SYNC",
            1,
            clusterPrefix + UUID.randomUUID(),
            run,
            NodeProcess.JAR,
            0),
        new PrintStream(
            Files.newOutputStream(run.resolveSibling(run.getFileName() + ".log")), true));
  }
}
