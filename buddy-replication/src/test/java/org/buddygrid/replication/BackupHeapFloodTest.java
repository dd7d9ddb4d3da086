package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.testing.Clusters;
import org.buddygrid.jgroups.Stacks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No {@link OutOfMemoryError} under a flood: a backup in its own JVM with a 64 MiB heap and a 16
 * MiB {@code buddygrid.max-backup-bytes} is offered 125 MiB of sessions, twice its heap, and
 * survives holding its bound; the sessions it has no room for are counted at risk on their owner.
 * (With the bound above the heap the same flood kills it: {@code -XX:+ExitOnOutOfMemoryError}.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BackupHeapFloodTest {
  private static final long BOUND = 16L << 20;
  private static final int SESSIONS = 2_000;
  private static final int VALUE = 64 * 1024;

  private final List<String> childOutput = new CopyOnWriteArrayList<>();
  private Process child;
  private SessionGrid owner;

  @AfterEach
  void stop() throws InterruptedException {
    if (owner != null) {
      owner.closeAbruptly();
    }
    if (child != null) {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aBackupWithASmallHeapKeepsToItsBoundWhileOwnersCreateTwiceItsHeap() throws Exception {
    int ownerPort = freeClusterPort();
    int childPort = freeClusterPort();
    String hosts = "127.0.0.1[" + ownerPort + "],127.0.0.1[" + childPort + "]";
    String cluster = Clusters.uniqueName("heap-flood");
    child = startChild(cluster, childPort, hosts);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> childOutput.contains("READY") || !child.isAlive());
    assertThat(child.isAlive()).as(String.join("\n", childOutput)).isTrue();
    owner =
        SessionGrid.newBuilder()
            .route("node1")
            .cluster(cluster)
            .stack(
                Stacks.tcp()
                    .withBindAddress("127.0.0.1")
                    .withBindPort(ownerPort)
                    .withInitialHosts(hosts)
                    .withPortRange(0))
            .allow("org.buddygrid.replication.**")
            .node(n -> n.jmx(false).startTimeout(Duration.ofSeconds(30)))
            .build()
            .start();
    await().atMost(Duration.ofSeconds(60)).until(() -> owner.node().view().size() == 2);

    for (int i = 0; i < SESSIONS; i++) {
      GridSession s = owner.create();
      s.setAttribute("value", new byte[VALUE]);
      s.commit();
      if (i % 100 == 0) {
        assertThat(child.isAlive()).as(String.join("\n", childOutput)).isTrue();
      }
    }

    MemberStatus backup =
        owner.memberStatuses(Duration.ofSeconds(10)).toCompletableFuture().get().stream()
            .filter(m -> m.member().route().equals("node2"))
            .findFirst()
            .orElseThrow();
    assertThat(child.isAlive()).as(String.join("\n", childOutput)).isTrue();
    assertThat(backup.metrics().get("backups.bytes")).isBetween(BOUND * 9 / 10, BOUND);
    assertThat(backup.metrics().get("backups.refused-full")).isPositive();
    assertThat(owner.sessionsAtRisk()).isEqualTo(SESSIONS - (int) backup.backupCopies());
  }

  private Process startChild(String cluster, int port, String hosts) throws IOException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                BackupNodeMain.class.getName(),
                "node2",
                cluster,
                Integer.toString(port),
                hosts,
                Long.toString(BOUND))
            .redirectErrorStream(true)
            .start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  childOutput.add(line);
                }
              } catch (IOException ended) {
                // the child ended
              }
            },
            "heap-flood-child");
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  /** A free port whose neighbours FD_SOCK2 takes ({@code +100} to {@code +103}) are free too. */
  static int freeClusterPort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
      if (free(port)
          && free(port + 100)
          && free(port + 101)
          && free(port + 102)
          && free(port + 103)) {
        return port;
      }
    }
    throw new IOException("no free port range found on 127.0.0.1 in 100 attempts");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException busy) {
      return false;
    }
  }
}
