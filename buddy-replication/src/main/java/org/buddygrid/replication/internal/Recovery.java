package org.buddygrid.replication.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.Member;
import org.buddygrid.core.MembershipListener;
import org.buddygrid.core.Responses;
import org.buddygrid.core.ViewChange;
import org.buddygrid.core.metrics.Metrics;

/**
 * Restores redundancy after members leave (flow 4, PROTOCOL rule 7). Each node acts alone on its
 * own state: an owner drops departed backups and sends full copies to replacements; for a copy
 * whose owner departed, the first live backup promotes itself to a new epoch (a local grant, the
 * same step a takeover would take) and re-replicates. Work is paced at {@code recoveryRate}
 * sessions per second, most recently used first; the sessions still waiting count as at risk. The
 * work is found once per view change and queued; a tick takes its budget off the queues and
 * re-checks each item then, so a tick costs in proportion to its budget, not to how many sessions
 * and copies this node holds.
 */
final class Recovery implements MembershipListener {
  private static final System.Logger LOG = System.getLogger(Recovery.class.getName());
  private static final long TICK_MILLIS = 20;
  private static final long RETRY_MILLIS = 1_000;

  private final Engine engine;
  private final Settings settings;
  private final Metrics metrics;
  private final Set<String> ownedPending = ConcurrentHashMap.newKeySet();
  private final Set<String> orphanPending = ConcurrentHashMap.newKeySet();
  // Routes that left and have not come back: one that joins again without a merge restarted.
  private final Set<String> departed = ConcurrentHashMap.newKeySet();
  // The pending ids in the order of their last access when found, most recent first (a session
  // used meanwhile tops up its backups at its own commit). An id is queued when it enters its
  // pending set and leaves both when its turn comes.
  private final PriorityBlockingQueue<Queued> ownedQueue =
      new PriorityBlockingQueue<>(64, Queued.MOST_RECENT_FIRST);
  private final PriorityBlockingQueue<Queued> orphanQueue =
      new PriorityBlockingQueue<>(64, Queued.MOST_RECENT_FIRST);

  private record Queued(String id, long lastAccessedTime) {
    static final Comparator<Queued> MOST_RECENT_FIRST =
        Comparator.comparingLong(Queued::lastAccessedTime).reversed();
  }

