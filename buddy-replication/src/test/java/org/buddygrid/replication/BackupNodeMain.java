package org.buddygrid.replication;

import java.time.Duration;
import org.buddygrid.jgroups.Stacks;

/**
 * A grid node in a JVM of its own, for {@link BackupHeapFloodTest}: it creates no session and only
 * backs up the others' copies. Arguments: route, cluster, TCP port, initial hosts, max backup
 * bytes. Prints {@code READY} once it joined; leaves when its standard input closes (the test ended
 * or died).
 */
public final class BackupNodeMain {
  private BackupNodeMain() {}

  public static void main(String[] args) throws Exception {
    SessionGrid grid =
        SessionGrid.newBuilder()
            .route(args[0])
            .cluster(args[1])
            .stack(
                Stacks.tcp()
                    .withBindAddress("127.0.0.1")
                    .withBindPort(Integer.parseInt(args[2]))
                    .withInitialHosts(args[3])
                    .withPortRange(0))
            .allow("org.buddygrid.replication.**")
            .maxBackupBytes(Long.parseLong(args[4]))
            .node(n -> n.jmx(false).startTimeout(Duration.ofSeconds(30)))
            .build()
            .start();
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() != -1) {
      // wait for the test to end
    }
    grid.closeAbruptly();
    System.exit(0);
  }
}
