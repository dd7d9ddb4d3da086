package org.buddygrid.replication.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.GridException;
import org.buddygrid.core.Member;
import org.buddygrid.core.MemberLeftException;
import org.buddygrid.core.Messenger;
import org.buddygrid.core.Responses;
import org.buddygrid.core.metrics.Metrics;
import org.buddygrid.replication.SessionUnavailableException;
import org.buddygrid.replication.internal.Messages.Granted;
import org.buddygrid.replication.internal.Messages.Holding;
import org.buddygrid.replication.internal.Messages.Moved;
import org.buddygrid.replication.internal.Messages.NotFound;
import org.buddygrid.replication.internal.Messages.NotHeld;
import org.buddygrid.replication.internal.Messages.Take;
import org.buddygrid.replication.internal.Messages.TakeReply;
import org.buddygrid.replication.internal.Messages.WhoHas;
import org.buddygrid.replication.internal.Messages.WhoHasReply;

/**
 * Moving a session's ownership (flow 3): the taker finds the arbiter (directory hint, else "who
 * holds"), asks it to {@code Take} the session at the epoch it knows, and follows {@code Moved}
 * answers a bounded number of hops. The arbiter grants {@code epoch + 1} once: an owner after its
 * uses in flight have committed (rule 4), a backup only when the owner is gone and it is the first
 * live backup (rules 3 and 5).
 */
final class Takeover {
  private static final System.Logger LOG = System.getLogger(Takeover.class.getName());
  private static final int MAX_HOPS = 6;

  private final Engine engine;
  private final Settings settings;
  private final Metrics metrics;
  private final ConcurrentHashMap<String, CompletableFuture<Optional<OwnedSession>>> inProgress =
      new ConcurrentHashMap<>();

  /** A session taken over; {@code acquired} if a use was acquired for this caller. */
  record Taken(OwnedSession session, boolean acquired) {}

  Takeover(Engine engine, Settings settings, Metrics metrics) {
    this.engine = engine;
    this.settings = settings;
    this.metrics = metrics;
  }

  // ----------------------------------------------------------------- arbiter side

  CompletionStage<TakeReply> onTake(Take t, Member from) {
    CompletableFuture<Optional<OwnedSession>> installing = inProgress.get(t.id());
    if (engine.owned(t.id()) == null && installing != null) {
      // We are taking this session over ourselves: answer as its owner once we are.
      return installing.handle((r, e) -> null).thenCompose(ignored -> answer(t));
    }
    return answer(t);
  }

  private CompletionStage<TakeReply> answer(Take t) {
    OwnedSession s = engine.owned(t.id());
    if (s == null) {
      TakeReply reply =
          engine.backups().grant(t.id(), t.expectedEpoch(), t.taker(), engine::isAlive);
      if (reply instanceof Granted g) {
        metrics.increment("takeovers.granted");
        engine.directory().update(t.id(), t.taker(), g.backups(), g.epoch());
      }
      return CompletableFuture.completedFuture(reply);
    }
    if (s.state != OwnedSession.State.ACTIVE || s.epoch != t.expectedEpoch()) {
      return CompletableFuture.completedFuture(moved(s));
    }
    // Rule 4: let the uses in flight commit first, so the state handed over includes them.
    return quiesceThenGrant(s, t, System.nanoTime() + settings.quiesceTimeout().toNanos());
  }

  private CompletionStage<TakeReply> quiesceThenGrant(OwnedSession s, Take t, long deadline) {
    CompletableFuture<Void> handing = s.handingOff;
    if (handing != null) {
      // A graceful hand-off of it awaits its answer: answer after it, as moved or as owner.
      metrics.increment("takeovers.after-hand-off");
      return handing.thenCompose(ignored -> quiesceThenGrant(s, t, deadline));
    }
    long remaining = deadline - System.nanoTime();
    CompletableFuture<Void> quiet =
        remaining > 0
            ? s.whenQuiet().completeOnTimeout(null, remaining, TimeUnit.NANOSECONDS)
            : CompletableFuture.completedFuture(null);
    return quiet.thenCompose(
        ignored -> {
          TakeReply reply = grantFromOwner(s, t, deadline);
          // A use began between "quiet" and the lock: wait for it too, within the same bound.
          return reply != null
              ? CompletableFuture.completedFuture(reply)
              : quiesceThenGrant(s, t, deadline);
        });
  }

  private TakeReply moved(OwnedSession s) {
    return new Moved(s.epoch, s.state == OwnedSession.State.MOVED ? s.movedTo : engine.route());
  }

