package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Flow 6 on injected clocks: the owner expires, backups follow, skew neither expires nor
 * resurrects.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ExpiryTest {
  private final Grids grids = new Grids();
  private final MutableClock clock = new MutableClock();
  private static final Duration MAX_INACTIVE = Duration.ofMinutes(10);

  @AfterEach
  void stop() {
    grids.close();
  }

  private List<SessionGrid> start(int n) {
    // A long sweep: the tests expire explicitly, on their clock.
    return grids.startAll(
        n, b -> b.clock(clock).defaultMaxInactive(MAX_INACTIVE).expirySweep(Duration.ofHours(1)));
  }

  @Test
  void anIdleSessionExpiresOnItsOwnerWithEventsAndItsBackupsDropTheirCopies() {
    List<SessionGrid> g = start(2);
    List<String> events = new CopyOnWriteArrayList<>();
    g.get(0)
        .addListener(
            new SessionListener() {
              @Override
              public void sessionDestroyed(GridSession session, Ending ending) {
                events.add(ending + " " + session.getAttribute("k"));
              }
            });
    GridSession s = g.get(0).create();
    s.setAttribute("k", "v");
    s.commit();
    await().atMost(Duration.ofSeconds(5)).until(() -> g.get(1).backupCopies() == 1);
    clock.advance(MAX_INACTIVE.minusSeconds(1));
    assertThat(g.get(0).expireIdleSessions()).isZero();
    clock.advance(Duration.ofSeconds(2));
    assertThat(g.get(0).expireIdleSessions()).isEqualTo(1);
    assertThat(events).containsExactly("EXPIRED v");
    await().atMost(Duration.ofSeconds(5)).until(() -> g.get(1).backupCopies() == 0);
    assertThat(g.get(1).open(s.id())).isEmpty();
    assertThat(g.get(0).metrics().count("sessions.expired")).isEqualTo(1);
  }

  @Test
  void useKeepsASessionAliveAndARequestInFlightIsNeverExpiredUnderIt() {
    List<SessionGrid> g = start(2);
    GridSession s = g.get(0).create();
    s.commit();
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofMinutes(8));
      g.get(0).open(s.id()).orElseThrow().commit();
      assertThat(g.get(0).expireIdleSessions()).isZero();
    }
    GridSession inFlight = g.get(0).open(s.id()).orElseThrow();
    clock.advance(Duration.ofHours(1));
    assertThat(g.get(0).expireIdleSessions()).isZero();
    inFlight.setAttribute("still", "here");
    assertThat(inFlight.commit()).isEqualTo(CommitResult.REPLICATED);
    clock.advance(MAX_INACTIVE.plusSeconds(1));
    assertThat(g.get(0).expireIdleSessions()).isEqualTo(1);
  }

  @Test
  void touchesKeepTheBackupCopyOfASessionInUseAliveLongPastMaxInactive() {
    // The owner is the younger node: when it dies, the older one is the primary side of two and
    // promotes (Quorum); the younger one alone would wait for a request.
    List<SessionGrid> g = new ArrayList<>(start(2));
    java.util.Collections.reverse(g);
    GridSession s = g.get(0).create();
    s.commit();
    await().atMost(Duration.ofSeconds(5)).until(() -> g.get(1).backupCopies() == 1);
    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofMinutes(9));
      g.get(0).open(s.id()).orElseThrow().commit(); // read-only requests: no delta, only touches
      g.get(0).flush();
      long touches = g.get(0).metrics().count("touches.batches");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> g.get(0).metrics().count("touches.batches") >= touches);
      g.get(1).expireIdleSessions();
    }
    // 54 minutes, five times max inactive: the copy is still there.
    assertThat(g.get(1).backupCopies()).isEqualTo(1);
    // Once the owner is gone and nothing touches it, the orphan goes after max inactive + grace.
    g.get(0).closeAbruptly();
    await().atMost(Duration.ofSeconds(10)).until(() -> g.get(1).node().view().size() == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> g.get(1).ownedSessions() == 1); // promoted
    clock.advance(MAX_INACTIVE.plusMinutes(2));
    assertThat(g.get(1).expireIdleSessions()).isEqualTo(1);
  }

  @Test
  void fiveMinutesOfClockSkewNeitherExpiresNorResurrectsASession() {
    SessionGrid a =
        grids.start(
            "node1",
            b -> b.clock(clock).defaultMaxInactive(MAX_INACTIVE).expirySweep(Duration.ofHours(1)));
    SessionGrid ahead =
        grids.start(
            "node2",
            b ->
                b.clock(clock.skewed(Duration.ofMinutes(5)))
                    .defaultMaxInactive(MAX_INACTIVE)
                    .expirySweep(Duration.ofHours(1)));
    SessionGrid behind =
        grids.start(
            "node3",
            b ->
                b.clock(clock.skewed(Duration.ofMinutes(-5)))
                    .defaultMaxInactive(MAX_INACTIVE)
                    .expirySweep(Duration.ofHours(1)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                a.node().view().size() == 3
                    && ahead.node().view().size() == 3
                    && behind.node().view().size() == 3);
    GridSession s = a.create();
    s.commit();
    clock.advance(Duration.ofMinutes(8));
    // Taken over by a node 5 minutes ahead: idle 8 + 5 by its clock if timestamps travelled; it
    // must not expire.
    ahead.open(s.id()).orElseThrow().commit();
    clock.advance(Duration.ofMinutes(8));
    assertThat(ahead.expireIdleSessions()).isZero();
    // Taken over by a node 5 minutes behind: it must still expire once idle for max inactive on it.
    behind.open(s.id()).orElseThrow().commit();
    clock.advance(Duration.ofMinutes(9));
    assertThat(behind.expireIdleSessions()).isZero();
    clock.advance(Duration.ofMinutes(2));
    assertThat(behind.expireIdleSessions()).isEqualTo(1);
    // Gone everywhere: no node brings it back.
    await().atMost(Duration.ofSeconds(5)).until(() -> a.backupCopies() + ahead.backupCopies() == 0);
    assertThat(a.open(s.id())).isEmpty();
    assertThat(ahead.open(s.id())).isEmpty();
  }
}
