package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpreadAndEventsTest {
  private final Grids grids = new Grids();

  @AfterEach
  void stop() {
    grids.close();
  }

  /**
   * Per-session buddies: a node's sessions spread over every other node, none gets a double load.
   */
  @Test
  void oneNodesSessionsAreBackedUpAcrossAllOthersWithinTwiceTheFairShare() {
    List<SessionGrid> g = grids.startAll(5, b -> b);
    int sessions = 400;
    for (int i = 0; i < sessions; i++) {
      GridSession s = g.get(0).create();
      s.setAttribute("i", i);
      s.commit();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> g.stream().mapToLong(SessionGrid::backupCopies).sum() == sessions);
    double fair = sessions / 4.0;
    for (SessionGrid other : g.subList(1, 5)) {
      assertThat(other.backupCopies())
          .as(other.route())
          .isBetween((long) (fair / 2), (long) (fair * 2));
    }
    assertThat(g.get(0).backupCopies()).isZero();
  }

  @Test
  void theOldOwnerIsToldItWillPassivateAndTheNewOneThatItDidActivate() {
    List<SessionGrid> g = grids.startAll(2, b -> b);
    List<String> events = new CopyOnWriteArrayList<>();
    for (SessionGrid grid : g) {
      grid.addListener(
          new SessionListener() {
            @Override
            public void sessionWillPassivate(GridSession session) {
              events.add(grid.route() + " will passivate " + session.getAttribute("k"));
            }

            @Override
            public void sessionDidActivate(GridSession session) {
              events.add(grid.route() + " did activate " + session.getAttribute("k"));
            }

            @Override
            public void sessionIdChanged(GridSession session, String oldId) {
              events.add(grid.route() + " id changed");
            }
          });
    }
    GridSession s = g.get(0).create();
    s.setAttribute("k", "v");
    s.commit();
    s.changeId();
    g.get(1).open(s.id()).orElseThrow().commit();
    assertThat(events)
        .containsExactly("node1 id changed", "node1 will passivate v", "node2 did activate v");
  }

  /** The granter already holds the new epoch: a takeover with backups=1 sends no full copy. */
  @Test
  void aTakeoverKeepsTheGranterAsBackupAndSendsNoFullCopy() {
    List<SessionGrid> g = grids.startAll(3, b -> b);
    int sessions = 30;
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      GridSession s = g.get(0).create();
      s.setAttribute("i", i);
      s.commit();
      ids.add(s.id());
    }
    long fullBefore = g.get(1).metrics().count("replicate.full");
    for (String id : ids) {
      g.get(1).open(id).orElseThrow().commit();
    }
    assertThat(g.get(1).metrics().count("replicate.full") - fullBefore).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> g.get(0).backupCopies() == sessions);
  }

  @Test
  void maxInactiveIntervalTravelsWithTheSession() {
    List<SessionGrid> g = grids.startAll(2, b -> b.defaultMaxInactive(Duration.ofMinutes(5)));
    GridSession s = g.get(0).create();
    assertThat(s.maxInactiveInterval()).isEqualTo(Duration.ofMinutes(5));
    s.setMaxInactiveInterval(Duration.ofSeconds(90));
    s.commit();
    GridSession taken = g.get(1).open(s.id()).orElseThrow();
    assertThat(taken.maxInactiveInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(taken.creationTime()).isEqualTo(s.creationTime());
    taken.commit();
  }
}