  /**
   * Grants under the session's lock; null if a use is in flight and the deadline has not passed.
   */
  private TakeReply grantFromOwner(OwnedSession s, Take t, long deadline) {
    Granted granted;
    s.lock.lock();
    try {
      if (s.handingOff != null) {
        return null; // quiesceThenGrant waits for the hand-off's answer
      }
      if (s.state != OwnedSession.State.ACTIVE || s.epoch != t.expectedEpoch()) {
        return moved(s);
      }
      if (s.inFlight() > 0 && System.nanoTime() < deadline) {
        return null;
      }
      engine.events().willPassivate(s);
      // Commits still queued for an INTERVAL/ASYNC flush are committed: hand them over too.
      if (!engine.collect(s).isEmpty()) {
        s.version++;
      }
      long epoch = s.epoch + 1;
      List<String> backups = new ArrayList<>();
      backups.add(engine.route());
      for (String b : s.backups) {
        if (!b.equals(t.taker())) {
          backups.add(b);
        }
      }
      Map<String, byte[]> bytes = s.shippedBytes();
      granted = new Granted(s.id, epoch, s.version, List.copyOf(backups), s.meta(), bytes);
      // Rule 5: the grant is recorded before the reply leaves.
      s.epoch = epoch;
      s.state = OwnedSession.State.MOVED;
      s.movedTo = t.taker();
      engine.handOver(s, granted, t.taker());
    } finally {
      s.lock.unlock();
    }
    metrics.increment("takeovers.granted");
    return granted;
  }

  WhoHasReply onWhoHas(WhoHas w) {
    OwnedSession s = engine.owned(w.id());
    if (s != null && s.state == OwnedSession.State.ACTIVE) {
      return new Holding(w.id(), true, s.epoch, s.version, engine.route(), s.backups);
    }
    return engine.backups().holding(w.id()).<WhoHasReply>map(h -> h).orElse(NotHeld.INSTANCE);
  }

  // ----------------------------------------------------------------- taker side

