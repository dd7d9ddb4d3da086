package org.buddygrid.replication.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.buddygrid.core.Member;
import org.buddygrid.core.MembershipListener;
import org.buddygrid.core.Messenger;
import org.buddygrid.core.ViewChange;
import org.buddygrid.core.metrics.Metrics;
import org.buddygrid.replication.internal.Messages.Applied;
import org.buddygrid.replication.internal.Messages.Digest;
import org.buddygrid.replication.internal.Messages.DigestEntry;
import org.buddygrid.replication.internal.Messages.ReplicateReply;

/**
 * Heals a partition (PROTOCOL rule 9). Both sides kept serving, so a session can be owned on each.
 * On a merge view every node sends the members that were on the other side a digest of what it
 * owns; for an id owned on both sides the higher {@code (epoch, version)} wins, then the later last
 * access, then the lower route (see {@link #wins}). The loser drops its copy, logs and counts the
 * conflict; backups are rebuilt by recovery (rule 7).
 *
 * <p>Each node compares the others' digests with the <em>same snapshot</em> it sent, taken once per
 * merge view, so both sides of a conflict judge the same pair of values and exactly one of them
 * loses, whatever was written after the snapshot. A digest that arrives before this node has seen
 * the merge view takes the snapshot then.
 */
final class PartitionMerge implements MembershipListener {
  private static final System.Logger LOG = System.getLogger(PartitionMerge.class.getName());
  private static final int CHUNK = 2_000;
  private static final int ATTEMPTS = 3;

  private final Engine engine;
  private final Metrics metrics;
  private final Cache<Long, Map<String, DigestEntry>> snapshots =
      Caffeine.newBuilder().maximumSize(4).expireAfterWrite(Duration.ofMinutes(5)).build();

  private volatile long lastMergeMillis = Long.MIN_VALUE;

  /**
   * When this node last saw a merge view (its clock, ms; {@code Long.MIN_VALUE} if never). A copy
   * not heard of since may have been left behind by the partition.
   */
  long lastMergeMillis() {
    return lastMergeMillis;
  }

  PartitionMerge(Engine engine, Metrics metrics) {
    this.engine = engine;
    this.metrics = metrics;
  }

  /**
   * Whether {@code a}, owned by {@code aRoute}, beats {@code b}, owned by {@code bRoute}: higher
   * {@code (epoch, version)}, then later last access, then the lower route name.
   *
   * <p>Epochs first, as every other rule: a higher epoch always fences a lower one. That is safe
   * because only a primary side promotes copies by itself ({@link Quorum}): a minority side creates
   * a newer epoch only for a session a request asked for there, which is a real conflict.
   */
  static boolean wins(DigestEntry a, String aRoute, DigestEntry b, String bRoute) {
    if (a.epoch() != b.epoch()) {
      return a.epoch() > b.epoch();
    }
    if (a.version() != b.version()) {
      return a.version() > b.version();
    }
    if (a.lastAccessedTime() != b.lastAccessedTime()) {
      return a.lastAccessedTime() > b.lastAccessedTime();
    }
    return aRoute.compareTo(bRoute) < 0;
  }

  @Override
  public void viewChanged(ViewChange change) {
    if (!change.merge() || change.joined().isEmpty()) {
      return;
    }
    lastMergeMillis = engine.settings().clock().millis();
    long viewId = change.mergeId(); // the same on both sides: one snapshot per merge
    List<DigestEntry> mine = new ArrayList<>(snapshot(viewId).values());
    metrics.increment("merge.views");
    LOG.log(
        Level.INFO,
        "{0}: partition healed, {1} rejoined; sending a digest of {2} owned sessions",
        engine.route(),
        change.joined(),
        mine.size());
    for (Member m : change.joined()) {
      for (int from = 0; from < mine.size() || from == 0; from += CHUNK) {
        Digest chunk =
            new Digest(
                viewId, List.copyOf(mine.subList(from, Math.min(mine.size(), from + CHUNK))));
        send(m, chunk, 1);
      }
    }
  }

  /** What this node owned when it saw merge view {@code viewId}: taken once, then reused. */
  private Map<String, DigestEntry> snapshot(long viewId) {
    return snapshots.get(
        viewId,
        k -> {
          Map<String, DigestEntry> out = new HashMap<>();
          for (OwnedSession s : engine.ownedSessions()) {
            if (s.state == OwnedSession.State.ACTIVE) {
              out.put(
                  s.id, new DigestEntry(s.id, s.epoch, s.version, s.lastAccessedTime, s.backups));
            }
          }
          return out;
        });
  }

  private void send(Member to, Digest digest, int attempt) {
    engine
        .messenger()
        .request(to, digest, engine.settings().replicationTimeout())
        .whenComplete(
            (reply, failure) -> {
              if (failure == null) {
                return;
              }
              // The other side may still be introducing itself: retry, a few times.
              if (attempt < ATTEMPTS && engine.isAlive(to.route())) {
                send(to, digest, attempt + 1);
              } else {
                metrics.increment("merge.digests-lost");
                LOG.log(
                    Level.WARNING,
                    "{0}: digest to {1} failed ({2}); a conflict it would have settled is settled"
                        + " when a takeover finds the newer owner",
                    engine.route(),
                    to,
                    Messenger.unwrap(failure).getMessage());
              }
            });
  }

  /** Settles each conflict between the sender's digest and this node's snapshot. */
  CompletionStage<ReplicateReply> onDigest(Digest digest, Member from) {
    Map<String, DigestEntry> mine = snapshot(digest.viewId());
    int lost = 0;
    int settled = 0;
    for (DigestEntry theirs : digest.entries()) {
      DigestEntry ours = mine.get(theirs.id());
      if (ours == null) {
        engine.directory().learn(theirs.id(), from.route(), theirs.backups(), theirs.epoch());
        if (!theirs.backups().contains(engine.route())
            && engine
                .backups()
                .settleLeftBehind(
                    theirs.id(),
                    from.route(),
                    theirs.epoch(),
                    theirs.version(),
                    theirs.backups())) {
          settled++;
        }
        continue;
      }
      OwnedSession s = engine.owned(theirs.id());
      if (s == null) {
        continue; // handed over or ended since the snapshot: its new owner settles it
      }
      if (wins(theirs, from.route(), ours, engine.route())) {
        if (engine.loseConflict(s, ours.epoch(), from.route(), theirs)) {
          lost++;
        }
      }
      // A win here is not announced: this copy may still lose to a third side's digest.
    }
    if (settled > 0) {
      metrics.counter("merge.copies-settled").add(settled);
    }
    if (lost > 0) {
      LOG.log(
          Level.INFO,
          "{0}: {1} sessions were owned on both sides of the partition and {2} held the winning"
              + " copies; dropped ours",
          engine.route(),
          lost,
          from);
    }
    return CompletableFuture.completedFuture(new Applied(digest.entries().size()));
  }
}
