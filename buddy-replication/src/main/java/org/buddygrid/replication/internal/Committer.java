package org.buddygrid.replication.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.buddygrid.core.GridException;
import org.buddygrid.core.Member;
import org.buddygrid.core.metrics.Metrics;
import org.buddygrid.replication.CommitResult;
import org.buddygrid.replication.Granularity;
import org.buddygrid.replication.SessionMovedException;
import org.buddygrid.replication.Timing;
import org.buddygrid.replication.internal.Messages.Applied;
import org.buddygrid.replication.internal.Messages.Meta;
import org.buddygrid.replication.internal.Messages.NeedFull;
import org.buddygrid.replication.internal.Messages.NoRoom;
import org.buddygrid.replication.internal.Messages.Replicate;
import org.buddygrid.replication.internal.Messages.Stale;

/**
 * The owner's side of replication: turns a session's changes into deltas (or full copies), sends
 * one per backup in version order, and, for {@link Timing#SYNC}, waits until every live backup
 * applied it. A backup that needs a full copy gets one; one that does not answer, or has no room
 * for the copy ({@code NoRoom}), is replaced within the same commit's budget (PROTOCOL rule 6);
 * {@code Stale} ends this node's ownership (rule 2).
 */
final class Committer {
  private static final System.Logger LOG = System.getLogger(Committer.class.getName());

  private enum Outcome {
    APPLIED,
    STALE,
    FAILED,
    /** The backup's store is full: it holds no copy and took none. */
    NO_ROOM
  }

  private record Sent(String backup, boolean full, CompletableFuture<Outcome> outcome) {}

  private final Engine engine;
  private final Settings settings;
  private final Metrics metrics;
  private final Set<OwnedSession> intervalDirty = ConcurrentHashMap.newKeySet();
  private final Set<String> atRisk = ConcurrentHashMap.newKeySet();

  Committer(Engine engine, Settings settings, Metrics metrics) {
    this.engine = engine;
    this.settings = settings;
    this.metrics = metrics;
    metrics.gauge("sessions.at-risk", atRisk::size);
  }

  int atRiskCount() {
    return atRisk.size();
  }

  /** The ids of owned sessions short of protected copies, as of now. */
  Set<String> atRiskIds() {
    return Set.copyOf(atRisk);
  }

  /** Commits as the grid's timing says. */
  CommitResult commit(OwnedSession s) {
    return switch (settings.timing()) {
      case SYNC -> ship(s, true);
      case ASYNC -> ship(s, false);
      case INTERVAL -> {
        if (s.state == OwnedSession.State.MOVED) {
          throw new SessionMovedException(s.id, s.movedTo);
        }
        intervalDirty.add(s);
        yield CommitResult.QUEUED;
      }
    };
  }

  /** Ships every session committed since the last flush ({@link Timing#INTERVAL}). */
  void flushInterval() {
    for (OwnedSession s : List.copyOf(intervalDirty)) {
      intervalDirty.remove(s);
      try {
        ship(s, false);
      } catch (GridException e) {
        LOG.log(
            Level.DEBUG, "{0}: interval flush of {1}: {2}", engine.route(), s.id, e.getMessage());
      }
    }
  }

  /** Sends owed full copies without waiting (after a takeover or a change of backups). */
  void shipAsync(OwnedSession s) {
    try {
      ship(s, false);
    } catch (GridException e) {
      LOG.log(Level.DEBUG, "{0}: shipping {1}: {2}", engine.route(), s.id, e.getMessage());
    }
  }

