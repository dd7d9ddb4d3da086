package org.buddygrid.session.tomcat;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.catalina.Context;
import org.apache.catalina.Session;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.SessionGrid;
import org.buddygrid.session.AtRiskResponse;
import org.buddygrid.session.BuddyGridSettings;
import org.buddygrid.session.internal.SessionUse.Failed;

/**
 * One context's running grid in Tomcat mode, from the manager's start to its stop: the {@link
 * SessionGrid}, the node's {@link LocalState} of each session it serves, the requests in progress
 * on each thread, and the rule for finding sessions.
 *
 * <p>The rule: {@link #findSession} returns a session this node owns to anyone, and takes a session
 * over from another node only for a request in progress (bound by {@link BuddyGridValve} or the
 * request's own {@code getSession}). Tomcat's other callers (the access log's {@code %S}, JMX, the
 * manager application, other contexts checking a client's id) never move a session.
 */
final class TomcatGrid {
  private static final System.Logger LOG = System.getLogger(BuddyGridManager.class.getName());
  private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

  private final BuddyGridManager manager;
  private final Context context;
  private final BuddyGridSettings settings;
  private final SessionGrid grid;
  private final TomcatEvents events;
  private final Map<String, LocalState> locals = new ConcurrentHashMap<>();
  private final ThreadLocal<RequestUse> bound = new ThreadLocal<>();
  private final ThreadLocal<Boolean> peeking = new ThreadLocal<>();
  private final AtomicLong atRiskSinceWarning = new AtomicLong();
  private final AtomicLong lastAtRiskWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  private TomcatGrid(
      BuddyGridManager manager,
      Context context,
      BuddyGridSettings settings,
      SessionGrid.Builder b) {
    this.manager = manager;
    this.context = context;
    this.settings = settings;
    this.events = new TomcatEvents(this, context);
    this.grid = b.build();
  }

