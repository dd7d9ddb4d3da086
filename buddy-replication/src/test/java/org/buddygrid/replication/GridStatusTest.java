package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The read-only views dashboards use: every member's status, and where a session is. */
class GridStatusTest {
  private final Grids grids = new Grids();

  @AfterEach
  void close() {
    grids.close();
  }

  private static Map<String, MemberStatus> byRoute(List<MemberStatus> statuses) {
    return statuses.stream()
        .collect(Collectors.toMap(s -> s.member().route(), Function.identity()));
  }

  @Test
  void everyMemberReportsItsOwnedSessionsBackupsAndMetrics() throws Exception {
    List<SessionGrid> g = grids.startAll(3, b -> b);
    GridSession s = g.get(0).create();
    s.setAttribute("n", 1);
    assertThat(s.commit()).isEqualTo(CommitResult.REPLICATED);
    g.get(1).metrics().increment("app.requests");

    Map<String, MemberStatus> seen =
        byRoute(g.get(2).memberStatuses(Duration.ofSeconds(5)).toCompletableFuture().get());

    assertThat(seen).containsOnlyKeys("node1", "node2", "node3");
    assertThat(seen.get("node1").ownedSessions()).isEqualTo(1);
    assertThat(seen.get("node1").metric("sessions.created")).isEqualTo(1);
    assertThat(seen.get("node1").metric("sessions.owned")).isEqualTo(1);
    assertThat(seen.get("node2").backupCopies() + seen.get("node3").backupCopies()).isEqualTo(1);
    assertThat(seen.get("node2").metric("app.requests")).isEqualTo(1);
    assertThat(seen.values()).allSatisfy(m -> assertThat(m.sessionsAtRisk()).isZero());
    assertThat(seen.get("node3").member()).isEqualTo(g.get(2).node().localMember());
  }

  @Test
  void aLoneNodeReportsOnlyItself() throws Exception {
    SessionGrid alone = grids.start("node1", b -> b);
    assertThat(alone.memberStatuses(Duration.ofSeconds(1)).toCompletableFuture().get())
        .extracting(m -> m.member().route())
        .containsExactly("node1");
  }

  @Test
  void locateTellsOwnerBackupAndHintWithoutMovingTheSession() {
    List<SessionGrid> g = grids.startAll(3, b -> b);
    GridSession s = g.get(0).create();
    s.setAttribute("n", 1);
    s.commit();
    String id = s.id();
    g.get(0).flush();

    SessionLocation atOwner = g.get(0).locate(id).orElseThrow();
    assertThat(atOwner.source()).isEqualTo(SessionLocation.Source.OWNER);
    assertThat(atOwner.owner()).isEqualTo("node1");
    assertThat(atOwner.backups()).hasSize(1);
    String backup = atOwner.backups().get(0);
    SessionGrid backupGrid = backup.equals("node2") ? g.get(1) : g.get(2);
    SessionGrid third = backup.equals("node2") ? g.get(2) : g.get(1);

    SessionLocation atBackup = backupGrid.locate(id).orElseThrow();
    assertThat(atBackup.source()).isEqualTo(SessionLocation.Source.BACKUP);
    assertThat(atBackup.owner()).isEqualTo("node1");
    assertThat(atBackup.backups()).containsExactly(backup);
    assertThat(atBackup.epoch()).isEqualTo(atOwner.epoch());

    await().atMost(Duration.ofSeconds(5)).until(() -> third.locate(id).isPresent());
    SessionLocation hint = third.locate(id).orElseThrow();
    assertThat(hint.source()).isEqualTo(SessionLocation.Source.DIRECTORY);
    assertThat(hint.owner()).isEqualTo("node1");

    assertThat(g.get(0).isOwner(id)).isTrue();
    assertThat(third.locate("not-a-session-id")).isEmpty();
  }
}