  CommitResult ship(OwnedSession s, boolean wait) {
    long start = System.nanoTime();
    List<Sent> sends = new ArrayList<>();
    s.lock.lock();
    try {
      if (s.state == OwnedSession.State.MOVED) {
        throw new SessionMovedException(s.id, s.movedTo);
      }
      if (s.handingOffTo != null) {
        // Not acknowledged: the state handed over may not include this commit.
        throw new SessionMovedException(s.id, s.handingOffTo);
      }
      if (s.state == OwnedSession.State.INVALID) {
        return CommitResult.NO_CHANGE;
      }
      // Fewer backups than configured (created while alone, or a replacement failed): top up
      // from the members there are now; the newcomers get full copies.
      boolean toppedUp = false;
      if (s.backups.size() < settings.backups()) {
        List<String> more =
            engine.pickBackups(s.id, s.backups, settings.backups() - s.backups.size(), null);
        if (!more.isEmpty()) {
          List<String> all = new ArrayList<>(s.backups);
          all.addAll(more);
          s.backups(all);
          s.needsFull.addAll(more);
          toppedUp = true;
        }
      }
      if (toppedUp) {
        engine.announce(s);
      }
      OwnedSession.Delta delta = engine.collect(s);
      boolean changed = !delta.isEmpty();
      if (!changed && s.needsFull.isEmpty()) {
        return CommitResult.NO_CHANGE;
      }
      if (changed) {
        s.version++;
      }
      Meta meta = delta.meta() ? s.meta() : null;
      Map<String, byte[]> full = null;
      for (String b : s.backups) {
        boolean needsFull =
            s.needsFull.remove(b) || (changed && settings.granularity() == Granularity.SESSION);
        Replicate r;
        if (needsFull) {
          if (full == null) {
            full = s.shippedBytes();
          }
          r =
              new Replicate(
                  s.id,
                  s.epoch,
                  s.version,
                  0,
                  true,
                  engine.route(),
                  s.backups,
                  s.meta(),
                  full,
                  List.of());
        } else if (changed) {
          r =
              new Replicate(
                  s.id,
                  s.epoch,
                  s.version,
                  s.version - 1,
                  false,
                  engine.route(),
                  s.backups,
                  meta,
                  delta.changed(),
                  delta.removed());
        } else {
          continue;
        }
        sends.add(new Sent(b, r.full(), send(s, b, r)));
      }
      metrics.increment(changed ? "commits.changed" : "commits.full-copies");
    } finally {
      s.lock.unlock();
    }
    if (!wait) {
      for (Sent sent : sends) {
        sent.outcome().thenAccept(o -> afterAsync(s, sent.backup(), o));
      }
      // Short of backups, or a backup is only now getting its copy: at risk until it is applied.
      boolean risky = s.backups.size() < settings.backups() || sends.stream().anyMatch(Sent::full);
      trackRisk(s, risky);
      if (risky && !sends.isEmpty()) {
        CompletableFuture<?>[] all =
            sends.stream().map(Sent::outcome).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(all)
            .thenRun(
                () -> {
                  boolean applied =
                      sends.stream().allMatch(x -> x.outcome().join() == Outcome.APPLIED);
                  if (applied
                      && s.backups.size() >= settings.backups()
                      && s.state == OwnedSession.State.ACTIVE) {
                    trackRisk(s, false);
                  }
                });
      }
      return sends.isEmpty() && s.backups.size() < settings.backups()
          ? CommitResult.AT_RISK
          : CommitResult.SENT;
    }
    int[] answered = {0};
    boolean allApplied = awaitAll(s, sends, start, answered);
    metrics.timer("commit.latency").recordNanos(System.nanoTime() - start);
    boolean short_ = !allApplied || s.backups.size() < settings.backups();
    trackRisk(s, short_);
    if (short_) {
      metrics.increment("commits.at-risk");
      if (!sends.isEmpty() && answered[0] == 0 && !engine.others().isEmpty()) {
        // Nobody answered, yet the view says others are there: a silent grid or a zombie.
        metrics.increment("commits.unconfirmed");
        return CommitResult.UNCONFIRMED;
      }
      return CommitResult.AT_RISK;
    }
    return CommitResult.REPLICATED;
  }

  private void trackRisk(OwnedSession s, boolean risky) {
    if (risky) {
      markAtRisk(s);
    } else {
      atRisk.remove(s.id);
    }
  }

  void forget(String id) {
    atRisk.remove(id);
  }

  /**
   * Makes the next send give every backup of {@code s} a full copy: for a session whose copies
   * could not all be confirmed, so that each backup either confirms it holds this version or is
   * replaced.
   */
  void reconfirm(OwnedSession s) {
    s.lock.lock();
    try {
      s.needsFull.addAll(s.backups);
    } finally {
      s.lock.unlock();
    }
  }

  /** Counts a session at risk until a later send restores its copies. */
  void markAtRisk(OwnedSession s) {
    // Sends complete after a session stopped being served here: a session that is gone is not at
    // risk here. Checked after adding, as ending a session sets its state before forgetting it.
    if (s.state == OwnedSession.State.ACTIVE) {
      atRisk.add(s.id);
      if (s.state != OwnedSession.State.ACTIVE) {
        atRisk.remove(s.id);
      }
    }
  }

  /**
   * Whether every send (or its replacement) was applied; {@code answered[0]}: how many backups
   * answered at all (applied, or refused for want of room).
   */
  private boolean awaitAll(OwnedSession s, List<Sent> sends, long start, int[] answered) {
    long deadline = start + settings.replicationTimeout().toNanos();
    boolean all = true;
    List<String> failed = new ArrayList<>();
    for (Sent sent : sends) {
      Outcome o = await(sent.outcome(), deadline);
      if (o == Outcome.STALE) {
        throw new SessionMovedException(s.id, s.movedTo);
      }
      if (o == Outcome.APPLIED || o == Outcome.NO_ROOM) {
        answered[0]++;
      }
      if (o != Outcome.APPLIED) {
        failed.add(sent.backup());
      }
    }
    for (String b : failed) {
      // PROTOCOL rule 6: replace the silent backup and give the replacement a full copy, within
      // what is left of this commit's budget.
      CompletableFuture<Outcome> replacement = replace(s, b);
      Outcome o = await(replacement, deadline);
      if (o == Outcome.STALE) {
        throw new SessionMovedException(s.id, s.movedTo);
      }
      all &= o == Outcome.APPLIED;
      if (o == Outcome.APPLIED || o == Outcome.NO_ROOM) {
        answered[0]++;
      }
    }
    return all;
  }

