package org.buddygrid.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Races the protocol must win: two takers, commits racing a takeover, a backup as arbiter. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TakeoverRaceTest {
  private final Grids grids = new Grids();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
    grids.close();
  }

  private static int ownersOf(List<SessionGrid> g) {
    return g.stream().mapToInt(SessionGrid::ownedSessions).sum();
  }

  /** One request: open (taking over if needed) and commit. */
  private static boolean openAndCommit(SessionGrid grid, String id, CountDownLatch go)
      throws InterruptedException {
    go.await();
    Optional<GridSession> s = grid.open(id);
    s.ifPresent(GridSession::commit);
    return s.isPresent();
  }

  private static String diagnose(List<SessionGrid> grids) {
    StringBuilder sb = new StringBuilder();
    for (SessionGrid g : grids) {
      sb.append(g.route()).append(": ").append(g.metrics().counters()).append('\n');
    }
    return sb.toString();
  }

  private static SessionGrid onlyOwner(List<SessionGrid> g, String id) {
    List<SessionGrid> owners = g.stream().filter(x -> x.isOwner(id)).toList();
    assertThat(owners).as("owners of " + id).hasSize(1);
    return owners.get(0);
  }

  @Test
  void twoNodesTakingOverTheSameSessionAtOnceEndWithExactlyOneOwnerAndNoAttributeLost()
      throws Exception {
    List<SessionGrid> g = grids.startAll(3, b -> b);
    for (int round = 0; round < 25; round++) {
      GridSession s = g.get(0).create();
      s.setAttribute("round", round);
      s.setAttribute("payload", "x".repeat(round * 10));
      s.commit();
      String id = s.id();
      CountDownLatch go = new CountDownLatch(1);
      Future<Boolean> a = pool.submit(() -> openAndCommit(g.get(1), id, go));
      Future<Boolean> b = pool.submit(() -> openAndCommit(g.get(2), id, go));
      go.countDown();
      // Both succeed, one after the other: the loser is told where the session went and asks there.
      assertThat(a.get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(b.get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(ownersOf(g)).isEqualTo(round + 1);
      GridSession check = onlyOwner(g, id).open(id).orElseThrow();
      assertThat(check.getAttribute("round")).isEqualTo(round);
      assertThat(check.getAttribute("payload")).isEqualTo("x".repeat(round * 10));
      check.commit();
    }
  }

  @Test
  void commitsRacingATakeoverAreEitherAcknowledgedAndKeptOrRefused() throws Exception {
    List<SessionGrid> g = grids.startAll(3, b -> b);
    for (int round = 0; round < 10; round++) {
      GridSession s = g.get(0).create();
      s.setAttribute("n", 0);
      s.commit();
      String id = s.id();
      AtomicInteger acknowledged = new AtomicInteger();
      AtomicBoolean moved = new AtomicBoolean();
      CountDownLatch started = new CountDownLatch(1);
      Future<?> writer =
          pool.submit(
              () -> {
                for (int i = 1; i <= 200 && !moved.get(); i++) {
                  if (!g.get(0).isOwner(id)) {
                    break;
                  }
                  Optional<GridSession> h = g.get(0).open(id);
                  if (h.isEmpty()) {
                    break;
                  }
                  try {
                    h.get().setAttribute("n", i);
                    if (h.get().commit() == CommitResult.REPLICATED) {
                      acknowledged.set(i);
                    }
                  } catch (SessionMovedException e) {
                    moved.set(true);
                  }
                  started.countDown();
                }
                return null;
              });
      started.await(10, TimeUnit.SECONDS);
      GridSession taken = g.get(1).open(id).orElseThrow();
      taken.commit();
      writer.get(60, TimeUnit.SECONDS);
      // Every acknowledged write is in the state node2 took over.
      GridSession latest = onlyOwner(g, id).open(id).orElseThrow();
      assertThat((Integer) latest.getAttribute("n")).isGreaterThanOrEqualTo(acknowledged.get());
      latest.commit();
    }
  }

  @Test
  void whenTheOwnerIsGoneTheFirstLiveBackupArbitratesAndGrantsOnce() throws Exception {
    List<SessionGrid> g = grids.startAll(4, b -> b.backups(2));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      GridSession s = g.get(0).create();
      s.setAttribute("i", i);
      s.commit();
      ids.add(s.id());
    }
    g.get(0).closeAbruptly();
    List<SessionGrid> alive = g.subList(1, 4);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> alive.stream().allMatch(x -> x.node().view().size() == 3));
    for (String id : ids) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> takers = new ArrayList<>();
      for (SessionGrid x : alive) {
        takers.add(pool.submit(() -> openAndCommit(x, id, go)));
      }
      go.countDown();
      for (Future<Boolean> t : takers) {
        assertThat(t.get(30, TimeUnit.SECONDS)).as(() -> diagnose(alive)).isTrue();
      }
    }
    assertThat(ownersOf(alive)).isEqualTo(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      GridSession s = onlyOwner(alive, ids.get(i)).open(ids.get(i)).orElseThrow();
      assertThat(s.getAttribute("i")).isEqualTo(i);
      s.commit();
    }
  }
}
