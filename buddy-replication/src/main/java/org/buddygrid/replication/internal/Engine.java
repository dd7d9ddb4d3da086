package org.buddygrid.replication.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.buddygrid.core.GridNode;
import org.buddygrid.core.Member;
import org.buddygrid.core.Messenger;
import org.buddygrid.core.attribute.AttributeCodec;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.core.id.SessionIdGenerator;
import org.buddygrid.core.metrics.Metrics;
import org.buddygrid.replication.CrossReferences;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.SessionLimitException;
import org.buddygrid.replication.SessionListener;
import org.buddygrid.replication.SessionMovedException;
import org.buddygrid.replication.Timing;
import org.buddygrid.replication.internal.Messages.Applied;
import org.buddygrid.replication.internal.Messages.Granted;
import org.buddygrid.replication.internal.Messages.Invalidate;
import org.buddygrid.replication.internal.Messages.Locations;
import org.buddygrid.replication.internal.Messages.NeedFull;
import org.buddygrid.replication.internal.Messages.NoRoom;
import org.buddygrid.replication.internal.Messages.Rename;
import org.buddygrid.replication.internal.Messages.Replicate;
import org.buddygrid.replication.internal.Messages.ReplicateReply;
import org.buddygrid.replication.internal.Messages.Stale;
import org.buddygrid.replication.internal.Messages.Take;
import org.buddygrid.replication.internal.Messages.Touch;
import org.buddygrid.replication.internal.Messages.TouchEntry;
import org.buddygrid.replication.internal.Messages.WhoHas;

/**
 * One node's replication engine: the sessions it owns, the copies it backs up, its location
 * directory, and the protocol handlers. The public face is {@code SessionGrid}.
 */
public final class Engine {
  private static final System.Logger LOG = System.getLogger(Engine.class.getName());

  private final Settings settings;
  private final GridNode node;
  private final AttributeCodec codec;
  private final ImmutableTypes immutables;
  private final SessionIdGenerator ids = new SessionIdGenerator();
  private final ConcurrentHashMap<String, OwnedSession> owned = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> backupLoad = new ConcurrentHashMap<>();
  private final BackupStore backups;
  private final LocationDirectory directory;
  private final ScheduledExecutorService scheduler;
  private final Broadcasts broadcasts;
  private final Lanes lanes;
  private final Committer committer;
  private final Takeover takeover;
  private final Recovery recovery;
  private final PartitionMerge merge;
  private final Quorum quorum;
  private final Events events = new Events(this);
  private volatile boolean stopping;

  /** Whether this node has shared a view with another member since it started. */
  private volatile boolean metOthers;

  private final long startedNanos = System.nanoTime();
  private volatile Boolean peersNamed;
  private final Set<String> crossReferencePairs = ConcurrentHashMap.newKeySet();

  /**
   * How long a member that answered {@link NoRoom} is not chosen as a backup. Recovery retries
   * sessions at risk every second: without this pause each retry would send the full member one
   * more full copy to refuse; after it the member is tried again, so room freed there is used.
   */
  static final long FULL_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(2);

  private static final long FULL_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** Members whose backup store was full, and until when (System.nanoTime) to pass them over. */
  private final ConcurrentHashMap<String, Long> fullMembers = new ConcurrentHashMap<>();

