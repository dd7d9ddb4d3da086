package org.buddygrid.replication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.buddygrid.core.id.SessionIdGenerator;
import org.buddygrid.replication.internal.Messages.Applied;
import org.buddygrid.replication.internal.Messages.Granted;
import org.buddygrid.replication.internal.Messages.Meta;
import org.buddygrid.replication.internal.Messages.Moved;
import org.buddygrid.replication.internal.Messages.NeedFull;
import org.buddygrid.replication.internal.Messages.NotFound;
import org.buddygrid.replication.internal.Messages.Replicate;
import org.buddygrid.replication.internal.Messages.Stale;
import org.junit.jupiter.api.Test;

class BackupStoreTest {
  private final AtomicLong millis = new AtomicLong(1_000_000);
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(millis.get());
        }
      };
  private final Set<String> removed = ConcurrentHashMap.newKeySet();
  private final BackupStore store =
      new BackupStore(
          "node2",
          clock,
          1 << 20,
          Duration.ofMinutes(1),
          (id, cause) -> removed.add(id + ":" + cause));
  private final String id = new SessionIdGenerator().newBase();
  private final Meta meta = new Meta(0, 0, 60);

  private Replicate full(long e, long v, Map<String, byte[]> attrs) {
    return new Replicate(
        id, e, v, 0, true, "node1", List.of("node2", "node3"), meta, attrs, List.of());
  }

  private Replicate delta(long e, long base, Map<String, byte[]> changed, List<String> gone) {
    return new Replicate(
        id, e, base + 1, base, false, "node1", List.of("node2", "node3"), null, changed, gone);
  }

  @Test
  void deltasApplyOnlyOnTheVersionTheyContinue() {
    assertThat(store.apply(delta(1, 0, Map.of("a", new byte[] {1}), List.of())))
        .isEqualTo(new NeedFull(-1, -1));
    assertThat(store.apply(full(1, 1, Map.of("a", new byte[] {1})))).isEqualTo(new Applied(1));
    assertThat(store.apply(delta(1, 1, Map.of("b", new byte[] {2}), List.of("a"))))
        .isEqualTo(new Applied(2));
    // A gap: version 4 on top of 2.
    assertThat(store.apply(delta(1, 3, Map.of("c", new byte[] {3}), List.of())))
        .isEqualTo(new NeedFull(1, 2));
    // A duplicate of an applied delta is acknowledged, not applied twice.
    assertThat(store.apply(delta(1, 1, Map.of("b", new byte[] {9}), List.of())))
        .isEqualTo(new Applied(2));
    assertThat(store.holding(id).orElseThrow().version()).isEqualTo(2);
    BackupCopy copy = store.remove(id).orElseThrow();
    assertThat(copy.attributes).containsOnlyKeys("b");
    assertThat(copy.attributes.get("b")).containsExactly(2);
  }

  @Test
  void aFullCopyReplacesOnlyAnOlderState() {
    store.apply(full(2, 5, Map.of("a", new byte[] {5})));
    assertThat(store.apply(full(2, 3, Map.of("a", new byte[] {3})))).isEqualTo(new Applied(5));
    assertThat(store.apply(full(3, 1, Map.of("z", new byte[] {1})))).isEqualTo(new Applied(1));
    assertThat(store.remove(id).orElseThrow().attributes).containsOnlyKeys("z");
  }

  @Test
  void anOlderEpochIsToldItIsStale() {
    store.apply(full(4, 1, Map.of()));
    assertThat(store.apply(delta(3, 7, Map.of(), List.of()))).isEqualTo(new Stale(4, "node1"));
    assertThat(store.apply(full(3, 99, Map.of()))).isEqualTo(new Stale(4, "node1"));
  }

  @Test
  void aTakeoverIsGrantedOnceByTheFirstLiveBackupAndOnlyWhenTheOwnerIsGone() {
    store.apply(full(1, 3, Map.of("a", new byte[] {1})));
    // Owner alive: not our call.
    assertThat(store.grant(id, 1, "node4", r -> true)).isEqualTo(new Moved(1, "node1"));
    // Owner gone, we (node2) are the first live backup: grant epoch 2.
    var first = store.grant(id, 1, "node4", r -> !r.equals("node1"));
    assertThat(first).isInstanceOf(Granted.class);
    Granted g = (Granted) first;
    assertThat(g.epoch()).isEqualTo(2);
    assertThat(g.version()).isEqualTo(3);
    assertThat(g.backups()).containsExactly("node2", "node3");
    assertThat(g.attributes()).containsOnlyKeys("a");
    // A second taker with the same expectation is sent to the first.
    assertThat(store.grant(id, 1, "node3", r -> !r.equals("node1")))
        .isEqualTo(new Moved(2, "node4"));
    // The old owner, back from a pause, is fenced.
    assertThat(store.apply(delta(1, 3, Map.of("a", new byte[] {7}), List.of())))
        .isEqualTo(new Stale(2, "node4"));
    assertThat(store.grant(new SessionIdGenerator().newBase(), 0, "node4", r -> true))
        .isEqualTo(NotFound.INSTANCE);
  }

  @Test
  void aBackupThatIsNotFirstSendsTheTakerToTheArbiter() {
    store.apply(
        new Replicate(
            id, 1, 1, 0, true, "node1", List.of("node3", "node2"), meta, Map.of(), List.of()));
    assertThat(store.grant(id, 1, "node4", r -> !r.equals("node1")))
        .isEqualTo(new Moved(1, "node3"));
    // node3 gone too: now node2 is the first live backup.
    assertThat(store.grant(id, 1, "node4", r -> r.equals("node2") || r.equals("node4")))
        .isInstanceOf(Granted.class);
  }

  @Test
  void aCopyWhoseOwnerRestartedUnderTheSameRouteIsAnOrphanUntilAnOwnerReplicatesAgain() {
    store.apply(full(1, 3, Map.of("a", new byte[] {1})));
    assertThat(store.orphanEpoch(id, r -> true)).isEmpty();
    assertThat(store.grant(id, 1, "node4", r -> true)).isEqualTo(new Moved(1, "node1"));
    // node1 crashed and a new process joined as node1: it holds nothing of this session.
    assertThat(store.ownerRestarted("node1")).isEqualTo(1);
    assertThat(store.ownerRestarted("node7")).isZero();
    assertThat(store.orphanEpoch(id, r -> true)).contains(1L);
    assertThat(store.orphans(r -> true)).hasSize(1);
    Granted g = (Granted) store.grant(id, 1, "node2", r -> true);
    assertThat(g.epoch()).isEqualTo(2);
    // The copy now names the taker, a live process: no orphan any more.
    assertThat(store.orphanEpoch(id, r -> true)).isEmpty();
    // Marked again, a replicate from an owner clears it too.
    store.ownerRestarted("node2");
    assertThat(store.orphanEpoch(id, r -> true)).contains(2L);
    store.apply(
        new Replicate(id, 2, 4, 0, true, "node2", List.of("node2"), meta, Map.of(), List.of()));
    assertThat(store.orphanEpoch(id, r -> true)).isEmpty();
  }

  @Test
  void aMergeDigestSettlesCopiesThePartitionLeftBehindButNotOnesTheOwnerChoseAgain() {
    String other = new SessionIdGenerator().newBase();
    String same = new SessionIdGenerator().newBase();
    store.apply(full(1, 3, Map.of("a", new byte[] {1})));
    store.apply(
        new Replicate(other, 1, 5, 0, true, "node1", List.of("node2"), meta, Map.of(), List.of()));
    store.apply(
        new Replicate(same, 1, 5, 0, true, "node1", List.of("node2"), meta, Map.of(), List.of()));
    // The owner moved on without this node: older version, or older epoch, goes.
    assertThat(store.settleLeftBehind(id, "node1", 1, 4, List.of("node3"))).isTrue();
    assertThat(store.holding(id)).isEmpty();
    assertThat(store.settleLeftBehind(other, "node4", 2, 0, List.of("node3"))).isTrue();
    assertThat(store.holding(other)).isEmpty();
    // Nothing written since the split: kept, with the owner's list, so node2 no longer arbitrates.
    assertThat(store.settleLeftBehind(same, "node1", 1, 5, List.of("node3"))).isTrue();
    assertThat(store.holding(same).orElseThrow().backups()).containsExactly("node3");
    assertThat(store.grant(same, 1, "node4", r -> !r.equals("node1")))
        .isEqualTo(new Moved(1, "node3"));
    // A copy newer than the digest (the owner chose this node again since) is left alone.
    store.apply(full(1, 9, Map.of("a", new byte[] {9})));
    assertThat(store.settleLeftBehind(id, "node1", 1, 8, List.of("node3"))).isFalse();
    assertThat(store.holding(id).orElseThrow().version()).isEqualTo(9);
  }

  @Test
  void copiesExpireAfterMaxInactivePlusGraceWithoutTouchesAndTouchesKeepThemAlive() {
    store.apply(full(1, 1, Map.of()));
    millis.addAndGet(Duration.ofSeconds(60 + 50).toMillis());
    store.touch(id, 1, millis.get());
    millis.addAndGet(Duration.ofSeconds(60 + 50).toMillis());
    store.cleanUp();
    assertThat(store.holding(id)).isPresent();
    millis.addAndGet(Duration.ofSeconds(60 + 61).toMillis());
    store.cleanUp();
    assertThat(store.holding(id)).isEmpty();
    // Caffeine tells removal listeners asynchronously.
    org.awaitility.Awaitility.await()
        .untilAsserted(() -> assertThat(removed).contains(id + ":EXPIRED"));
    assertThat(store.weight()).isZero();
  }

  private static final int BOUND = 10_000;

  private Replicate fullOf(String session, int bytes) {
    return new Replicate(
        session,
        1,
        1,
        0,
        true,
        "node1",
        List.of("node2"),
        meta,
        Map.of("v", new byte[bytes]),
        List.of());
  }

  private static Replicate grow(String session, long base, int bytes) {
    return new Replicate(
        session,
        1,
        base + 1,
        base,
        false,
        "node1",
        List.of("node2"),
        null,
        Map.of("v", new byte[bytes]),
        List.of());
  }

  @Test
  void atTheBoundNewCopiesAreRefusedButHeldCopiesKeepBeingUpdatedUpToTheHardLimit() {
    BackupStore bounded =
        new BackupStore("node2", clock, BOUND, Duration.ofMinutes(1), (i, c) -> {});
    SessionIdGenerator ids = new SessionIdGenerator();
    String a = ids.newBase();
    String b = ids.newBase();
    String c = ids.newBase();
    assertThat(bounded.apply(fullOf(a, 4_000))).isEqualTo(new Applied(1));
    assertThat(bounded.apply(fullOf(b, 4_000))).isEqualTo(new Applied(1));
    long two = bounded.weight();
    assertThat(two).isEqualTo(2 * (340 + 64 + 1 + 4_000));
    // A third does not fit: refused with what is held and the bound, nothing kept.
    assertThat(bounded.apply(fullOf(c, 4_000))).isEqualTo(new Messages.NoRoom(two, BOUND));
    assertThat(bounded.holding(c)).isEmpty();
    assertThat(bounded.weight()).isEqualTo(two);
    // A held copy still takes its deltas, past the bound (a refused delta would leave it stale)...
    assertThat(bounded.apply(grow(a, 1, 5_500))).isEqualTo(new Applied(2));
    assertThat(bounded.weight()).isGreaterThan(BOUND).isLessThanOrEqualTo(BOUND * 5 / 4);
    // ... up to the hard limit: beyond it the copy is dropped and its owner told, never silently.
    assertThat(bounded.apply(grow(b, 1, 7_000))).isInstanceOf(Messages.NoRoom.class);
    assertThat(bounded.holding(b)).isEmpty();
    assertThat(bounded.holding(a).orElseThrow().version()).isEqualTo(2);
    // Every way out gives the weight back: room for c now.
    assertThat(bounded.apply(fullOf(c, 3_000))).isEqualTo(new Applied(1));
    bounded.invalidate(a, 2, "node1");
    bounded.rename(c, b, 1, 1);
    assertThat(bounded.weight()).isEqualTo(340 + 64 + 1 + 3_000);
    bounded.remove(b);
    assertThat(bounded.weight()).isZero();
    assertThat(bounded.count()).isZero();
  }

  private Replicate from(String owner, long e, long v, long base, boolean full, String attr) {
    return new Replicate(
        id,
        e,
        v,
        base,
        full,
        owner,
        List.of("node2"),
        full ? meta : null,
        Map.of(attr, new byte[] {1}),
        List.of());
  }

  @Test
  void afterASplitBrainTheOtherOwnerOfTheSameEpochIsToldToLookElsewhereNeverStale() {
    assertThat(store.apply(from("node1", 1, 9, 0, true, "first"))).isEqualTo(new Applied(9));
    // node3 also promoted to epoch 1: neither a full copy nor a delta of its history replaces
    // node1's copy (node1 would believe itself protected here), and neither is told it is stale.
    assertThat(store.apply(from("node3", 1, 4, 0, true, "other"))).isEqualTo(new NeedFull(1, 9));
    assertThat(store.apply(from("node3", 1, 10, 9, false, "other"))).isEqualTo(new NeedFull(1, 9));
    assertThat(store.remove(id).orElseThrow().attributes).containsOnlyKeys("first");
  }

  @Test
  void invalidateDropsOlderEpochsAndTheSendersOwnCopyButNotAnotherOwnersOfTheSameEpoch() {
    store.apply(from("node3", 1, 4, 0, true, "winner"));
    assertThat(store.invalidate(id, 1, "node1")).isFalse();
    assertThat(store.invalidate(id, 0, "node3")).isFalse();
    assertThat(store.holding(id)).isPresent();
    assertThat(store.invalidate(id, 1, "node3")).isTrue();
    store.apply(from("node3", 1, 4, 0, true, "winner"));
    assertThat(store.invalidate(id, 2, "node1")).isTrue();
    assertThat(store.holding(id)).isEmpty();
  }
}
