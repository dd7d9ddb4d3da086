package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.testing.FrameFilter;
import org.buddygrid.core.testing.Partition;
import org.buddygrid.replication.internal.Messages;
import org.buddygrid.replication.internal.ReplicationCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redundancy comes back after members leave (flow 4): promotions, re-replication, at-risk gauge.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecoveryTest {
  private final Grids grids = new Grids();

  @AfterEach
  void stop() {
    grids.close();
  }

  private static List<String> createSessions(SessionGrid owner, int n, String tag) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      GridSession s = owner.create();
      s.setAttribute("tag", tag);
      s.setAttribute("i", i);
      assertThat(s.commit()).isEqualTo(CommitResult.REPLICATED);
      ids.add(s.id());
    }
    return ids;
  }

  /** A new session on {@code owner}, committed with one attribute; its id. */
  private static String sessionOn(SessionGrid owner) {
    GridSession s = owner.create();
    s.setAttribute("k", "v");
    s.commit();
    return s.id();
  }

  /** The node other than {@code owner} that holds the one backup copy ({@code backups(1)}). */
  private static SessionGrid onlyBackup(List<SessionGrid> g, SessionGrid owner) {
    return g.stream().filter(x -> x != owner && x.backupCopies() == 1).findFirst().orElseThrow();
  }

  private static void awaitRecovered(List<SessionGrid> alive, int sessions, int backups) {
    awaitRecovered(alive, sessions, backups, 0);
  }

  private static void awaitRecovered(
      List<SessionGrid> alive, int sessions, int backups, int atRisk) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              assertThat(alive.stream().mapToInt(SessionGrid::ownedSessions).sum())
                  .isEqualTo(sessions);
              assertThat(alive.stream().mapToLong(SessionGrid::backupCopies).sum())
                  .isEqualTo((long) sessions * backups);
              assertThat(alive.stream().mapToInt(SessionGrid::sessionsAtRisk).sum())
                  .isEqualTo(atRisk);
            });
  }

  private static void assertIntact(List<SessionGrid> alive, List<String> ids, String tag) {
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      List<SessionGrid> owners = alive.stream().filter(g -> g.isOwner(id)).toList();
      assertThat(owners).as("owners of %s", id).hasSize(1);
      GridSession s = owners.get(0).open(id).orElseThrow();
      assertThat(s.getAttribute("tag")).isEqualTo(tag);
      assertThat(s.getAttribute("i")).isEqualTo(i);
      s.commit();
    }
  }

  @Test
  void aSessionNobodyAnsweredForIsUnavailableNotGone() {
    List<SessionGrid> g = grids.startAll(3, b -> b.lookupTimeout(Duration.ofMillis(300)));
    int locations = ReplicationCatalog.catalog().typeId(Messages.Locations.class);
    int whoHas = ReplicationCatalog.catalog().typeId(Messages.WhoHas.class);
    // The asker has no hint where the session is, and its holders are too busy to answer.
    try (FrameFilter noHints1 = FrameFilter.drop(g.get(1).node(), locations);
        FrameFilter noHints2 = FrameFilter.drop(g.get(2).node(), locations)) {
      GridSession s = g.get(0).create();
      s.setAttribute("n", 1);
      s.commit();
      SessionGrid backup = g.get(1).backupCopies() == 1 ? g.get(1) : g.get(2);
      SessionGrid asker = backup == g.get(1) ? g.get(2) : g.get(1);
      try (FrameFilter owner = FrameFilter.drop(g.get(0).node(), whoHas);
          FrameFilter copy = FrameFilter.drop(backup.node(), whoHas)) {
        assertThatThrownBy(() -> asker.open(s.id()))
            .isInstanceOf(SessionUnavailableException.class)
            .hasMessageContaining("did not answer who holds it");
        assertThat(asker.ownedSessions()).isZero();
      }
    }
    // Once they answer, it is found: a new session in its place would have lost it for the client.
    SessionGrid asker = g.get(1).backupCopies() == 1 ? g.get(2) : g.get(1);
    GridSession found = asker.open(g.get(0).ownedSessionIds().iterator().next()).orElseThrow();
    assertThat(found.getAttribute("n")).isEqualTo(1);
  }

  @Test
  void aNodeAloneSinceItStartedAnswersASessionItCannotFindAsUnavailableNotGone() {
    List<SessionGrid> g = grids.startAll(2, b -> b);
    GridSession s = g.get(0).create();
    s.setAttribute("n", 1);
    s.commit();
    // Discovery missed the grid: the restarted node runs alone (its own cluster here) until a
    // merge. It cannot know the session is gone, and a new session would replace the client's.
    try (Grids missed = new Grids();
        Grids single = new Grids()) {
      SessionGrid lone = missed.start("node3", b -> b);
      // The client's id names the node that created the session (node1).
      assertThatThrownBy(() -> lone.open(s.id()))
          .isInstanceOf(SessionUnavailableException.class)
          .hasMessageContaining("alone since it started")
          .hasMessageContaining("buddygrid.join-grace");
      assertThat(lone.metrics().count("takeovers.unavailable")).isEqualTo(1);
      // A deployment that really has one node turns the grace off: gone is gone.
      SessionGrid one = single.start("node4", b -> b.joinGrace(Duration.ZERO));
      assertThat(one.open(s.id())).isEmpty();
      // An id naming the lone node's own route: it created it, so not finding it means gone.
      String own = s.id().substring(0, s.id().lastIndexOf('.') + 1) + "node3";
      assertThat(lone.open(own)).isEmpty();
    }
    // A node that has met the grid finds it, and reports gone what nobody holds.
    SessionGrid third = grids.start("node5", b -> b);
    await().atMost(Duration.ofSeconds(30)).until(() -> third.node().view().size() == 3);
    assertThat(third.open(s.id()).orElseThrow().getAttribute("n")).isEqualTo(1);
    GridSession ended = g.get(1).create();
    ended.commit();
    ended.invalidate();
    assertThat(third.open(ended.id())).isEmpty();
  }

  /**
   * The chaos harness's restart alone: a node whose host list names other members, restarted while
   * discovery missed the grid, ran alone and answered its own route's cookies with new sessions
   * (their sessions had been handed off or promoted on the grid it did not see).
   */
  @Test
  void aNodeAloneSinceItStartedWhoseHostListNamesOthersAnswersItsOwnRouteAsUnavailableToo()
      throws java.io.IOException {
    int own = BackupHeapFloodTest.freeClusterPort();
    int missed = BackupHeapFloodTest.freeClusterPort(); // the grid it did not find: nobody there
    String ownId = new org.buddygrid.core.id.SessionIdGenerator().newBase() + ".node1";
    try (Grids restarted = new Grids();
        Grids single = new Grids()) {
      SessionGrid lone =
          restarted.start(
              "node1",
              b -> b.stack(tcpOnLoopback(own, "127.0.0.1[" + own + "],127.0.0.1[" + missed + "]")));
      assertThatThrownBy(() -> lone.open(ownId))
          .isInstanceOf(SessionUnavailableException.class)
          .hasMessageContaining("alone since it started")
          .hasMessageContaining("buddygrid.join-grace");
      // A node whose host list names only itself is deployed alone, even with the stack's default
      // port range probing the next ports: its own ids it cannot find are gone, as before.
      int alone = BackupHeapFloodTest.freeClusterPort();
      SessionGrid one =
          single.start(
              "node1",
              b -> b.stack(tcpOnLoopback(alone, "127.0.0.1[" + alone + "]").withPortRange(2)));
      assertThat(one.open(ownId)).isEmpty();
    }
  }

  private static org.buddygrid.jgroups.JGroupsStack tcpOnLoopback(int port, String hosts) {
    return org.buddygrid.jgroups.Stacks.tcp()
        .withBindAddress("127.0.0.1")
        .withBindPort(port)
        .withInitialHosts(hosts)
        .withPortRange(0);
  }

  @Test
  void whileACrashedOwnerIsNotExcludedYetItsSessionIsUnavailableNeverNotFound() {
    // Slow failure detection: the owner stays in the view, unreachable, for a long while.
    List<SessionGrid> g =
        grids.startAll(
            3,
            b ->
                b.backups(1)
                    .takeoverTimeout(Duration.ofMillis(200))
                    .lookupTimeout(Duration.ofMillis(300))
                    .stack(
                        org.buddygrid.jgroups.Stacks.loopback()
                            .withFailureDetection(Duration.ofSeconds(60), Duration.ofSeconds(5))));
    List<String> ids = createSessions(g.get(0), 1, "from node1");
    String id = ids.get(0);
    try (Partition p =
        Partition.isolate(g.get(0).node(), g.stream().map(SessionGrid::node).toList())) {
      // A client that would be given a new, empty session here would lose its own: the grid says
      // "try again" instead.
      assertThatThrownBy(() -> g.get(2).open(id)).isInstanceOf(SessionUnavailableException.class);
      assertThat(g.get(2).metrics().count("takeovers.unavailable")).isEqualTo(1);
    }
  }

  @Test
  void aNodeKilledAndRestartedAtOnceUnderItsRouteLosesNoSessionItOwned() {
    List<SessionGrid> g = grids.startAll(3, b -> b.backups(1));
    List<String> ids = createSessions(g.get(2), 20, "from node3");
    awaitRecovered(g, 20, 1);
    // Killed, and back before the others have excluded it: JGroups may replace the old member by
    // the new one in a single view, with the same route. The new process holds nothing.
    g.get(2).closeAbruptly();
    SessionGrid restarted = grids.start("node3", b -> b.backups(1));
    List<SessionGrid> alive = List.of(g.get(0), g.get(1), restarted);
    awaitRecovered(alive, 20, 1);
    assertIntact(alive, ids, "from node3");
  }

  @Test
  void ofTwoNodesTheYoungerLeftAloneServesOnDemandAndPromotesTheRestWhenTheOtherRestarts() {
    List<SessionGrid> g = grids.startAll(2, b -> b.backups(1));
    List<String> ids = createSessions(g.get(0), 10, "from node1");
    SessionGrid survivor = g.get(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> survivor.backupCopies() == 10);
    g.get(0).closeAbruptly();
    await().atMost(Duration.ofSeconds(30)).until(() -> survivor.node().view().size() == 1);
    // Alone, and not the older of two: it cannot tell a crash from its own isolation, so it
    // promotes nothing by itself...
    await()
        .during(Duration.ofMillis(1000))
        .atMost(Duration.ofSeconds(5))
        .until(() -> survivor.ownedSessions() == 0);
    // ...but serves any session a request asks for, intact.
    GridSession s = survivor.open(ids.get(3)).orElseThrow();
    assertThat(s.getAttribute("tag")).isEqualTo("from node1");
    assertThat(s.getAttribute("i")).isEqualTo(3);
    s.commit();
    assertThat(survivor.ownedSessions()).isEqualTo(1);
    // node1 comes back as a new process, holding nothing: the grid is whole again, and the copies
    // its predecessor owned are promoted although the route "node1" is alive.
    SessionGrid restarted = grids.start("node1", b -> b.backups(1));
    List<SessionGrid> both = List.of(survivor, restarted);
    awaitRecovered(both, 10, 1);
    assertIntact(both, ids, "from node1");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void whenAnOwnerLeavesItsSessionsArePromotedOnTheSurvivorsAndRedundancyReturns(int backups) {
    List<SessionGrid> g = grids.startAll(4, b -> b.backups(backups));
    List<String> lost = createSessions(g.get(0), 60, "from node1");
    List<String> kept = createSessions(g.get(1), 40, "from node2");
    g.get(0).closeAbruptly();
    List<SessionGrid> alive = g.subList(1, 4);
    awaitRecovered(alive, 100, backups);
    assertIntact(alive, lost, "from node1");
    assertIntact(alive, kept, "from node2");
    long promoted = alive.stream().mapToLong(x -> x.metrics().count("recovery.promoted")).sum();
    assertThat(promoted).isEqualTo(60);
    // Spread: no survivor promoted more than about twice its fair share of node1's sessions.
    for (SessionGrid x : alive) {
      assertThat(x.metrics().count("recovery.promoted")).isLessThanOrEqualTo(2 * 60 / 3);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void whenABackupLeavesOwnersGiveTheirSessionsNewBackups(int backups) {
    List<SessionGrid> g = grids.startAll(4, b -> b.backups(backups));
    List<String> ids = createSessions(g.get(0), 80, "t");
    g.get(2).closeAbruptly();
    List<SessionGrid> alive = List.of(g.get(0), g.get(1), g.get(3));
    awaitRecovered(alive, 80, backups);
    assertThat(g.get(0).metrics().count("recovery.rereplicated")).isPositive();
    assertIntact(alive, ids, "t");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aBackupLeavingThenTheOwnerLeavingLosesNothingOnceRedundancyWasRestored(int backups) {
    List<SessionGrid> g = grids.startAll(4, b -> b.backups(backups));
    List<String> ids = createSessions(g.get(0), 50, "seq");
    g.get(3).closeAbruptly();
    List<SessionGrid> three = g.subList(0, 3);
    awaitRecovered(three, 50, backups);
    g.get(0).closeAbruptly();
    List<SessionGrid> two = g.subList(1, 3);
    // Two nodes cannot hold two backups of a session: with backups=2 every session stays at risk,
    // and says so.
    awaitRecovered(two, 50, 1, backups == 2 ? 50 : 0);
    assertIntact(two, ids, "seq");
  }

  /** Catalogue row 10: owner and only backup die together: not found in bounded time, no hang. */
  @org.junit.jupiter.api.Test
  void whenTheOwnerAndItsOnlyBackupDieTogetherTheSessionIsNotFoundQuicklyAndNewOnesWork() {
    // Five nodes: the three survivors are a majority (primary), so they can tell the session is
    // gone. A minority of survivors cannot, for a while: the next test.
    List<SessionGrid> g =
        grids.startAll(5, b -> b.backups(1).lookupTimeout(Duration.ofMillis(500)));
    String id = sessionOn(g.get(0));
    SessionGrid backup = onlyBackup(g, g.get(0));
    List<SessionGrid> alive = new ArrayList<>(g);
    alive.remove(g.get(0));
    alive.remove(backup);
    // Together: both are cut off from everyone before either dies, so the backup cannot promote
    // the session and hand a copy to a survivor in between (it would be found then, rightly).
    try (Partition cut =
        Partition.split(
            List.of(g.get(0).node()),
            List.of(backup.node()),
            alive.stream().map(SessionGrid::node).toList())) {
      g.get(0).closeAbruptly();
      backup.closeAbruptly();
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> alive.stream().allMatch(x -> x.node().view().size() == 3));
    long start = System.nanoTime();
    assertThat(alive.get(0).open(id)).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    GridSession fresh = alive.get(0).create();
    fresh.setAttribute("k", "new");
    assertThat(fresh.commit()).isEqualTo(CommitResult.REPLICATED);
    assertThat(alive.get(1).open(fresh.id()).orElseThrow().getAttribute("k")).isEqualTo("new");
    assertThat(alive.stream().mapToInt(SessionGrid::ownedSessions).sum()).isEqualTo(1);
  }

  /**
   * A woken zombie or a node cut off alone is not on a primary side: the session it cannot find may
   * be owned on the other side, so it is unavailable, not gone, whatever route its id names; but
   * only for the join grace from when the node became a minority, so that a survivor left alone for
   * good (row 10 with a minority left) creates new sessions again.
   */
  @Test
  void aMinoritySideAnswersASessionItCannotFindAsUnavailableForTheJoinGraceThenAsGone() {
    Duration grace = Duration.ofSeconds(6);
    List<SessionGrid> g =
        grids.startAll(3, b -> b.backups(1).lookupTimeout(Duration.ofMillis(500)).joinGrace(grace));
    String id = sessionOn(g.get(0));
    SessionGrid backup = onlyBackup(g, g.get(0));
    SessionGrid survivor = g.stream().filter(x -> x != g.get(0) && x != backup).findFirst().get();
    try (Partition cut =
        Partition.split(
            List.of(g.get(0).node()), List.of(backup.node()), List.of(survivor.node()))) {
      g.get(0).closeAbruptly();
      backup.closeAbruptly();
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> survivor.metrics().gaugeValue("quorum.primary") == 0);
    long minoritySince = System.nanoTime();
    String own = id.substring(0, id.lastIndexOf('.') + 1) + survivor.node().route();
    for (String asked : List.of(id, own)) {
      assertThatThrownBy(() -> survivor.open(asked))
          .isInstanceOf(SessionUnavailableException.class)
          .hasMessageContaining("no majority")
          .hasMessageContaining("buddygrid.join-grace");
    }
    assertThat(survivor.metrics().count("takeovers.unavailable")).isEqualTo(2);
    // Bounded: once the grace has passed, nobody left to ask means gone, and new sessions work.
    await()
        .atMost(grace.plusSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .ignoreException(SessionUnavailableException.class)
        .until(() -> survivor.open(id).isEmpty());
    assertThat(Duration.ofNanos(System.nanoTime() - minoritySince))
        .isGreaterThanOrEqualTo(grace.minusMillis(100));
    GridSession fresh = survivor.create();
    fresh.setAttribute("k", "new");
    fresh.commit();
    assertThat(survivor.open(fresh.id()).orElseThrow().getAttribute("k")).isEqualTo("new");
  }

  /**
   * A woken zombie's lookup was cut short when MERGE3 took it back: JGroups marks the pending
   * answers of the merge view's other subgroup as suspected although those members are in the new
   * view. That is not an answer: the session is unavailable, not gone (a new session replaced the
   * client's in the chaos harness).
   */
  @Test
  void aLookupCutShortByAMergeViewIsUnavailableNotGone() throws Exception {
    List<SessionGrid> g =
        grids.startAll(3, b -> b.backups(1).lookupTimeout(Duration.ofSeconds(20)));
    int locations = ReplicationCatalog.catalog().typeId(Messages.Locations.class);
    int whoHas = ReplicationCatalog.catalog().typeId(Messages.WhoHas.class);
    String id;
    // No directory entry anywhere but on the owner: the asker must ask who holds the session.
    try (FrameFilter noHint1 = FrameFilter.drop(g.get(1).node(), locations);
        FrameFilter noHint2 = FrameFilter.drop(g.get(2).node(), locations)) {
      id = sessionOn(g.get(0));
      // Location updates leave in batches: wait until this one has been lost.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !noHint1.dropped().isEmpty() && !noHint2.dropped().isEmpty());
    }
    SessionGrid backup = onlyBackup(g, g.get(0));
    SessionGrid asker = backup == g.get(1) ? g.get(2) : g.get(1);
    try (FrameFilter silentOwner = FrameFilter.drop(g.get(0).node(), whoHas);
        FrameFilter silentBackup = FrameFilter.drop(backup.node(), whoHas)) {
      java.util.concurrent.CompletableFuture<java.util.Optional<GridSession>> lookup =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> asker.open(id));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !silentOwner.dropped().isEmpty() && !silentBackup.dropped().isEmpty());
      org.jgroups.JChannel channel = asker.node().channel();
      org.jgroups.View now = channel.getView();
      org.jgroups.Address self = channel.getAddress();
      List<org.jgroups.Address> others =
          now.getMembers().stream().filter(a -> !a.equals(self)).toList();
      org.jgroups.View theirs =
          new org.jgroups.View(
              new org.jgroups.ViewId(others.get(0), now.getViewId().getId()), others);
      org.jgroups.View mine = new org.jgroups.View(new org.jgroups.ViewId(self, 1), List.of(self));
      channel.up(
          new org.jgroups.Event(
              org.jgroups.Event.VIEW_CHANGE,
              new org.jgroups.MergeView(
                  new org.jgroups.ViewId(now.getCoord(), now.getViewId().getId() + 1),
                  now.getMembers(),
                  List.of(theirs, mine))));
      assertThatThrownBy(() -> lookup.get(15, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SessionUnavailableException.class)
          .hasMessageContaining("did not answer who holds it");
    }
  }
}