  private static Outcome await(CompletableFuture<Outcome> f, long deadlineNanos) {
    try {
      return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return Outcome.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.FAILED;
    }
  }

  private void afterAsync(OwnedSession s, String backup, Outcome o) {
    if ((o == Outcome.FAILED || o == Outcome.NO_ROOM) && s.state == OwnedSession.State.ACTIVE) {
      // Several sends of one session can fail and be replaced at once: judge the list as it is.
      replace(s, backup)
          .thenAccept(
              r -> trackRisk(s, r != Outcome.APPLIED || s.backups.size() < settings.backups()));
    }
  }

  /** Sends one message to one backup; a NeedFull is answered with a full copy. */
  private CompletableFuture<Outcome> send(OwnedSession s, String backup, Replicate r) {
    Member to = engine.member(backup);
    if (to == null) {
      return CompletableFuture.completedFuture(Outcome.FAILED);
    }
    metrics.increment(r.full() ? "replicate.full" : "replicate.delta");
    return engine
        .lanes()
        .request(to, r)
        .handle(
            (reply, failure) -> {
              if (failure != null) {
                metrics.increment("replicate.failed");
                return CompletableFuture.completedFuture(Outcome.FAILED);
              }
              if (reply instanceof Applied) {
                return CompletableFuture.completedFuture(Outcome.APPLIED);
              }
              if (reply instanceof Stale stale) {
                engine.lostOwnership(s, stale.owner(), stale.epoch());
                return CompletableFuture.completedFuture(Outcome.STALE);
              }
              if (reply instanceof NoRoom refusal) {
                engine.backupFull(backup, s.id, refusal);
                return CompletableFuture.completedFuture(Outcome.NO_ROOM);
              }
              if (reply instanceof NeedFull && !r.full()) {
                metrics.increment("replicate.need-full");
                return sendFull(s, backup);
              }
              return CompletableFuture.completedFuture(Outcome.FAILED);
            })
        .thenCompose(f -> f);
  }

  private CompletableFuture<Outcome> sendFull(OwnedSession s, String backup) {
    Replicate full;
    s.lock.lock();
    try {
      if (s.state != OwnedSession.State.ACTIVE) {
        return CompletableFuture.completedFuture(
            s.state == OwnedSession.State.MOVED ? Outcome.STALE : Outcome.FAILED);
      }
      if (!s.backups.contains(backup)) {
        // Replaced while its NeedFull was on the way: a copy there would be one nobody tracks.
        return CompletableFuture.completedFuture(Outcome.FAILED);
      }
      full =
          new Replicate(
              s.id,
              s.epoch,
              s.version,
              0,
              true,
              engine.route(),
              s.backups,
              s.meta(),
              s.shippedBytes(),
              List.of());
    } finally {
      s.lock.unlock();
    }
    return send(s, backup, full);
  }

  /**
   * Swaps {@code failed} for another member and sends it a full copy. A replacement that has no
   * room either leaves the list at once: it holds nothing, and the session stays short of copies
   * (at risk) until recovery finds a member with room.
   */
  private CompletableFuture<Outcome> replace(OwnedSession s, String failed) {
    String replacement;
    s.lock.lock();
    try {
      if (s.state != OwnedSession.State.ACTIVE || !s.backups.contains(failed)) {
        return CompletableFuture.completedFuture(Outcome.FAILED);
      }
      List<String> remaining = new ArrayList<>(s.backups);
      remaining.remove(failed);
      replacement =
          engine.pickBackups(s.id, remaining, 1, failed).stream().findFirst().orElse(null);
      if (replacement != null) {
        remaining.add(replacement);
      }
      s.backups(remaining);
      s.needsFull.remove(failed);
    } finally {
      s.lock.unlock();
    }
    metrics.increment("backups.replaced");
    engine.release(failed, s.id, s.epoch);
    engine.announce(s);
    if (replacement == null) {
      return CompletableFuture.completedFuture(Outcome.FAILED);
    }
    // The others learn the new list at the next send (recovery sends it within a second).
    String chosen = replacement;
    return sendFull(s, replacement)
        .thenApply(
            o -> {
              if (o == Outcome.NO_ROOM) {
                drop(s, chosen);
              }
              return o;
            });
  }

  /** Takes {@code backup}, which holds no copy, out of the session's backup list. */
  private void drop(OwnedSession s, String backup) {
    s.lock.lock();
    try {
      if (!s.backups.contains(backup)) {
        return;
      }
      List<String> remaining = new ArrayList<>(s.backups);
      remaining.remove(backup);
      s.backups(remaining);
      s.needsFull.remove(backup);
    } finally {
      s.lock.unlock();
    }
    engine.unchosen(backup);
    engine.announce(s);
  }
}