  /**
   * Builds and joins the context's grid (returns once it is a member), with the context's session
   * timeout unless {@code buddygrid.max-inactive} is set, and the web application's class loader
   * for attribute classes.
   */
  static TomcatGrid start(BuddyGridManager manager, Context context, BuddyGridSettings settings) {
    SessionGrid.Builder builder = settings.gridBuilder();
    if (!settings.isSet(BuddyGridSettings.MAX_INACTIVE)) {
      int minutes = context.getSessionTimeout();
      builder.defaultMaxInactive(minutes <= 0 ? Duration.ZERO : Duration.ofMinutes(minutes));
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    if (context.getLoader() != null && context.getLoader().getClassLoader() != null) {
      thread.setContextClassLoader(context.getLoader().getClassLoader());
    }
    TomcatGrid started = null;
    try {
      started = new TomcatGrid(manager, context, settings, builder);
      started.grid.addListener(started.events);
      started.grid.start();
    } catch (RuntimeException e) {
      if (started != null) {
        started.grid.closeAbruptly(); // it owns nothing yet
      }
      throw e;
    } finally {
      thread.setContextClassLoader(previous);
    }
    LOG.log(
        Level.INFO,
        "BuddyGrid Tomcat mode started for {0} as route {1} in cluster {2}",
        context.getPath().isEmpty() ? "/" : context.getPath(),
        started.grid.route(),
        settings.get(BuddyGridSettings.CLUSTER));
    return started;
  }

  BuddyGridManager manager() {
    return manager;
  }

  SessionGrid grid() {
    return grid;
  }

  BuddyGridSettings settings() {
    return settings;
  }

  TomcatEvents events() {
    return events;
  }

  ServletContext servletContext() {
    return context.getServletContext();
  }

  Context context() {
    return context;
  }

  // ---------------------------------------------------------------- finding and creating

  /**
   * The session with this id, or {@code null}: one this node owns (whatever route the id names),
   * or, for a request in progress, one taken over from the node that holds it. A request in
   * progress gets a use opened at once, which its commits end; other callers get one opened on its
   * first access.
   */
  Session findSession(String id) {
    if (id == null || Boolean.TRUE.equals(peeking.get())) {
      return null;
    }
    Optional<SessionId> parsed = SessionId.parse(id);
    if (parsed.isEmpty()) {
      grid.metrics().increment("ids.rejected");
      return null;
    }
    RequestUse use = bound.get();
    if (use == null) {
      String here = parsed.get().base() + "." + grid.route();
      return grid.isOwner(here) ? GridTomcatSession.lazy(this, here) : null;
    }
    Optional<GridSession> opened = grid.open(id);
    if (opened.isEmpty()) {
      return null;
    }
    GridTomcatSession session = GridTomcatSession.opened(this, opened.get());
    use.hold(session);
    return session;
  }

  /** A new session of this node; the listeners heard {@code sessionCreated}. */
  GridTomcatSession createSession() {
    return GridTomcatSession.opened(this, grid.create());
  }

  /** A grid session to serve here: owned already, or (for a request in progress) taken over. */
  Optional<GridSession> open(String id) {
    if (!grid.isOwner(id) && bound.get() == null) {
      return Optional.empty();
    }
    return grid.open(id);
  }

  boolean isOwner(String id) {
    return grid.isOwner(id);
  }

  /** The id this node serves the session of {@code id} under, if it owns it. */
  Optional<String> ownedId(String id) {
    return SessionId.parse(id).map(p -> p.base() + "." + grid.route()).filter(grid::isOwner);
  }

  /** A use (opened lazily, committing itself) of every session this node owns. */
  Session[] findSessions() {
    List<Session> out = new ArrayList<>();
    for (String base : locals.keySet()) {
      String id = base + "." + grid.route();
      if (grid.isOwner(id)) {
        out.add(GridTomcatSession.lazy(this, id));
      }
    }
    return out.toArray(new Session[0]);
  }

  // ---------------------------------------------------------------- requests in progress

  /** Binds a request's use to this thread; returns the one to restore with {@link #unbind}. */
  RequestUse bind(RequestUse use) {
    RequestUse previous = bound.get();
    bound.set(use);
    return previous;
  }

  void unbind(RequestUse previous) {
    if (previous == null) {
      bound.remove();
    } else {
      bound.set(previous);
    }
  }

  /**
   * Runs {@code lookup} with {@link #findSession} finding nothing (to read what a request holds).
   */
  <T> T peek(Supplier<T> lookup) {
    Boolean outer = peeking.get();
    peeking.set(Boolean.TRUE);
    try {
      return lookup.get();
    } finally {
      if (outer == null) {
        peeking.remove();
      } else {
        peeking.set(outer);
      }
    }
  }

  // ---------------------------------------------------------------- the node's local state

  private static String base(String id) {
    int dot = id.indexOf('.');
    return dot < 0 ? id : id.substring(0, dot);
  }

  /** The local state of a session that this node has just started to serve. */
  LocalState local(GridSession session) {
    return locals.computeIfAbsent(
        base(session.id()), b -> new LocalState(session.lastAccessedTime().toEpochMilli()));
  }

  /** The local state of a session, kept if this node owns it, else a throw-away one. */
  LocalState localOrTransient(String id) {
    LocalState known = locals.get(base(id));
    if (known != null) {
      return known;
    }
    long now = System.currentTimeMillis();
    return grid.isOwner(id)
        ? locals.computeIfAbsent(base(id), b -> new LocalState(now))
        : new LocalState(now);
  }

  LocalState localIfKnown(String id) {
    return locals.get(base(id));
  }

  /** The session ended: its local state goes. */
  LocalState forget(String id) {
    return locals.remove(base(id));
  }

  void renamed(String oldId, String newId) {
    LocalState l = locals.remove(base(oldId));
    if (l != null) {
      locals.put(base(newId), l);
    }
  }

  /** Drops the local state of sessions that other nodes serve now. */
  void prune() {
    locals.keySet().removeIf(base -> !grid.isOwner(base + "." + grid.route()));
  }

  HttpSession facadeOf(GridSession view) {
    return GridTomcatSession.view(this, view).getSession();
  }

  Session tomcatSessionOf(GridSession view) {
    return GridTomcatSession.view(this, view);
  }

  // ---------------------------------------------------------------- outcomes

  void expired() {
    manager.expiredOne();
  }

  AtRiskResponse atRiskResponse() {
    return settings.get(BuddyGridSettings.AT_RISK);
  }

  /**
   * A commit reached fewer backups than configured: logged at most once a minute (a lone node would
   * log every request); the grid counts every one.
   */
  void atRisk(String id) {
    atRiskSinceWarning.incrementAndGet();
    long last = lastAtRiskWarning.get();
    long now = System.nanoTime();
    if (now - last >= WARN_EVERY_NANOS && lastAtRiskWarning.compareAndSet(last, now)) {
      LOG.log(
          Level.WARNING,
          "{0}: {1} session commit(s) reached fewer backups than configured (latest: {2}); the"
              + " changes live on this node only until the backups are restored"
              + " (sessions.at-risk)",
          grid.route(),
          atRiskSinceWarning.getAndSet(0),
          id);
    }
  }

  /** A commit failed when the client could no longer be told. */
  void lateFailure(Failed f) {
    grid.metrics().increment("adapter.commits.failed-after-response");
    LOG.log(
        Level.WARNING,
        grid.route()
            + ": session "
            + f.sessionId()
            + " could not be committed after its response was sent ("
            + f.kind()
            + "); the change is not durable",
        f.cause());
  }

  // ---------------------------------------------------------------- stopping

  /**
   * Leaves the grid gracefully: every owned session is handed to another node (its activation
   * listeners hear {@code sessionWillPassivate} here, {@code sessionDidActivate} there). A node
   * alone in the grid has no one to hand them to: its sessions end as {@code StandardManager}'s do
   * on stop, and the listeners hear {@code sessionDestroyed}.
   */
  void stop() {
    try {
      if (grid.node().view().size() <= 1) {
        for (String base : List.copyOf(locals.keySet())) {
          endAlone(base + "." + grid.route());
        }
      }
    } finally {
      grid.close();
      locals.clear();
    }
  }

  private void endAlone(String id) {
    if (!grid.isOwner(id)) {
      return;
    }
    grid.open(id)
        .ifPresent(
            h -> {
              try {
                h.invalidate();
              } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "session {0} ended meanwhile: {1}", id, e.getMessage());
              } finally {
                h.commit();
              }
            });
  }
}