  Recovery(Engine engine, Settings settings, Metrics metrics, ScheduledExecutorService scheduler) {
    this.engine = engine;
    this.settings = settings;
    this.metrics = metrics;
    metrics.gauge("recovery.pending", () -> ownedPending.size() + orphanPending.size());
    scheduler.scheduleWithFixedDelay(this::drain, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(
        this::retryAtRisk, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Owned sessions short of copies (a backup that did not answer and had no replacement, a member
   * busy settling a merge) or whose copies could not all be confirmed are sent again here, not only
   * at their next commit, so the at-risk gauge returns to zero on an idle grid. Short lists only
   * while enough members exist to give them more copies.
   */
  private void retryAtRisk() {
    try {
      int wanted = Math.min(settings.backups(), engine.others().size());
      if (wanted == 0) {
        return;
      }
      Set<String> atRisk = engine.committer().atRiskIds();
      for (String id : atRisk) {
        OwnedSession s = engine.owned(id);
        if (s == null || s.state != OwnedSession.State.ACTIVE) {
          engine.committer().forget(id); // a safety net: ended sessions are forgotten as they end
        }
      }
      for (OwnedSession s : engine.ownedSessions()) {
        if (s.state != OwnedSession.State.ACTIVE || ownedPending.contains(s.id)) {
          continue;
        }
        if (s.backups.size() < wanted) {
          engine.committer().markAtRisk(s);
          queue(s);
        } else if (atRisk.contains(s.id) && s.backups.size() >= settings.backups()) {
          engine.committer().reconfirm(s);
          queue(s);
        } else if (s.metaDirty && s.inFlight() == 0) {
          queue(s); // an idle session's backups have not heard its new backup list yet
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, engine.route() + ": retrying sessions at risk failed", e);
    }
  }

  /** Queues an owned session for re-replication, once. */
  private void queue(OwnedSession s) {
    if (ownedPending.add(s.id)) {
      ownedQueue.add(new Queued(s.id, s.lastAccessedTime));
    }
  }

  int pendingOrphans() {
    return orphanPending.size();
  }

  @Override
  public void viewChanged(ViewChange change) {
    if (!change.joined().isEmpty()) {
      restarted(change);
      topUp();
    }
    if (change.left().isEmpty()) {
      return;
    }
    Set<String> left = ConcurrentHashMap.newKeySet();
    for (Member m : change.left()) {
      left.add(m.route());
    }
    departed.addAll(left);
    change.joined().forEach(m -> departed.remove(m.route())); // left and back in one view
    int owned = 0;
    for (OwnedSession s : engine.ownedSessions()) {
      boolean lost = false;
      s.lock.lock();
      try {
        if (s.state == OwnedSession.State.ACTIVE && s.backups.stream().anyMatch(left::contains)) {
          List<String> remaining = new ArrayList<>(s.backups);
          remaining.removeAll(left);
          s.backups(remaining);
          s.needsFull.removeAll(left);
          lost = true;
        }
      } finally {
        s.lock.unlock();
      }
      if (lost) {
        engine.committer().markAtRisk(s);
        queue(s);
        owned++;
      }
    }
    List<BackupStore.Orphan> orphans = engine.backups().orphans(engine::isAlive);
    for (BackupStore.Orphan o : orphans) {
      if (orphanPending.add(o.id())) {
        orphanQueue.add(new Queued(o.id(), o.lastAccessedTime()));
      }
    }
    LOG.log(
        Level.INFO,
        "{0}: {1} left; {2} owned sessions lost a backup, {3} copies lost their owner",
        engine.route(),
        left,
        owned,
        orphans.size());
  }

  /**
   * A route that left (before, or in this very view: a new process replaced the old one) and now
   * joins again without a merge is a new process: it holds nothing of the sessions its predecessor
   * owned, so this node's copies of them are orphans although the route is alive, and are queued
   * for promotion. A route coming back in a merge view is the same process (it was cut off, not
   * restarted) and still owns its sessions.
   */
  private void restarted(ViewChange change) {
    Set<String> leftNow = new java.util.HashSet<>();
    change.left().forEach(m -> leftNow.add(m.route()));
    for (Member m : change.joined()) {
      boolean again = departed.remove(m.route()) || leftNow.contains(m.route());
      if (!again || change.merge()) {
        continue;
      }
      if (engine.backups().ownerRestarted(m.route()) > 0) {
        for (BackupStore.Orphan o : engine.backups().orphans(engine::isAlive)) {
          if (orphanPending.add(o.id())) {
            orphanQueue.add(new Queued(o.id(), o.lastAccessedTime()));
          }
        }
      }
    }
  }

  /**
   * Members joined (or a partition healed): owned sessions short of copies, for instance created
   * while this node was alone, get their backups now instead of at their next commit.
   */
  private void topUp() {
    int queued = 0;
    for (OwnedSession s : engine.ownedSessions()) {
      if (s.state == OwnedSession.State.ACTIVE && s.backups.size() < settings.backups()) {
        engine.committer().markAtRisk(s);
        queue(s);
        queued++;
      }
    }
    if (queued > 0) {
      LOG.log(
          Level.INFO,
          "{0}: members joined; {1} owned sessions short of copies get them now",
          engine.route(),
          queued);
    }
  }

  /** One tick's worth of work: most recently used first. */
  private void drain() {
    try {
      int budget = (int) Math.max(1, settings.recoveryRate() * TICK_MILLIS / 1000);
      // A minority side does not promote by itself, nor a side that has not confirmed its view
      // yet (Quorum): the orphans wait in their queue for a request to take them over, or for
      // this side to be a confirmed primary.
      if (!orphanQueue.isEmpty() && engine.quorum().confirmed()) {
        budget -= promote(budget);
      }
      if (budget > 0 && !ownedQueue.isEmpty()) {
        rereplicate(budget);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, engine.route() + ": recovery tick failed", e);
    }
  }

  private int promote(int budget) {
    int done = 0;
    while (done < budget) {
      Queued q = orphanQueue.poll();
      if (q == null) {
        break;
      }
      orphanPending.remove(q.id());
      // Copies that stopped being orphans (promoted elsewhere, taken over, dropped) are done.
      Long epoch = engine.backups().orphanEpoch(q.id(), engine::isAlive).orElse(null);
      if (epoch == null) {
        continue;
      }
      if (leftBehind(q.id())) {
        done++;
        continue;
      }
      // Rule 3: only the first live backup may grant; the store checks that atomically.
      if (engine.takeover().promote(q.id(), epoch)) {
        metrics.increment("recovery.promoted");
      }
      done++;
    }
    return done;
  }

  /**
   * Whether this copy proves stale before it is promoted. A copy not heard of since the last merge
   * this node saw may have been left behind by the partition: its owner chose other backups and
   * went on writing to them, and the merge digest that would have settled it can be lost (the other
   * side may have gone again before it arrived). So the members are asked who holds the session; if
   * one owns it or holds a newer copy, this copy is not promoted, and it is dropped if it is older.
   * The same holds for a copy orphaned because its owner's route restarted: the owner may have
   * handed the session over before it stopped, or moved it long ago without telling this copy.
   * Other copies (refreshed since the last merge, or no merge seen) are promoted at once.
   */
  private boolean leftBehind(String id) {
    long heard = engine.backups().lastHeard(id).orElse(Long.MAX_VALUE);
    if (heard >= engine.merge().lastMergeMillis() && !engine.backups().orphanedByRestart(id)) {
      return false;
    }
    Messages.Holding mine = engine.backups().holding(id).orElse(null);
    if (mine == null) {
      return true;
    }
    Responses<Messages.WhoHasReply> replies;
    try {
      replies =
          engine
              .messenger()
              .gather(engine.others(), new Messages.WhoHas(id), settings.lookupTimeout())
              .toCompletableFuture()
              .get(settings.lookupTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return false; // nobody answered: promote what we have, as without a merge
    }
    boolean owned = false;
    boolean newer = false;
    for (Messages.WhoHasReply r : replies.replies().values()) {
      if (r instanceof Messages.Holding h) {
        owned |= h.owner();
        newer |=
            h.epoch() > mine.epoch() || (h.epoch() == mine.epoch() && h.version() > mine.version());
      }
    }
    if (!owned && !newer) {
      return false;
    }
    if (newer && engine.backups().dropIfAt(id, mine.epoch(), mine.version())) {
      metrics.increment("recovery.stale-dropped");
    }
    metrics.increment("recovery.stale-skipped");
    LOG.log(
        Level.INFO,
        "{0}: not promoting {1} (epoch {2}, version {3}): a member owns it or holds a newer copy",
        engine.route(),
        id,
        mine.epoch(),
        mine.version());
    return true;
  }

  private void rereplicate(int budget) {
    int done = 0;
    while (done < budget) {
      Queued q = ownedQueue.poll();
      if (q == null) {
        break;
      }
      ownedPending.remove(q.id());
      OwnedSession s = engine.owned(q.id());
      if (s == null || s.state != OwnedSession.State.ACTIVE) {
        continue;
      }
      engine.committer().shipAsync(s); // tops up the backups and sends them full copies
      metrics.increment("recovery.rereplicated");
      done++;
    }
  }
}
