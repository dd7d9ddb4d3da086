package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.attribute.ClassNotAllowedException;
import org.buddygrid.core.testing.FrameFilter;
import org.buddygrid.replication.ReplicationFlowTest.Cart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplicationModesTest {
  private final Grids grids = new Grids();

  @AfterEach
  void stop() {
    grids.close();
  }

  private static long sent(SessionGrid g, String what) {
    return g.metrics().count(what);
  }

  /**
   * Every timing and granularity: committed changes are on the backup, and a takeover sees them.
   */
  @ParameterizedTest
  @EnumSource(Timing.class)
  void everyTimingReplicatesInBothGranularities(Timing timing) {
    for (Granularity granularity : Granularity.values()) {
      try (Grids local = new Grids()) {
        List<SessionGrid> g =
            local.startAll(
                2,
                b ->
                    b.timing(timing).granularity(granularity).flushInterval(Duration.ofMillis(50)));
        GridSession s = g.get(0).create();
        for (int i = 0; i < 20; i++) {
          s.setAttribute("a" + i, "value " + i);
        }
        s.commit();
        for (int i = 1; i <= 5; i++) {
          GridSession again = g.get(0).open(s.id()).orElseThrow();
          again.setAttribute("counter", i);
          again.commit();
        }
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    g.get(1).backupCopies() == 1
                        && sent(g.get(0), "replicate.delta") + sent(g.get(0), "replicate.full") >= 1
                        && g.get(0).sessionsAtRisk() == 0);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> appliedOn(g.get(1)) >= (timing == Timing.INTERVAL ? 1 : 6));
        GridSession taken = g.get(1).open(s.id()).orElseThrow();
        assertThat(taken.getAttribute("counter")).isEqualTo(5);
        assertThat(taken.getAttribute("a19")).isEqualTo("value 19");
        if (granularity == Granularity.SESSION) {
          assertThat(sent(g.get(0), "replicate.delta")).isZero();
        } else if (timing != Timing.INTERVAL) {
          assertThat(sent(g.get(0), "replicate.delta")).isEqualTo(5);
        }
      }
    }
  }

  /** Replicate messages the backup applied (one per version it reached). */
  private static long appliedOn(SessionGrid backup) {
    return backup.node().metrics().count("replicate.applied");
  }

  @Test
  void intervalTimingCoalescesManyCommitsIntoFewDeltas() {
    List<SessionGrid> g =
        grids.startAll(2, b -> b.timing(Timing.INTERVAL).flushInterval(Duration.ofMillis(300)));
    GridSession s = g.get(0).create();
    assertThat(s.commit()).isEqualTo(CommitResult.QUEUED);
    await().atMost(Duration.ofSeconds(5)).until(() -> g.get(1).backupCopies() == 1);
    long before = sent(g.get(0), "replicate.delta");
    for (int i = 0; i < 50; i++) {
      GridSession h = g.get(0).open(s.id()).orElseThrow();
      h.setAttribute("n", i);
      assertThat(h.commit()).isEqualTo(CommitResult.QUEUED);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> sent(g.get(0), "replicate.delta") > before);
    assertThat(sent(g.get(0), "replicate.delta") - before).isLessThan(10);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              try (Grids probe = new Grids()) {
                assertThat(g.get(1).open(s.id()).orElseThrow().getAttribute("n")).isEqualTo(49);
              }
            });
  }

  @Test
  void aMutableValueChangedInPlaceIsShippedUnderMutableAndNotUnderNever() {
    List<SessionGrid> g = grids.startAll(2, b -> b);
    GridSession s = g.get(0).create();
    Cart cart = new Cart();
    s.setAttribute("cart", cart);
    s.commit();
    GridSession h = g.get(0).open(s.id()).orElseThrow();
    ((Cart) h.getAttribute("cart")).items.add("changed in place");
    assertThat(h.commit()).isEqualTo(CommitResult.REPLICATED);
    assertThat(g.get(1).open(s.id()).orElseThrow().getAttribute("cart"))
        .extracting(c -> ((Cart) c).items)
        .asList()
        .containsExactly("changed in place");

    try (Grids never = new Grids()) {
      List<SessionGrid> n = never.startAll(2, b -> b.dirtyOnGet(DirtyOnGet.NEVER));
      GridSession t = n.get(0).create();
      t.setAttribute("cart", new Cart());
      t.commit();
      GridSession u = n.get(0).open(t.id()).orElseThrow();
      ((Cart) u.getAttribute("cart")).items.add("lost without setAttribute");
      assertThat(u.commit()).isEqualTo(CommitResult.NO_CHANGE);
      assertThat(((Cart) n.get(1).open(t.id()).orElseThrow().getAttribute("cart")).items).isEmpty();
    }
  }

  @Test
  void readingAnUnchangedMutableValueShipsNothing() {
    List<SessionGrid> g = grids.startAll(2, b -> b);
    GridSession s = g.get(0).create();
    s.setAttribute("cart", new Cart());
    s.setAttribute("name", "immutable string");
    s.commit();
    long deltas = sent(g.get(0), "replicate.delta");
    GridSession h = g.get(0).open(s.id()).orElseThrow();
    h.getAttribute("cart");
    h.getAttribute("name");
    // Same bytes as shipped: no version, no message.
    assertThat(h.commit()).isEqualTo(CommitResult.NO_CHANGE);
    h.setAttribute("name", "immutable string");
    assertThat(h.commit()).isEqualTo(CommitResult.NO_CHANGE);
    assertThat(sent(g.get(0), "replicate.delta")).isEqualTo(deltas);
  }

  @Test
  void twoBackupsLiveOnDistinctNodesAndEitherCanTakeOver() {
    List<SessionGrid> g = grids.startAll(4, b -> b.backups(2));
    GridSession s = g.get(0).create();
    s.setAttribute("x", 1);
    assertThat(s.commit()).isEqualTo(CommitResult.REPLICATED);
    long copies = g.stream().mapToLong(SessionGrid::backupCopies).sum();
    assertThat(copies).isEqualTo(2);
    assertThat(g.get(0).backupCopies()).isZero();
  }

  @Test
  void aCommitNoBackupConfirmedWhileOthersAreInTheViewIsUnconfirmedNotAtRisk() {
    List<SessionGrid> g =
        grids.startAll(2, b -> b.replicationTimeout(java.time.Duration.ofMillis(300)));
    GridSession s = g.get(0).create();
    s.setAttribute("x", 1);
    assertThat(s.commit()).isEqualTo(CommitResult.REPLICATED);
    int replicate =
        org.buddygrid.replication.internal.ReplicationCatalog.catalog()
            .typeId(org.buddygrid.replication.internal.Messages.Replicate.class);
    // The backup is silent (as the whole grid is to a node that was paused and excluded).
    try (FrameFilter silent = FrameFilter.drop(g.get(1).node(), replicate)) {
      GridSession again = g.get(0).open(s.id()).orElseThrow();
      again.setAttribute("x", 2);
      assertThat(again.commit()).isEqualTo(CommitResult.UNCONFIRMED);
      assertThat(g.get(0).metrics().count("commits.unconfirmed")).isEqualTo(1);
      assertThat(g.get(0).sessionsAtRisk()).isEqualTo(1);
    }
    GridSession later = g.get(0).open(s.id()).orElseThrow();
    later.setAttribute("x", 3);
    assertThat(later.commit()).isEqualTo(CommitResult.REPLICATED);
  }

  @Test
  void aSingleNodeReportsCommitsAtRisk() {
    SessionGrid alone = grids.start("solo", b -> b);
    GridSession s = alone.create();
    s.setAttribute("x", 1);
    assertThat(s.commit()).isEqualTo(CommitResult.AT_RISK);
    assertThat(alone.sessionsAtRisk()).isEqualTo(1);
  }

  @Test
  void aSessionCreatedAloneGetsItsBackupWhenAnotherNodeJoinsWithoutWaitingForAWrite() {
    SessionGrid first = grids.start("node1", b -> b);
    GridSession s = first.create();
    s.setAttribute("x", 1);
    assertThat(s.commit()).isEqualTo(CommitResult.AT_RISK);
    SessionGrid second = grids.start("node2", b -> b);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(second.backupCopies()).isEqualTo(1);
              assertThat(first.sessionsAtRisk()).isZero();
            });
    GridSession again = first.open(s.id()).orElseThrow();
    again.setAttribute("x", 2);
    assertThat(again.commit()).isEqualTo(CommitResult.REPLICATED);
  }

  @Test
  void aClassOutsideThePolicyIsRefusedAtSetAttribute() {
    SessionGrid g = grids.start("solo", b -> b.allow("com.example.**"));
    GridSession s = g.create();
    assertThatThrownBy(() -> s.setAttribute("cart", new Cart()))
        .isInstanceOf(ClassNotAllowedException.class)
        .hasMessageContaining("to buddygrid.allow");
    assertThat(s.getAttribute("cart")).isNull();
  }

  @Test
  void invalidationEndsTheSessionEverywhereAndTellsListenersInOrder() {
    List<SessionGrid> g = grids.startAll(3, b -> b);
    List<String> events = new CopyOnWriteArrayList<>();
    g.get(0)
        .addListener(
            new SessionListener() {
              @Override
              public void sessionCreated(GridSession session) {
                events.add("created");
              }

              @Override
              public void attributeAdded(GridSession session, String name, Object value) {
                events.add("added " + name);
              }

              @Override
              public void attributeReplaced(GridSession session, String name, Object old) {
                events.add("replaced " + name + " was " + old);
              }

              @Override
              public void sessionDestroyed(GridSession session, Ending ending) {
                events.add("destroyed " + ending + " with " + session.getAttribute("a"));
              }

              @Override
              public void attributeRemoved(GridSession session, String name, Object old) {
                events.add("removed " + name);
              }
            });
    GridSession s = g.get(0).create();
    s.setAttribute("a", 1);
    s.setAttribute("a", 2);
    s.commit();
    String id = s.id();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> g.get(1).backupCopies() + g.get(2).backupCopies() == 1);
    s.invalidate();
    assertThat(events)
        .containsExactly(
            "created", "added a", "replaced a was 1", "destroyed INVALIDATED with 2", "removed a");
    assertThat(s.isValid()).isFalse();
    assertThatThrownBy(() -> s.getAttribute("a")).isInstanceOf(IllegalStateException.class);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> g.get(1).backupCopies() + g.get(2).backupCopies() == 0);
    assertThat(g.get(1).open(id)).isEmpty();
    assertThat(g.get(2).open(id)).isEmpty();
  }

  @Test
  void aChangedIdWorksEverywhereAndTheOldOneNowhere() {
    List<SessionGrid> g = grids.startAll(3, b -> b);
    GridSession s = g.get(0).create();
    s.setAttribute("user", "bob");
    s.commit();
    String oldId = s.id();
    String newId = s.changeId();
    assertThat(newId).isNotEqualTo(oldId).endsWith(".node1");
    s.setAttribute("after", true);
    s.commit();
    GridSession moved = g.get(2).open(newId).orElseThrow();
    assertThat(moved.getAttribute("user")).isEqualTo("bob");
    assertThat(moved.getAttribute("after")).isEqualTo(true);
    assertThat(g.get(1).open(oldId)).isEmpty();
  }

  /**
   * Group commit: commits that wait behind a delta on its way to their backup leave together as one
   * message with one reply, each commit still learns its own outcome, and every copy ends at its
   * session's last version. Also under many concurrent writers, and with group commit off.
   */
  @ParameterizedTest
  @EnumSource(
      value = Timing.class,
      names = {"SYNC", "ASYNC"})
  void commitsWaitingBehindADeltaOnItsWayLeaveTogetherAndEveryCopyEndsAtItsLastVersion(
      Timing timing) throws Exception {
    List<SessionGrid> g = grids.startAll(2, b -> b.timing(timing));
    List<GridSession> sessions = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      GridSession s = g.get(0).create();
      s.setAttribute("n", 0);
      assertThat(s.commit()).isIn(CommitResult.REPLICATED, CommitResult.SENT);
      sessions.add(s);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> g.get(0).sessionsAtRisk() == 0);
    int replicate =
        org.buddygrid.replication.internal.ReplicationCatalog.catalog()
            .typeId(org.buddygrid.replication.internal.Messages.Replicate.class);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<CommitResult>> commits = new java.util.ArrayList<>();
      try (FrameFilter held = FrameFilter.hold(g.get(1).node(), replicate)) {
        long before = sent(g.get(0), "replicate.delta");
        commits.add(pool.submit(() -> write(g.get(0), sessions.get(0).id(), 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> held.dropped().size() == 1);
        for (int i = 1; i < 4; i++) {
          String id = sessions.get(i).id();
          commits.add(pool.submit(() -> write(g.get(0), id, 1)));
        }
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> sent(g.get(0), "replicate.delta") == before + 4);
        held.release();
        for (java.util.concurrent.Future<CommitResult> c : commits) {
          assertThat(c.get(10, TimeUnit.SECONDS))
              .isEqualTo(timing == Timing.SYNC ? CommitResult.REPLICATED : CommitResult.SENT);
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> sent(g.get(0), "replicate.batched") >= 2);
      assertThat(sent(g.get(0), "replicate.batches")).isGreaterThanOrEqualTo(1);

      // Many writers at once: the copies are exact.
      int writes = 40;
      List<String> ids = writeConcurrently(g.get(0), 8, writes, result -> {});
      await().atMost(Duration.ofSeconds(10)).until(() -> g.get(0).sessionsAtRisk() == 0);
      g.get(0).close();
      for (String id : ids) {
        assertThat(g.get(1).open(id).orElseThrow().getAttribute("n")).as(id).isEqualTo(writes);
      }
      for (GridSession s : sessions) {
        assertThat(g.get(1).open(s.id()).orElseThrow().getAttribute("n")).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void withGroupCommitOffEveryCommitIsItsOwnMessage() throws Exception {
    List<SessionGrid> g = grids.startAll(2, b -> b.groupCommit(false));
    List<String> ids =
        writeConcurrently(
            g.get(0), 8, 30, result -> assertThat(result).isEqualTo(CommitResult.REPLICATED));
    assertThat(sent(g.get(0), "replicate.batches")).isZero();
    g.get(0).close();
    for (String id : ids) {
      assertThat(g.get(1).open(id).orElseThrow().getAttribute("n")).isEqualTo(30);
    }
  }

  /** {@code writers} new sessions, each written {@code writes} times by its own thread. */
  private static List<String> writeConcurrently(
      SessionGrid owner, int writers, int writes, java.util.function.Consumer<CommitResult> check)
      throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < writers; i++) {
      GridSession s = owner.create();
      s.setAttribute("n", 0);
      s.commit();
      ids.add(s.id());
    }
    java.util.concurrent.ExecutorService many =
        java.util.concurrent.Executors.newFixedThreadPool(writers);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (String id : ids) {
        done.add(
            many.submit(
                () -> {
                  for (int n = 1; n <= writes; n++) {
                    check.accept(write(owner, id, n));
                  }
                  return null;
                }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      many.shutdownNow();
    }
    return ids;
  }

  private static CommitResult write(SessionGrid grid, String id, int n) {
    GridSession s = grid.open(id).orElseThrow();
    s.setAttribute("n", n);
    return s.commit();
  }

  @Test
  void aTakeoverUsesTheDirectoryWhenLocationsHaveArrived() {
    List<SessionGrid> g = grids.startAll(3, b -> b);
    GridSession s = g.get(0).create();
    s.setAttribute("x", 1);
    s.commit();
    g.get(0).flush();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> g.get(2).metrics().gaugeValue("directory.entries") == 1);
    assertThat(g.get(2).open(s.id())).isPresent();
    assertThat(g.get(2).metrics().count("whohas.queries")).isZero();
  }

  @Test
  void aStaleDirectoryEntryCostsAHopNotWrongData() {
    List<SessionGrid> g = grids.startAll(3, b -> b);
    GridSession s = g.get(0).create();
    s.setAttribute("v", "first");
    s.commit();
    g.get(0).flush();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> g.get(2).metrics().gaugeValue("directory.entries") == 1);
    // node2 takes it over; node3's directory still says node1 (no flush yet).
    GridSession two = g.get(1).open(s.id()).orElseThrow();
    two.setAttribute("v", "second");
    two.commit();
    GridSession three = g.get(2).open(s.id()).orElseThrow();
    assertThat(three.getAttribute("v")).isEqualTo("second");
  }

  @Test
  void lastAccessTimesReachBackupsInBatches() {
    List<SessionGrid> g = grids.startAll(2, b -> b.touchInterval(Duration.ofMillis(200)));
    GridSession s = g.get(0).create();
    s.commit();
    for (int i = 0; i < 20; i++) {
      g.get(0).open(s.id()).orElseThrow().commit();
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> g.get(0).metrics().count("touches.batches") >= 1);
    assertThat(g.get(0).metrics().count("touches.batches")).isLessThan(20);
  }
}
