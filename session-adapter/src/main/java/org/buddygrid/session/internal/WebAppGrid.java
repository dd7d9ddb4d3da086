package org.buddygrid.session.internal;

import jakarta.servlet.ServletContext;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EventListener;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.SessionGrid;
import org.buddygrid.session.AtRiskResponse;
import org.buddygrid.session.BuddyGridSettings;

/**
 * One web application's session grid in filter mode: the started {@link SessionGrid}, the cookie,
 * the listeners, and what the requests of the application share. Kept as a servlet context
 * attribute from {@link #start} to {@link #close()}.
 */
public final class WebAppGrid implements AutoCloseable {
  /** The servlet context attribute that holds the running instance. */
  public static final String ATTRIBUTE = WebAppGrid.class.getName();

  private static final System.Logger LOG = System.getLogger(WebAppGrid.class.getName());
  private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

  private final ServletContext context;
  private final BuddyGridSettings settings;
  private final SessionGrid grid;
  // From the context's SessionCookieConfig, read at first use: the grid may start (in a
  // ServletContainerInitializer) before other initializers or listeners have configured it.
  private volatile SessionCookies cookies;
  // Read for every request: looked up once.
  private final boolean urlRewriting;
  private final AtRiskResponse atRiskResponse;
  private final AtomicLong atRiskSinceWarning = new AtomicLong();
  private final AtomicLong lastAtRiskWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  private WebAppGrid(ServletContext context, BuddyGridSettings settings, SessionGrid grid) {
    this.context = context;
    this.settings = settings;
    this.grid = grid;
    this.urlRewriting = settings.get(BuddyGridSettings.URL_REWRITING);
    this.atRiskResponse = settings.get(BuddyGridSettings.AT_RISK);
  }

  /**
   * Builds and starts the web application's grid (returns once it is a member), with the servlet
   * listeners of {@code declared} (from {@code buddygrid.listeners}) and any registered through the
   * API. The web application's session timeout applies unless {@code buddygrid.max-inactive} is
   * set. The codec resolves attribute classes with the web application's class loader.
   */
  public static WebAppGrid start(
      ServletContext context, BuddyGridSettings settings, List<EventListener> declared) {
    Objects.requireNonNull(context, "context");
    SessionListenerRegistry listeners = SessionListenerRegistry.of(context);
    listeners.declareAll(declared);
    SessionGrid.Builder builder = settings.gridBuilder();
    if (!settings.isSet(BuddyGridSettings.MAX_INACTIVE)) {
      sessionTimeout(context).ifPresent(builder::defaultMaxInactive);
    }
    ClassLoader loader = context.getClassLoader();
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    if (loader != null) {
      thread.setContextClassLoader(loader);
    }
    SessionGrid grid = null;
    try {
      grid = builder.build();
      grid.addListener(
          new SessionEventDispatcher(
              listeners, s -> new GridHttpSession(s, context, SessionAccess.NONE), loader));
      grid.start();
    } catch (RuntimeException e) {
      if (grid != null) {
        grid.closeAbruptly(); // it owns nothing yet
      }
      throw e;
    } finally {
      thread.setContextClassLoader(previous);
    }
    WebAppGrid app = new WebAppGrid(context, settings, grid);
    context.setAttribute(ATTRIBUTE, app);
    LOG.log(
        Level.INFO,
        "BuddyGrid filter mode started for {0} as route {1} in cluster {2}",
        context.getContextPath().isEmpty() ? "/" : context.getContextPath(),
        grid.route(),
        settings.get(BuddyGridSettings.CLUSTER));
    return app;
  }

  private static Optional<Duration> sessionTimeout(ServletContext context) {
    try {
      int minutes = context.getSessionTimeout();
      return Optional.of(minutes <= 0 ? Duration.ZERO : Duration.ofMinutes(minutes));
    } catch (UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** The running instance of {@code context}, if filter mode runs there. */
  public static Optional<WebAppGrid> of(ServletContext context) {
    return context.getAttribute(ATTRIBUTE) instanceof WebAppGrid app
        ? Optional.of(app)
        : Optional.empty();
  }

  public ServletContext context() {
    return context;
  }

  public SessionGrid grid() {
    return grid;
  }

  public SessionCookies cookies() {
    SessionCookies c = cookies;
    if (c == null) {
      c =
          SessionCookies.of(
              context,
              settings.get(BuddyGridSettings.COOKIE_SAME_SITE),
              settings.isSet(BuddyGridSettings.COOKIE_SAME_SITE));
      cookies = c; // the same value whichever thread computes it first
    }
    return c;
  }

  boolean urlRewriting() {
    return urlRewriting;
  }

  AtRiskResponse atRiskResponse() {
    return atRiskResponse;
  }

  /** A facade for one request's use of {@code session}. */
  GridHttpSession facade(GridSession session, SessionAccess access) {
    return new GridHttpSession(session, context, access);
  }

  /** Counts a malformed id a client sent (the engine's {@code ids.rejected}). */
  void rejectedId() {
    grid.metrics().increment("ids.rejected");
  }

  /**
   * A commit reported fewer backups than configured: logged at most once a minute (a lone node
   * would otherwise log every request); the engine counts every one.
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

  /** A commit failed after the response was committed: the client could not be told. */
  void lateFailure(SessionUse.Failed f) {
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

  /**
   * Leaves the grid gracefully: every owned session is handed to a live backup first (their
   * activation listeners hear {@code sessionWillPassivate}). A node alone in its grid has no one to
   * hand them to: it ends them, and the listeners hear {@code sessionDestroyed}, as with a single
   * server's session manager (and Tomcat mode). A node with peers never ends a session on stop: one
   * that could not be handed over in time lives on in its backups.
   */
  @Override
  public void close() {
    context.removeAttribute(ATTRIBUTE);
    try {
      if (grid.node().view().size() <= 1) {
        endOwnedSessions();
      }
    } finally {
      grid.close();
    }
  }

  private void endOwnedSessions() {
    for (String id : grid.ownedSessionIds()) {
      grid.open(id)
          .ifPresent(
              s -> {
                try {
                  s.invalidate();
                } catch (IllegalStateException e) {
                  // ended meanwhile
                } finally {
                  s.commit();
                }
              });
    }
  }
}