  /**
   * Takes the session over from wherever it is, or finds it does not exist. Concurrent calls for
   * one session on this node share one attempt. {@code createdElsewhere}: the client's id names
   * another route, proof that the grid had another member.
   */
  Optional<Taken> takeOver(String id, boolean createdElsewhere) {
    CompletableFuture<Optional<OwnedSession>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<OwnedSession>> running = inProgress.putIfAbsent(id, mine);
    if (running != null) {
      try {
        return running.join().map(s -> new Taken(s, false));
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r; // the shared attempt's own failure, e.g. SessionUnavailableException
        }
        throw e;
      }
    }
    try {
      Optional<Taken> result = attempt(id, createdElsewhere);
      mine.complete(result.map(Taken::session));
      return result;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inProgress.remove(id, mine);
    }
  }

  /**
   * Recovery's promotion of an orphaned copy (the owner left), registered like a takeover so that a
   * {@code Take} arriving meanwhile waits for the install. Returns whether this node now owns it.
   */
  boolean promote(String id, long epoch) {
    CompletableFuture<Optional<OwnedSession>> mine = new CompletableFuture<>();
    if (inProgress.putIfAbsent(id, mine) != null) {
      return false; // a takeover of it is running here; it will do
    }
    Optional<OwnedSession> result = Optional.empty();
    try {
      TakeReply reply = engine.backups().grant(id, epoch, engine.route(), engine::isAlive);
      if (reply instanceof Granted g) {
        OwnedSession s = engine.install(g);
        result = Optional.of(s);
        s.release(); // install acquires a use for a request; recovery has none
      }
      return result.isPresent();
    } finally {
      mine.complete(result);
      inProgress.remove(id, mine);
    }
  }

  private record Where(String owner, List<String> backups, long epoch, boolean fromDirectory) {}

  private Optional<Taken> attempt(String id, boolean createdElsewhere) {
    long start = System.nanoTime();
    // Why the session could not be taken, if some node showed it exists: then it is unavailable
    // for now (its owner is probably dead and not yet excluded), not gone.
    String unreachable = null;
    Where where =
        engine
            .directory()
            .get(id)
            .map(e -> new Where(e.owner(), e.backups(), e.epoch(), true))
            .orElse(null);
    boolean askedEveryone = false;
    for (int hop = 0; hop < MAX_HOPS; hop++) {
      OwnedSession local = engine.owned(id);
      if (local != null && local.state == OwnedSession.State.ACTIVE) {
        return Optional.of(new Taken(local, false));
      }
      if (where == null) {
        if (askedEveryone) {
          break;
        }
        Lookup lookup = whoHas(id);
        where = lookup.where();
        askedEveryone = true;
        if (where == null) {
          if (unreachable == null && lookup.silent() != null) {
            // Nobody said they hold it, but not everyone answered: it may well exist.
            unreachable = lookup.silent();
          }
          break;
        }
        if (unreachable == null && !engine.isAlive(where.owner())) {
          unreachable = "its owner " + where.owner() + " is gone and no backup could grant it";
        }
      }
      String arbiter = arbiterOf(where);
      if (arbiter == null) {
        // Nobody alive holds it as the hint says: ask everyone, once.
        where = null;
        continue;
      }
      TakeReply reply;
      if (arbiter.equals(engine.route())) {
        reply = engine.backups().grant(id, where.epoch(), engine.route(), engine::isAlive);
      } else {
        reply = ask(arbiter, new Take(id, where.epoch(), engine.route()));
        if (reply == null) {
          unreachable = arbiter + " did not answer";
          reply = NotFound.INSTANCE;
        }
      }
      metrics.increment("takeovers.hops");
      if (reply instanceof Granted g) {
        OwnedSession s = engine.install(g);
        metrics.timer("takeover.latency").recordNanos(System.nanoTime() - start);
        metrics.increment("takeovers");
        LOG.log(
            Level.INFO,
            "{0}: took over session {1} at epoch {2} from {3}",
            engine.route(),
            id,
            g.epoch(),
            arbiter);
        return Optional.of(new Taken(s, true));
      }
      if (reply instanceof Moved m) {
        engine.directory().update(id, m.owner(), List.of(), m.epoch());
        where =
            m.owner().equals(engine.route())
                ? null
                : new Where(m.owner(), List.of(), m.epoch(), false);
        continue;
      }
      // NotFound, or the arbiter failed: a stale hint costs a hop and a "who holds".
      if (where.fromDirectory()) {
        engine.directory().forget(id);
      }
      where = null;
    }
    if (unreachable == null) {
      // Its own route's ids too when its host list names other members: a node restarted while
      // discovery missed the grid finds its predecessor's sessions handed off or promoted there.
      String alone = engine.aloneSinceStart();
      if (alone != null && (createdElsewhere || engine.peersNamed())) {
        unreachable = alone;
      }
    }
    if (unreachable == null) {
      // Whatever route the id names: the other side may have taken it over.
      unreachable = engine.onMinoritySide();
    }
    if (unreachable != null) {
      metrics.increment("takeovers.unavailable");
      throw new SessionUnavailableException(id, unreachable);
    }
    metrics.increment("takeovers.not-found");
    return Optional.empty();
  }

  /** The arbiter's answer; {@code null} if it did not answer (a timeout or a failed send). */
  private TakeReply ask(String arbiter, Take take) {
    Member to = engine.member(arbiter);
    if (to == null) {
      return NotFound.INSTANCE;
    }
    try {
      return engine.messenger().requestAndWait(to, take, settings.takeoverTimeout());
    } catch (GridException e) {
      LOG.log(
          Level.DEBUG,
          "{0}: take of {1} at {2} failed: {3}",
          engine.route(),
          take.id(),
          arbiter,
          e.getMessage());
      return null;
    }
  }

  /** Rule 3: the owner if it is alive, else the first live backup. */
  private String arbiterOf(Where w) {
    if (engine.isAlive(w.owner())) {
      return w.owner();
    }
    for (String b : w.backups()) {
      if (engine.isAlive(b)) {
        return b;
      }
    }
    return null;
  }

  /**
   * Asks every member; an owner's answer settles it, else the newest backup's view of the owner.
   */
  /**
   * What "who holds it" found: the best holder, or null; and, when some member could not answer,
   * why not (so that "nobody holds it" is not concluded from silence).
   */
  private record Lookup(Where where, String silent) {}

  private Lookup whoHas(String id) {
    metrics.increment("whohas.queries");
    String silent = null;
    List<Holding> holdings = new ArrayList<>();
    engine.backups().holding(id).ifPresent(holdings::add);
    List<Member> others = engine.others();
    if (!others.isEmpty()) {
      try {
        Responses<WhoHasReply> responses =
            engine
                .messenger()
                .gatherUntil(
                    others,
                    new WhoHas(id),
                    r -> r instanceof Holding h && h.owner(),
                    settings.lookupTimeout())
                .toCompletableFuture()
                .get(settings.lookupTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        for (WhoHasReply r : responses.replies().values()) {
          if (r instanceof Holding h) {
            holdings.add(h);
          }
        }
        for (Map.Entry<Member, GridException> f : responses.failures().entrySet()) {
          // "Left" is an answer only if the member is out of the view now: JGroups also marks the
          // answers of a merge view's other subgroups as suspected, members though they are.
          if (!(f.getValue() instanceof MemberLeftException)
              || engine.isAlive(f.getKey().route())) {
            silent = f.getKey().route() + " did not answer who holds it";
            break;
          }
        }
      } catch (Exception e) {
        silent = "asking who holds it failed: " + Messenger.unwrap(e).getMessage();
        LOG.log(
            Level.DEBUG,
            "{0}: who-has {1} failed: {2}",
            engine.route(),
            id,
            Messenger.unwrap(e).getMessage());
      }
    }
    Where best =
        holdings.stream()
            .max(
                Comparator.comparing((Holding h) -> h.owner())
                    .thenComparingLong(Holding::epoch)
                    .thenComparingLong(Holding::version))
            .map(h -> new Where(h.ownerRoute(), h.backups(), h.epoch(), false))
            .orElse(null);
    return new Lookup(best, silent);
  }
}