  private final LongAdder refusalsSinceWarning = new LongAdder();
  private final java.util.concurrent.atomic.AtomicLong lastFullWarning =
      new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - FULL_WARNING_NANOS);

  public Engine(Settings settings, GridNode node) {
    this.settings = settings;
    this.node = node;
    this.codec = new AttributeCodec(settings.classPolicy(), settings.codecLimits());
    this.immutables = new ImmutableTypes(settings.immutableTypes());
    Metrics metrics = node.metrics();
    this.backups =
        new BackupStore(
            node.route(),
            settings.clock(),
            settings.maxBackupBytes(),
            settings.backupGrace(),
            (id, cause) ->
                metrics.increment("backups.removed." + cause.toLowerCase(java.util.Locale.ROOT)));
    this.directory = new LocationDirectory(settings.directorySize());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bg-replication-" + node.route());
              t.setDaemon(true);
              return t;
            });
    this.broadcasts = new Broadcasts(node, settings, scheduler);
    this.lanes =
        new Lanes(
            node.messenger(),
            metrics,
            settings.replicationTimeout(),
            settings.groupCommit(),
            node.route());
    this.committer = new Committer(this, settings, metrics);
    this.takeover = new Takeover(this, settings, metrics);
    this.recovery = new Recovery(this, settings, metrics, scheduler);
    this.merge = new PartitionMerge(this, metrics);
    this.quorum =
        new Quorum(
            node.route(),
            node.view(),
            metrics,
            node.messenger(),
            node::view,
            settings.replicationTimeout());
    metOthers = node.view().members().size() > 1;
    node.addMembershipListener(quorum); // first: recovery asks it about the same view
    node.addMembershipListener(recovery);
    node.addMembershipListener(merge);
    node.addMembershipListener(
        change -> {
          metOthers |= change.current().members().size() > 1;
          lanes.retain(
              change.current().members().stream()
                  .map(Member::route)
                  .collect(java.util.stream.Collectors.toSet()));
        });
    metrics.gauge("sessions.owned", owned::size);
    metrics.gauge("backups.held", backups::count);
    metrics.gauge("backups.bytes", backups::weight);
    metrics.gauge("directory.entries", directory::size);
    registerHandlers();
    long sweep = settings.expirySweep().toMillis();
    scheduler.scheduleWithFixedDelay(this::expireQuietly, sweep, sweep, TimeUnit.MILLISECONDS);
    if (settings.timing() == Timing.INTERVAL) {
      long ms = settings.flushInterval().toMillis();
      scheduler.scheduleWithFixedDelay(committer::flushInterval, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  private void registerHandlers() {
    Messenger m = node.messenger();
    m.onRequest(Replicate.class, (r, from) -> CompletableFuture.completedFuture(onReplicate(r)));
    m.onRequest(
        Messages.ReplicateBatch.class,
        (b, from) -> {
          List<ReplicateReply> replies = new ArrayList<>(b.items().size());
          for (Replicate r : b.items()) {
            replies.add(onReplicate(r));
          }
          return CompletableFuture.completedFuture(new Messages.ReplicateReplies(replies));
        });
    m.onRequest(Take.class, takeover::onTake);
    m.onRequest(WhoHas.class, (w, from) -> CompletableFuture.completedFuture(takeover.onWhoHas(w)));
    m.onRequest(
        Invalidate.class,
        (i, from) -> CompletableFuture.completedFuture(onInvalidate(i, from.route())));
    m.onRequest(Messages.Digest.class, merge::onDigest);
    m.onRequest(
        Messages.HandOff.class,
        (h, from) -> CompletableFuture.completedFuture(onHandOff(h, from.route())));
    m.onRequest(
        Rename.class,
        (r, from) ->
            CompletableFuture.completedFuture(
                backups.rename(r.oldId(), r.newId(), r.epoch(), r.version())));
    m.onMessage(
        Touch.class,
        (t, from) -> {
          for (TouchEntry e : t.entries()) {
            backups.touch(e.id(), e.epoch(), e.lastAccessedTime());
          }
        });
    m.onMessage(
        Locations.class,
        (l, from) -> {
          l.updates()
              .forEach(loc -> directory.update(loc.id(), loc.owner(), loc.backups(), loc.epoch()));
          l.removed().forEach(directory::forget);
        });
  }

  /**
   * Why this node cannot tell yet that a session is gone, or null if it can: it has been alone
   * since it started, within the join grace (discovery may have missed the grid). Asked for ids
   * naming another route, and for every id when the discovery configuration names other members.
   */
  String aloneSinceStart() {
    long alone = System.nanoTime() - startedNanos;
    if (metOthers || alone >= settings.joinGrace().toNanos()) {
      return null;
    }
    return "this node has been alone since it started "
        + TimeUnit.NANOSECONDS.toMillis(alone)
        + " ms ago and cannot know yet whether another member holds it (buddygrid.join-grace)";
  }

  /**
   * Whether this node's discovery configuration names other members: then a grid is meant to exist
   * even when this node has seen none of it yet.
   */
  boolean peersNamed() {
    // Read once from the running channel (the engine is made before its node starts): parsing the
    // host list may resolve names, and clients choose how often a session is not found.
    Boolean named = peersNamed;
    if (named == null) {
      named = DiscoveryPeers.namedBesidesSelf(node.channel());
      peersNamed = named;
    }
    return named;
  }

  /**
   * Why this node cannot tell yet that a session is gone, or null if it can: its side of the grid
   * holds no majority of the last view it was primary in (it woke up from a pause after the others
   * excluded it, or it is cut off), so the session may well be owned on the other side; for at most
   * the join grace from when it became a minority, so that a survivor that stays alone for good
   * creates new sessions again.
   */
  String onMinoritySide() {
    Duration minority = quorum.minorityFor();
    if (minority == null || minority.compareTo(settings.joinGrace()) >= 0) {
      return null;
    }
    return "this node's side of the grid "
        + node.view().members().stream().map(Member::route).toList()
        + " has held no majority of the last view it could act in "
        + quorum.reference()
        + " for "
        + minority.toMillis()
        + " ms and cannot know whether the other side holds it (buddygrid.join-grace)";
  }

  // ------------------------------------------------------------------ public operations

  /** A new session owned here; its first commit carries it whole to its backups (flow 1). */
  public GridSession create() {
    if (owned.size() >= settings.maxOwnedSessions()) {
      node.metrics().increment("sessions.refused");
      throw new SessionLimitException(settings.maxOwnedSessions());
    }
    long now = settings.clock().millis();
    String id = ids.newBase();
    List<String> chosen = chooseBackups(id, List.of());
    OwnedSession s =
        new OwnedSession(
            id, 0, 0, chosen, now, now, (int) settings.defaultMaxInactive().toSeconds(), true);
    s.needsFull.addAll(chosen);
    s.metaDirty = true;
    owned.put(id, s);
    adjustLoad(List.of(), chosen);
    announce(s);
    node.metrics().increment("sessions.created");
    Handle h = new Handle(s, this, true);
    h.accessedBefore(now); // no earlier request: the creation time
    events.created(s);
    return h;
  }

  /**
   * The session with this id, served here: owned already, or taken over from wherever it is. Empty
   * if the id is malformed (counted) or no live node holds the session.
   */
  public Optional<GridSession> open(String id) {
    Optional<SessionId> parsed = SessionId.parse(id);
    if (parsed.isEmpty()) {
      node.metrics().increment("ids.rejected");
      return Optional.empty();
    }
    String base = parsed.get().base();
    // A takeover elsewhere can land between finding the session and starting to use it: then the
    // use sees it moved, lets go, and looks again (bounded).
    for (int attempt = 0; attempt < 3; attempt++) {
      OwnedSession s = owned.get(base);
      Handle h;
      if (s != null && s.state == OwnedSession.State.ACTIVE) {
        h = new Handle(s, this, true);
      } else {
        if (stopping) {
          return Optional.empty(); // a leaving node takes nothing over
        }
        String route = parsed.get().route();
        boolean createdElsewhere = route != null && !route.equals(route());
        Takeover.Taken taken = takeover.takeOver(base, createdElsewhere).orElse(null);
        if (taken == null) {
          return Optional.empty();
        }
        s = taken.session();
        h = taken.acquired() ? Handle.alreadyAcquired(s, this) : new Handle(s, this, true);
      }
      // Checked under the session lock, which a grant holds while it reads the uses in flight and
      // marks the session moved: either the grant sees this use, or this check sees the grant.
      boolean active;
      s.lock.lock();
      try {
        active = s.state == OwnedSession.State.ACTIVE;
      } finally {
        s.lock.unlock();
      }
      if (!active) {
        h.release();
        continue;
      }
      s.isNew = false;
      // The use reports the access before it (the previous request), the former owner's if this
      // is the first use since the session came here.
      h.accessedBefore(s.previousAccess());
      // An access now, by this node's clock: idle time is always measured on one clock.
      s.lastAccessedTime = settings.clock().millis();
      broadcasts.touch(s.id, s.epoch, s.lastAccessedTime, s.backups);
      return Optional.of(h);
    }
    node.metrics().increment("sessions.open-contended");
    return Optional.empty();
  }

  public boolean isOwner(String id) {
    Optional<SessionId> parsed = SessionId.parse(id);
    if (parsed.isEmpty()) {
      return false;
    }
    OwnedSession s = owned.get(parsed.get().base());
    return s != null && s.state == OwnedSession.State.ACTIVE;
  }

  private void expireQuietly() {
    try {
      expireIdle();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, route() + ": expiry sweep failed", e);
    }
  }

  public void addListener(SessionListener listener) {
    events.add(listener);
  }

  public int ownedCount() {
    return owned.size();
  }

  /** The ids of the sessions owned here now, a snapshot. */
  public List<String> ownedIds() {
    List<String> out = new ArrayList<>();
    for (OwnedSession s : owned.values()) {
      if (s.state == OwnedSession.State.ACTIVE) {
        out.add(s.id + "." + route());
      }
    }
    return out;
  }

  public long backupCount() {
    return backups.count();
  }

  /**
   * Owned sessions short of copies, plus copies whose owner left and that wait for promotion here.
   */
  public int atRiskCount() {
    return committer.atRiskCount() + recovery.pendingOrphans();
  }

  /** Sends pending location and touch batches now (tests, shutdown). */
  public void flushBroadcasts() {
    broadcasts.flushLocations();
    broadcasts.flushTouches();
  }

  public void close() {
    scheduler.shutdownNow();
    lanes.close();
  }

  // ------------------------------------------------------------------ handlers

  private ReplicateReply onReplicate(Replicate r) {
    OwnedSession s = owned.get(r.id());
    if (s != null) {
      if (r.epoch() < s.epoch && s.state == OwnedSession.State.ACTIVE) {
        // We own a newer epoch: the sender is behind (rule 8).
        return new Stale(s.epoch, route());
      }
      if (r.epoch() == s.epoch && s.state == OwnedSession.State.ACTIVE) {
        // Two owners of one epoch: both sides of a split brain promoted a copy. Only the merge
        // digests settle that (rule 9), the same way on both sides; a Stale here, answered both
        // ways, would leave the session with no owner. The sender picks another backup.
        node.metrics().increment("replicate.same-epoch-owner");
        return new NeedFull(s.epoch, s.version);
      }
      lostOwnership(s, r.owner(), r.epoch());
    }
    LocationDirectory.Entry known = directory.get(r.id()).orElse(null);
    if (known != null && known.epoch() > r.epoch()) {
      // A newer owner announced itself: the sender is a zombie from before a takeover (rule 8),
      // even if this node holds no copy to prove it.
      node.metrics().increment("replicate.refused");
      return new Stale(known.epoch(), known.owner());
    }
    ReplicateReply reply = backups.apply(r);
    if (reply instanceof Applied) {
      directory.update(r.id(), r.owner(), r.backups(), r.epoch());
    }
    node.metrics()
        .increment(
            reply instanceof Applied
                ? "replicate.applied"
                : reply instanceof NoRoom ? "backups.refused-full" : "replicate.refused");
    return reply;
  }

  private ReplicateReply onHandOff(Messages.HandOff h, String leaving) {
    OwnedSession existing = owned.get(h.grant().id());
    if (existing != null
        && existing.state == OwnedSession.State.ACTIVE
        && existing.epoch >= h.grant().epoch()) {
      return new Stale(existing.epoch, route());
    }
    // The sender is leaving: never choose it as a backup.
    OwnedSession s = install(h.grant(), leaving);
    s.release(); // install acquires a use for a request; a hand-off has none
    node.metrics().increment("handoffs.received");
    return new Applied(h.grant().version());
  }

  /**
   * Hands every owned session to a live backup before this node leaves (flow 5): most recently used
   * first, each after its uses in flight end (bounded by {@code quiesce}), within {@code budget}
   * overall. Returns how many sessions could not be handed over (no other member, or time ran out);
   * those are lost with this node unless a backup still promotes them.
   */
  public int handOffAll(java.time.Duration budget) {
    stopping = true;
    long deadline = System.nanoTime() + budget.toNanos();
    List<OwnedSession> sessions = new ArrayList<>(owned.values());
    sessions.sort(
        java.util.Comparator.comparingLong((OwnedSession s) -> s.lastAccessedTime).reversed());
    int failed = 0;
    for (OwnedSession s : sessions) {
      if (System.nanoTime() >= deadline || !handOff(s, deadline)) {
        failed++;
      }
    }
    if (!sessions.isEmpty()) {
      LOG.log(
          Level.INFO,
          "{0}: handed {1} of {2} sessions over before leaving",
          route(),
          sessions.size() - failed,
          sessions.size());
    }
    return failed;
  }

  private boolean handOff(OwnedSession s, long deadline) {
    List<String> targets = new ArrayList<>();
    for (String b : s.backups) {
      if (isAlive(b)) {
        targets.add(b);
      }
    }
    if (targets.isEmpty()) {
      targets.addAll(chooseBackups(s.id, List.of()));
    }
    try {
      s.whenQuiet()
          .get(
              Math.max(
                  0, Math.min(deadline - System.nanoTime(), settings.quiesceTimeout().toNanos())),
              TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      // Uses still in flight: hand over what is committed; their commits will be refused.
    }
    for (String target : targets) {
      Member to = member(target);
      if (to == null) {
        continue;
      }
      Messages.Granted grant;
      CompletableFuture<Void> handing = new CompletableFuture<>();
      s.lock.lock();
      try {
        if (s.state != OwnedSession.State.ACTIVE) {
          return true;
        }
        if (!collect(s).isEmpty()) {
          s.version++;
        }
        List<String> others = new ArrayList<>(s.backups);
        others.remove(target);
        grant =
            new Messages.Granted(
                s.id, s.epoch + 1, s.version, List.copyOf(others), s.meta(), s.shippedBytes());
        // Rule 5: the hand-off is recorded before the grant leaves. Until its answer, commits are
        // refused and a Take waits, so nothing is acknowledged or granted beside this grant.
        s.handingOffTo = target;
        s.handingOff = handing;
      } finally {
        s.lock.unlock();
      }
      boolean handedOver = false;
      events.willPassivate(s);
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        ReplicateReply reply =
            lanes.await(
                to,
                new Messages.HandOff(grant),
                java.time.Duration.ofNanos(
                    Math.min(left, settings.replicationTimeout().toNanos())));
        handedOver = reply instanceof Applied;
      } catch (RuntimeException e) {
        LOG.log(
            Level.DEBUG,
            "{0}: hand-off of {1} to {2} failed: {3}",
            route(),
            s.id,
            target,
            e.getMessage());
      } finally {
        s.lock.lock();
        try {
          if (handedOver) {
            s.epoch = grant.epoch();
            s.state = OwnedSession.State.MOVED;
            s.movedTo = target;
            owned.remove(s.id, s);
          } else {
            // A target may have installed the grant without answering: it owns the session at
            // the grant's epoch, so whatever this node grants or commits next is fenced above it.
            s.epoch = Math.max(s.epoch, grant.epoch() + 1);
          }
          s.handingOff = null;
          s.handingOffTo = null;
        } finally {
          s.lock.unlock();
        }
        handing.complete(null);
      }
      if (handedOver) {
        committer.forget(s.id);
        node.metrics().increment("handoffs.sent");
        return true;
      }
    }
    return false;
  }

  private ReplicateReply onInvalidate(Invalidate i, String from) {
    boolean dropped = backups.invalidate(i.id(), i.epoch(), from);
    directory.remove(i.id(), i.epoch());
    return dropped ? new Applied(i.epoch()) : new NeedFull(-1, -1);
  }

  // ------------------------------------------------------------------ owner operations

  void invalidate(OwnedSession s) {
    end(s, SessionListener.Ending.INVALIDATED, false);
  }

  /**
   * Ends a session here and on its backups. For expiry ({@code idleCheck}), only if it is still
   * idle and unused once its lock is held: a request that arrived meanwhile keeps it alive.
   */
  private boolean end(OwnedSession s, SessionListener.Ending ending, boolean idleCheck) {
    s.lock.lock();
    try {
      if (s.handingOffTo != null) {
        if (idleCheck) {
          return false;
        }
        throw new SessionMovedException(s.id, s.handingOffTo);
      }
      if (s.state != OwnedSession.State.ACTIVE) {
        if (s.state == OwnedSession.State.INVALID && !idleCheck) {
          throw new IllegalStateException("session " + s.id + " has been invalidated");
        }
        return false;
      }
      if (idleCheck && !isExpired(s, settings.clock().millis())) {
        return false;
      }
      // Listeners see the session still valid, as the Servlet specification wants.
      events.destroyed(s, ending);
      s.state = OwnedSession.State.INVALID;
      owned.remove(s.id, s);
    } finally {
      s.lock.unlock();
    }
    for (Map.Entry<String, Object> e : Map.copyOf(s.attributes).entrySet()) {
      s.attributes.remove(e.getKey());
      events.removed(s, e.getKey(), e.getValue());
    }
    for (String b : s.backups) {
      release(b, s.id, s.epoch);
    }
    adjustLoad(s.backups, List.of());
    committer.forget(s.id);
    directory.forget(s.id);
    broadcasts.removed(s.id);
    node.metrics()
        .increment(
            ending == SessionListener.Ending.EXPIRED ? "sessions.expired" : "sessions.invalidated");
    return true;
  }

  private static boolean isExpired(OwnedSession s, long now) {
    return s.maxInactiveSeconds > 0
        && s.inFlight() == 0
        && now - s.lastAccessedTime >= s.maxInactiveSeconds * 1000L;
  }

  /** Expires owned sessions idle for longer than their max inactive interval (flow 6). */
  public int expireIdle() {
    long now = settings.clock().millis();
    int expired = 0;
    for (OwnedSession s : owned.values()) {
      if (isExpired(s, now) && end(s, SessionListener.Ending.EXPIRED, true)) {
        expired++;
      }
    }
    backups.cleanUp(); // orphaned copies past max inactive + grace
    return expired;
  }

  String changeId(OwnedSession s) {
    String oldFull;
    List<CompletableFuture<ReplicateReply>> acks = new ArrayList<>();
    List<String> targets;
    s.lock.lock();
    try {
      if (s.state != OwnedSession.State.ACTIVE) {
        throw new IllegalStateException("session " + s.id + " is not served here any more");
      }
      String oldId = s.id;
      oldFull = oldId + "." + route();
      String newId = ids.newBase();
      owned.put(newId, s);
      s.id = newId;
      owned.remove(oldId, s);
      targets = s.backups;
      for (String b : targets) {
        Member m = member(b);
        if (m != null) {
          acks.add(lanes.request(m, new Rename(oldId, newId, s.epoch, s.version)));
        } else {
          acks.add(CompletableFuture.completedFuture(new NeedFull(-1, -1)));
        }
      }
      broadcasts.removed(oldId);
      directory.forget(oldId);
      committer.forget(oldId);
    } finally {
      s.lock.unlock();
    }
    // A backup that could not move its copy gets a full one at the next commit.
    for (int i = 0; i < acks.size(); i++) {
      ReplicateReply r;
      try {
        r = acks.get(i).get(settings.replicationTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        r = new NeedFull(-1, -1);
      }
      if (!(r instanceof Applied)) {
        s.lock.lock();
        try {
          s.needsFull.add(targets.get(i));
        } finally {
          s.lock.unlock();
        }
      }
    }
    announce(s);
    events.idChanged(s, oldFull);
    return s.id + "." + route();
  }

  /** The old owner's side of a grant: it keeps the granted state as a backup. Holds s.lock. */
  void handOver(OwnedSession s, Granted granted, String taker) {
    // Copy first, then stop owning: a Take in between must find one or the other, never neither.
    backups.put(
        s.id,
        new BackupCopy(
            granted.epoch(),
            granted.version(),
            taker,
            granted.backups(),
            granted.meta(),
            granted.attributes(),
            settings.clock().millis()));
    owned.remove(s.id, s);
    adjustLoad(s.backups, List.of());
    committer.forget(s.id);
    directory.update(s.id, taker, granted.backups(), granted.epoch());
  }

  /**
   * The taker's side of a grant: the session is owned here from now on. It is returned with one use
   * acquired, for the request that asked for it.
   */
  OwnedSession install(Granted g) {
    return install(g, null);
  }

  /** As {@link #install(Granted)}, never choosing {@code exclude} as a backup. */
  OwnedSession install(Granted g, String exclude) {
    List<String> keep = new ArrayList<>();
    for (String b : g.backups()) {
      if (!b.equals(route()) && isAlive(b)) {
        keep.add(b);
      }
    }
    List<String> chosen = chooseBackups(g.id(), keep, exclude);
    long now = settings.clock().millis();
    OwnedSession s =
        new OwnedSession(
            g.id(),
            g.epoch(),
            g.version(),
            chosen,
            g.meta().creationTime(),
            now, // the taking node's clock from here on (clock skew cannot age the session)
            g.meta().maxInactiveSeconds(),
            false);
    s.lock.lock();
    try {
      for (Map.Entry<String, byte[]> e : g.attributes().entrySet()) {
        s.shipped.put(e.getKey(), Shipped.of(e.getValue()));
        try {
          Object value = codec.decode(e.getKey(), e.getValue(), 0, e.getValue().length);
          if (OwnedSession.isGroupKey(e.getKey())) {
            // Attributes replicated together: one map, their shared objects still shared.
            java.util.SortedSet<String> members =
                java.util.Collections.unmodifiableSortedSet(OwnedSession.membersOf(e.getKey()));
            for (Map.Entry<?, ?> m : ((Map<?, ?>) value).entrySet()) {
              s.attributes.put((String) m.getKey(), m.getValue());
            }
            members.forEach(m -> s.groupOf.put(m, members));
          } else {
            s.attributes.put(e.getKey(), value);
          }
        } catch (RuntimeException ex) {
          // The bytes stay shipped (the backups keep them); the value cannot be served here.
          node.metrics().increment("attributes.undecodable");
          LOG.log(
              Level.ERROR,
              route()
                  + ": attribute "
                  + e.getKey()
                  + " of session "
                  + g.id()
                  + " cannot be decoded here",
              ex);
        }
      }
      // The granter already holds this epoch and version: only the others need a full copy, and
      // the granter the list if it changed (its copy lists the grant's).
      String granter = g.backups().isEmpty() ? null : g.backups().get(0);
      if (!chosen.equals(g.backups())) {
        s.metaDirty = true;
      }
      for (String b : chosen) {
        if (!b.equals(granter)) {
          s.needsFull.add(b);
        }
      }
    } finally {
      s.lock.unlock();
    }
    s.arrivedAfterAccess(g.meta().lastAccessedTime());
    // The request that asked for the takeover uses the session before anyone else can take it:
    // acquire before publishing, or two takers would steal it from each other in turn. Publish
    // before dropping our backup copy, so a Take always finds one of them.
    s.acquire();
    owned.put(g.id(), s);
    backups.drop(g.id());
    adjustLoad(List.of(), chosen);
    for (String b : g.backups()) {
      if (!chosen.contains(b) && !b.equals(route())) {
        release(b, g.id(), g.epoch());
      }
    }
    announce(s);
    committer.shipAsync(s);
    events.didActivate(s);
    return s;
  }

  /** A backup said another node owns a newer epoch: stop serving the session (rule 2). */
  void lostOwnership(OwnedSession s, String owner, long epoch) {
    s.lock.lock();
    try {
      if (s.state != OwnedSession.State.ACTIVE) {
        return;
      }
      s.state = OwnedSession.State.MOVED;
      s.movedTo = owner;
      owned.remove(s.id, s);
    } finally {
      s.lock.unlock();
    }
    adjustLoad(s.backups, List.of());
    committer.forget(s.id);
    directory.update(s.id, owner, List.of(), epoch);
    node.metrics().increment("sessions.lost-ownership");
    LOG.log(
        Level.WARNING,
        "{0}: session {1} is owned by {2} at epoch {3}; stopped serving it",
        route(),
        s.id,
        owner,
        epoch);
  }

  /**
   * This node's copy lost a merge conflict (PROTOCOL rule 9): stop serving it and release its
   * backups' copies of it. Returns false if the session was no longer served here at {@code epoch}.
   */
  boolean loseConflict(OwnedSession s, long epoch, String winner, Messages.DigestEntry won) {
    List<String> released;
    s.lock.lock();
    try {
      if (s.state != OwnedSession.State.ACTIVE || s.epoch != epoch) {
        return false;
      }
      s.state = OwnedSession.State.MOVED;
      s.movedTo = winner;
      owned.remove(s.id, s);
      released = new ArrayList<>(s.backups);
    } finally {
      s.lock.unlock();
    }
    adjustLoad(released, List.of());
    committer.forget(s.id);
    directory.update(s.id, winner, won.backups(), won.epoch());
    // Every backup, even one the winner lists: an Invalidate only drops copies this node owned
    // (or older epochs), and the winner's list may be newer than what that backup holds.
    released.remove(winner);
    for (String b : released) {
      release(b, s.id, epoch);
    }
    node.metrics().increment("merge.conflicts");
    LOG.log(
        Level.WARNING,
        "{0}: session {1} was owned on both sides of a partition; keeping the copy of {2} (epoch"
            + " {3}, version {4}) and dropping this one (epoch {5}, version {6})",
        route(),
        s.id,
        winner,
        won.epoch(),
        won.version(),
        epoch,
        s.version);
    return true;
  }

  /** Tells a backup it no longer holds a copy (best effort; an orphan expires anyway). */
  void release(String backup, String id, long epoch) {
    Member m = member(backup);
    if (m != null) {
      lanes.request(m, new Invalidate(id, epoch));
    }
  }

  /** Queues the session's location for the next broadcast batch. */
  void announce(OwnedSession s) {
    directory.update(s.id, route(), s.backups, s.epoch);
    broadcasts.location(s.id, route(), s.backups, s.epoch);
  }

  /** Collects a session's changes with this grid's cross-reference handling. Holds s.lock. */
  OwnedSession.Delta collect(OwnedSession s) {
    return s.collect(
        codec,
        settings.crossReferences() == CrossReferences.GROUP,
        immutables,
        (a, b, shared) -> crossReference(s, a, b, shared));
  }

  private void crossReference(OwnedSession s, String a, String b, Object shared) {
    node.metrics().increment("cross-references.detected");
    String pair = a.compareTo(b) < 0 ? a + "\u0000" + b : b + "\u0000" + a;
    if (crossReferencePairs.size() < 10_000 && crossReferencePairs.add(pair)) {
      LOG.log(
          Level.WARNING,
          "{0}: attributes \"{1}\" and \"{2}\" (session {3}) share a {4}. {5}",
          route(),
          a,
          b,
          s.id,
          shared.getClass().getName(),
          settings.crossReferences() == CrossReferences.GROUP
              ? "They are replicated together from now on, so the sharing survives a takeover."
              : "Each is replicated on its own, so after a takeover they hold separate copies: set"
                  + " buddygrid.cross-references=GROUP, or store the shared object once");
    }
  }

  // ------------------------------------------------------------------ buddies

  /** A full backup list for a session, preferring members in {@code keep}. */
  List<String> chooseBackups(String id, List<String> keep) {
    return chooseBackups(id, keep, null);
  }

  List<String> chooseBackups(String id, List<String> keep, String exclude) {
    List<Member> candidates = others();
    // Members that hold a copy already stay candidates when full: they keep updating it.
    candidates.removeIf(
        m -> m.route().equals(exclude) || (isFull(m.route()) && !keep.contains(m.route())));
    List<Member> keepMembers = new ArrayList<>();
    for (String k : keep) {
      Member m = member(k);
      if (m != null) {
        keepMembers.add(m);
      }
    }
    return routes(
        settings
            .selector()
            .select(
                id, node.localMember(), candidates, keepMembers, settings.backups(), this::load));
  }

  /** Up to {@code more} members not in {@code chosen} and not {@code exclude}. */
  List<String> pickBackups(String id, List<String> chosen, int more, String exclude) {
    List<Member> candidates = new ArrayList<>();
    for (Member m : others()) {
      if (!chosen.contains(m.route()) && !m.route().equals(exclude) && !isFull(m.route())) {
        candidates.add(m);
      }
    }
    List<String> picked =
        routes(
            settings
                .selector()
                .select(id, node.localMember(), candidates, List.of(), more, this::load));
    adjustLoad(List.of(), picked);
    if (exclude != null) {
      adjustLoad(List.of(exclude), List.of());
    }
    return picked;
  }

  /**
   * Member {@code backup} refused a copy of session {@code id}: its backup store is full. It is
   * passed over as a backup for {@link #FULL_PAUSE_NANOS}; counted, and warned of at most once a
   * minute.
   */
  void backupFull(String backup, String id, NoRoom refusal) {
    fullMembers.put(backup, System.nanoTime() + FULL_PAUSE_NANOS);
    metrics().increment("replicate.refused-full");
    refusalsSinceWarning.increment();
    long now = System.nanoTime();
    long last = lastFullWarning.get();
    if (now - last >= FULL_WARNING_NANOS && lastFullWarning.compareAndSet(last, now)) {
      LOG.log(
          Level.WARNING,
          "{0}: {1} refused a backup copy of session {2}: its backup copies take {3} of the {4}"
              + " bytes its buddygrid.max-backup-bytes allows ({5} refusal(s) by full members"
              + " in the last minute). Sessions no member has room for stay at risk (gauge"
              + " sessions.at-risk) until one has: raise buddygrid.max-backup-bytes on the full"
              + " members, or add nodes",
          route(),
          backup,
          id,
          refusal.heldBytes(),
          refusal.maxBytes(),
          refusalsSinceWarning.sumThenReset());
    }
  }

  /** Whether {@code route} refused a copy for lack of room within {@link #FULL_PAUSE_NANOS}. */
  private boolean isFull(String route) {
    Long until = fullMembers.get(route);
    if (until == null) {
      return false;
    }
    if (System.nanoTime() - until < 0) {
      return true;
    }
    fullMembers.remove(route, until);
    return false;
  }

  /** Forgets that {@code route} was chosen as a backup (it refused the copy). */
  void unchosen(String route) {
    adjustLoad(List.of(route), List.of());
  }

  private static List<String> routes(List<Member> members) {
    List<String> out = new ArrayList<>(members.size());
    for (Member m : members) {
      out.add(m.route());
    }
    return out;
  }

  private int load(Member m) {
    LongAdder a = backupLoad.get(m.route());
    return a == null ? 0 : (int) a.sum();
  }

  private void adjustLoad(List<String> removed, List<String> added) {
    removed.forEach(r -> backupLoad.computeIfAbsent(r, k -> new LongAdder()).decrement());
    added.forEach(r -> backupLoad.computeIfAbsent(r, k -> new LongAdder()).increment());
  }

  // ------------------------------------------------------------------ accessors for the parts

  String route() {
    return node.route();
  }

  Settings settings() {
    return settings;
  }

  AttributeCodec codec() {
    return codec;
  }

  Metrics metrics() {
    return node.metrics();
  }

  ImmutableTypes immutables() {
    return immutables;
  }

  /** The ordered, coalescing channel of replication requests to each backup. */
  Lanes lanes() {
    return lanes;
  }

  Messenger messenger() {
    return node.messenger();
  }

  Events events() {
    return events;
  }

  Takeover takeover() {
    return takeover;
  }

  Committer committer() {
    return committer;
  }

  BackupStore backups() {
    return backups;
  }

  LocationDirectory directory() {
    return directory;
  }

  java.util.Collection<OwnedSession> ownedSessions() {
    return owned.values();
  }

  OwnedSession owned(String id) {
    return owned.get(id);
  }

  Member member(String route) {
    return node.member(route).orElse(null);
  }

  Quorum quorum() {
    return quorum;
  }

  PartitionMerge merge() {
    return merge;
  }

  boolean isAlive(String route) {
    return node.view().contains(route);
  }

  List<Member> others() {
    List<Member> out = new ArrayList<>();
    for (Member m : node.view().members()) {
      if (!m.route().equals(route())) {
        out.add(m);
      }
    }
    return out;
  }
}
