package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.buddygrid.core.GridNode;
import org.buddygrid.core.testing.Partition;
import org.buddygrid.jgroups.Stacks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Partitions and zombies (PROTOCOL rules 8 and 9): both sides serve during a partition; on the
 * merge exactly one copy of each session survives, chosen by {@code (epoch, version)}, then last
 * access, then route; conflicts are counted; redundancy comes back; a cut-off owner that comes back
 * cannot overwrite a session that was taken over.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MergeTest {
  private final Grids grids = new Grids();

  @AfterEach
  void stop() {
    grids.close();
  }

  /** Quick failure detection and merging, so a partition and its healing take seconds. */
  private static UnaryOperator<SessionGrid.Builder> fast(int backups) {
    return b ->
        b.backups(backups)
            .stack(
                Stacks.loopback()
                    .withFailureDetection(Duration.ofMillis(1500), Duration.ofMillis(300))
                    .withVerifySuspectTimeout(Duration.ofMillis(300))
                    .withMergeIntervals(Duration.ofMillis(500), Duration.ofMillis(1000)));
  }

  private static List<GridNode> nodes(List<SessionGrid> grids) {
    return grids.stream().map(SessionGrid::node).toList();
  }

  private static void awaitViews(List<SessionGrid> side) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> side.stream().allMatch(g -> g.node().view().size() == side.size()));
  }

  private static long conflicts(List<SessionGrid> all) {
    return all.stream().mapToLong(g -> g.metrics().count("merge.conflicts")).sum();
  }

  private static void awaitOneOwnerEach(List<SessionGrid> all, List<String> ids, int backups) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              for (String id : ids) {
                assertThat(all.stream().filter(g -> g.isOwner(id)).count())
                    .as("owners of %s", id)
                    .isEqualTo(1);
              }
              assertThat(all.stream().mapToInt(SessionGrid::ownedSessions).sum())
                  .isEqualTo(ids.size());
              assertThat(all.stream().mapToLong(SessionGrid::backupCopies).sum())
                  .as(
                      "owned/backups/at risk per node: %s",
                      all.stream()
                          .map(
                              g ->
                                  g.route()
                                      + "="
                                      + g.ownedSessions()
                                      + "/"
                                      + g.backupCopies()
                                      + "/"
                                      + g.sessionsAtRisk())
                          .toList())
                  .isEqualTo((long) ids.size() * backups);
              assertThat(all.stream().mapToInt(SessionGrid::sessionsAtRisk).sum())
                  .as(
                      "at risk per node: %s",
                      all.stream().map(g -> g.route() + "=" + g.sessionsAtRisk()).toList())
                  .isZero();
            });
  }

  private static Object read(SessionGrid via, String id, String name) {
    GridSession s = via.open(id).orElseThrow(() -> new AssertionError(id + " not found"));
    try {
      return s.getAttribute(name);
    } finally {
      s.commit();
    }
  }

  /** The session taken over on a minority side, or empty if that side answers it unavailable. */
  private static Optional<GridSession> openOnMinority(SessionGrid node, String id) {
    try {
      return Optional.of(
          node.open(id).orElseThrow(() -> new AssertionError(id + " reported gone by a minority")));
    } catch (SessionUnavailableException e) {
      assertThat(e).hasMessageContaining("no majority");
      return Optional.empty();
    }
  }

  private static void write(GridSession s, String side, int n) {
    s.setAttribute("side", side);
    s.setAttribute("n", n);
    s.commit();
  }

  @Test
  void conflictingWritesOnBothSidesOfAPartitionLeaveExactlyOneCopyTheNewerEpochs() {
    List<SessionGrid> g = grids.startAll(4, fast(1));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      GridSession s = g.get(0).create();
      write(s, "none", 0);
      ids.add(s.id());
    }
    List<SessionGrid> sideA = g.subList(0, 2);
    List<SessionGrid> sideB = g.subList(2, 4);
    Set<String> writtenOnB = new HashSet<>();
    try (Partition p = Partition.split(nodes(sideA), nodes(sideB))) {
      awaitViews(sideA);
      awaitViews(sideB);
      // Side B is the half without the oldest member: it promotes nothing by itself, but a
      // request there takes over a session whose copy it holds (epoch 1); side A keeps owning
      // everything at epoch 0. A session side B holds no copy of is unavailable there, never
      // gone: a minority cannot know the other side does not own it.
      assertThat(sideB.stream().mapToInt(SessionGrid::ownedSessions).sum()).isZero();
      for (String id : ids) {
        GridSession a = g.get(0).open(id).orElseThrow();
        write(a, "A", 1);
        Optional<GridSession> b = openOnMinority(g.get(2), id);
        if (b.isPresent()) {
          write(b.get(), "B", 2);
          write(g.get(2).open(id).orElseThrow(), "B", 3);
          writtenOnB.add(id);
        }
      }
    }
    // Both outcomes occur: copies backed up on side B conflict, the others do not.
    assertThat(writtenOnB).isNotEmpty().hasSizeLessThan(ids.size());
    awaitViews(g);
    awaitOneOwnerEach(g, ids, 1);
    assertThat(conflicts(g)).isEqualTo(writtenOnB.size());
    for (String id : ids) {
      boolean bWins = writtenOnB.contains(id); // epoch 1 beats epoch 0, whatever the versions
      assertThat(read(g.get(3), id, "side")).as(id).isEqualTo(bWins ? "B" : "A");
      assertThat(read(g.get(1), id, "n")).as(id).isEqualTo(bWins ? 3 : 1);
    }
  }

  @Test
  void whenBothSidesPromotedToTheSameEpochTheHigherVersionWins() {
    // Owner node1 with both other nodes as backups; all three cut apart: requests on node2 and
    // node3 each take the session over at epoch 1, node1 stays at epoch 0.
    List<SessionGrid> g = grids.startAll(3, fast(2));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      GridSession s = g.get(0).create();
      write(s, "none", 0);
      ids.add(s.id());
    }
    try (Partition p =
        Partition.split(
            List.of(g.get(0).node()), List.of(g.get(1).node()), List.of(g.get(2).node()))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> g.stream().allMatch(x -> x.node().view().size() == 1));
      // Each alone holds no majority: nothing is promoted until a request asks for it.
      assertThat(ids).noneMatch(id -> g.get(1).isOwner(id) || g.get(2).isOwner(id));
      for (String id : ids) {
        write(g.get(0).open(id).orElseThrow(), "node1", 1);
        write(g.get(1).open(id).orElseThrow(), "node2", 1);
        write(g.get(1).open(id).orElseThrow(), "node2", 2);
        write(g.get(2).open(id).orElseThrow(), "node3", 1);
      }
    }
    awaitViews(g);
    awaitOneOwnerEach(g, ids, 2);
    for (String id : ids) {
      assertThat(g.get(1).isOwner(id)).as(id).isTrue();
      assertThat(read(g.get(1), id, "side")).isEqualTo("node2");
      assertThat(read(g.get(1), id, "n")).isEqualTo(2);
    }
    // node1 (older epoch) dropped every copy: by the digests, or earlier, when node2's or node3's
    // newer epoch answered its first send (rule 2). node3 (same epoch, lower version) can only
    // learn it from the digests.
    assertThat(
            g.get(0).metrics().count("merge.conflicts")
                + g.get(0).metrics().count("sessions.lost-ownership"))
        .isEqualTo(ids.size());
    assertThat(g.get(2).metrics().count("merge.conflicts")).isEqualTo(ids.size());
    assertThat(g.get(1).metrics().count("merge.conflicts")).isZero();
  }

  @Test
  void aNodeCutOffAloneDoesNotPromoteAndTheMajoritysAcknowledgedWritesSurviveTheHeal() {
    List<SessionGrid> g = grids.startAll(4, fast(1));
    SessionGrid lone = g.get(3);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      GridSession s = g.get(i % 4).create();
      write(s, "before", 0);
      ids.add(s.id());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> lone.backupCopies() > 0);
    int ownedByLone = lone.ownedSessions();
    List<SessionGrid> majority = g.subList(0, 3);
    try (Partition p = Partition.isolate(lone.node(), nodes(g))) {
      awaitViews(majority);
      await().atMost(Duration.ofSeconds(30)).until(() -> lone.node().view().size() == 1);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> majority.stream().mapToInt(SessionGrid::sessionsAtRisk).sum() == 0);
      // The lone node cannot tell a crash of the others from its own isolation: it holds no
      // majority, so it does not promote the copies it backs up (their owners are alive).
      await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> lone.ownedSessions() == ownedByLone);
      for (String id : ids) {
        GridSession s = g.get(0).open(id).orElseThrow();
        s.setAttribute("side", "majority");
        s.setAttribute("n", 1);
        assertThat(s.commit()).as(id).isEqualTo(CommitResult.REPLICATED);
      }
    }
    awaitViews(g);
    awaitOneOwnerEach(g, ids, 1);
    for (String id : ids) {
      assertThat(read(lone, id, "side")).as(id).isEqualTo("majority");
      assertThat(read(g.get(1), id, "n")).as(id).isEqualTo(1);
    }
    // Only the lone node's own sessions were owned on both sides (promoted by the majority): it
    // gave each up, by the digests or earlier, when a newer epoch answered it (rule 2).
    assertThat(
            lone.metrics().count("merge.conflicts")
                + lone.metrics().count("sessions.lost-ownership"))
        .isEqualTo(ownedByLone);
    assertThat(conflicts(g)).isEqualTo(lone.metrics().count("merge.conflicts"));
  }

  @Test
  void aCutOffOwnerThatComesBackCannotCommitOverASessionTakenOverMeanwhile() {
    List<SessionGrid> g = grids.startAll(4, fast(1));
    GridSession created = g.get(0).create();
    created.setAttribute("v", 1);
    assertThat(created.commit()).isEqualTo(CommitResult.REPLICATED);
    String id = created.id();
    // A request on the owner is in flight when the owner is cut off.
    GridSession zombie = g.get(0).open(id).orElseThrow();
    List<SessionGrid> rest = g.subList(1, 4);
    try (Partition p = Partition.isolate(g.get(0).node(), nodes(g))) {
      awaitViews(rest);
      GridSession taken = g.get(3).open(id).orElseThrow();
      taken.setAttribute("v", 2);
      assertThat(taken.commit()).isEqualTo(CommitResult.REPLICATED);
    }
    awaitViews(g);
    // As soon as the partition has healed: whichever check sees it first (a backup's or the
    // directory's epoch, or the merge digest), the old epoch's commit is refused, never
    // acknowledged.
    zombie.setAttribute("v", 99);
    assertThatThrownBy(zombie::commit).isInstanceOf(SessionMovedException.class);
    awaitOneOwnerEach(g, List.of(id), 1);
    assertThat(g.get(0).isOwner(id)).isFalse();
    for (SessionGrid via : g) {
      assertThat(read(via, id, "v")).isEqualTo(2);
    }
  }
}
