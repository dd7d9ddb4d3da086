package org.buddygrid.session.tomcat;

import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.replication.CommitResult;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.SessionMovedException;
import org.buddygrid.session.AtRiskResponse;
import org.buddygrid.session.internal.SessionUse.Failed;
import org.buddygrid.session.internal.SessionUse.Failure;

/**
 * One use of a BuddyGrid session, as Tomcat sees it: {@code Manager.findSession} and {@code
 * createSession} return a new one each time, so every request holds its own use of the grid session
 * ({@link GridSession}: counted from open to commit, which a takeover elsewhere waits for) while
 * the attributes live in the grid alone. What Tomcat keeps beside them (notes, principal, access
 * times) is the node's {@link LocalState}.
 *
 * <p>Between {@link #access()} and {@link #endAccess()} (Tomcat's bracket around a request's use)
 * changes are committed by the request: by its {@link RequestUse} before the response commits, and
 * at the latest in {@code endAccess}. Outside that bracket (the manager application, JMX, a session
 * kept by the application) every access commits itself. A use found for a session this node owns
 * opens lazily, on its first access. A listener's view ({@link #view}) commits nothing.
 */
final class GridTomcatSession extends LocalSessionParts {
  private final TomcatGrid grid;
  private final boolean counted;
  private final SessionFacade facade;
  private final AtomicBoolean touched = new AtomicBoolean();
  private volatile String id;
  private volatile GridSession handle;
  private volatile boolean gone;
  private volatile boolean bound;

  private GridTomcatSession(TomcatGrid grid, String id, GridSession handle, boolean counted) {
    super(grid.manager());
    this.grid = grid;
    this.id = id;
    this.handle = handle;
    this.counted = counted;
    this.facade = new SessionFacade(this, grid);
    touched.set(handle != null && counted);
  }

  /** A use of a session this node owns, opened on its first access. */
  static GridTomcatSession lazy(TomcatGrid grid, String id) {
    return new GridTomcatSession(grid, id, null, true);
  }

  /** A use that holds {@code handle} (a new session, or one just taken over). */
  static GridTomcatSession opened(TomcatGrid grid, GridSession handle) {
    return new GridTomcatSession(grid, handle.id(), handle, true);
  }

  /** A listener's view of a session: accesses are not tracked or committed. */
  static GridTomcatSession view(TomcatGrid grid, GridSession view) {
    return new GridTomcatSession(grid, view.id(), view, false);
  }

  /** The grid session, opened now if this use was lazy. */
  private GridSession handle() {
    GridSession h = handle;
    if (h != null) {
      return h;
    }
    synchronized (this) {
      if (handle == null) {
        if (gone) {
          throw new IllegalStateException("session " + id + " is not served here any more");
        }
        Optional<GridSession> opened = grid.open(id);
        if (opened.isEmpty()) {
          gone = true;
          throw new IllegalStateException("session " + id + " is not served here any more");
        }
        handle = opened.get();
        id = handle.id();
        touched.set(true);
      }
      return handle;
    }
  }

  /**
   * Runs one access of the application: tracked for the request's commit while a request uses this
   * session, else committed at once.
   */
  <T> T use(Function<GridSession, T> access) {
    GridSession h = handle();
    if (!counted) {
      return access.apply(h);
    }
    touched.set(true);
    try {
      return access.apply(h);
    } finally {
      touched.set(true); // a commit that ran during the access may have missed its change
      if (!bound) {
        Failed f = commit();
        if (f != null) {
          grid.lateFailure(f);
        }
      }
    }
  }

  /**
   * Ships what this use changed, if it accessed the session since its last commit (the grid then no
   * longer counts it as in flight until its next access).
   *
   * @return {@code null}, or why the change must not be acknowledged to the client
   */
  synchronized Failed commit() {
    GridSession h = handle;
    if (h == null || !counted || !touched.getAndSet(false)) {
      return null;
    }
    String current = h.id();
    try {
      CommitResult result = h.commit();
      if (result == CommitResult.UNCONFIRMED) {
        grid.atRisk(current);
        return new Failed(Failure.UNCONFIRMED, current, null);
      }
      if (result == CommitResult.AT_RISK) {
        grid.atRisk(current);
        if (grid.atRiskResponse() == AtRiskResponse.UNAVAILABLE) {
          return new Failed(Failure.AT_RISK, current, null);
        }
      }
      return null;
    } catch (SessionMovedException e) {
      return new Failed(Failure.MOVED, h.id(), e); // the id names the new owner now
    } catch (RuntimeException e) {
      return new Failed(Failure.FAILED, current, e);
    }
  }

  /** The grid's last word on whether this session is still alive (no network). */
  boolean isAlive() {
    GridSession h = handle;
    if (h != null) {
      return h.isValid();
    }
    return !gone && grid.isOwner(id);
  }

  @Override
  LocalState local() {
    return grid.localOrTransient(getIdInternal());
  }

  TomcatGrid grid() {
    return grid;
  }

  /** Gives the session a new id in the grid (its backups and listeners are told). */
  String changeId() {
    return use(GridSession::changeId);
  }

  // ---------------------------------------------------------------- org.apache.catalina.Session

  @Override
  public long getCreationTime() {
    return use(h -> h.creationTime().toEpochMilli());
  }

  @Override
  public long getCreationTimeInternal() {
    try {
      return use(h -> h.creationTime().toEpochMilli());
    } catch (IllegalStateException ended) {
      return 0L;
    }
  }

  @Override
  public String getId() {
    return getIdInternal();
  }

  @Override
  public String getIdInternal() {
    GridSession h = handle;
    return h != null ? h.id() : id;
  }

  /**
   * BuddyGrid chooses session ids, never Tomcat: use {@code Manager.rotateSessionId}.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public void setId(String id) {
    setId(id, true);
  }

  /**
   * BuddyGrid chooses session ids, never Tomcat: use {@code Manager.rotateSessionId}.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public void setId(String id, boolean notify) {
    throw new UnsupportedOperationException(
        "BuddyGrid chooses session ids; use Manager.rotateSessionId(session)");
  }

  @Override
  public long getThisAccessedTime() {
    return use(h -> local().thisAccessedTime);
  }

  @Override
  public long getThisAccessedTimeInternal() {
    return local().thisAccessedTime;
  }

  @Override
  public long getLastAccessedTime() {
    return use(
        h -> {
          h.lastAccessedTime(); // throws once the session is invalidated
          return local().lastAccessedTime;
        });
  }

  @Override
  public long getLastAccessedTimeInternal() {
    return local().lastAccessedTime;
  }

  @Override
  public long getIdleTime() {
    return use(h -> getIdleTimeInternal());
  }

  @Override
  public long getIdleTimeInternal() {
    LocalState l = local();
    long since =
        grid.manager().getSessionLastAccessAtStart() ? l.lastAccessedTime : l.thisAccessedTime;
    return System.currentTimeMillis() - since;
  }

  @Override
  public int getMaxInactiveInterval() {
    return facade.getMaxInactiveInterval();
  }

  @Override
  public void setMaxInactiveInterval(int interval) {
    facade.setMaxInactiveInterval(interval);
  }

  /** Whether no client has come back with the session yet (the grid's answer). */
  public boolean isNew() {
    return use(GridSession::isNew);
  }

  @Override
  public HttpSession getSession() {
    return facade;
  }

  @Override
  public boolean isValid() {
    return isAlive();
  }

  /** Tomcat's request starts using this session: it is tracked until {@link #endAccess()}. */
  @Override
  public void access() {
    if (!counted) {
      return;
    }
    try {
      handle();
    } catch (IllegalStateException gone) {
      return; // moved away since it was found: isValid() says so now
    }
    bound = true;
    local().access(System.currentTimeMillis());
  }

  /**
   * Tomcat recycles the request that used this session: what it changed since its last commit is
   * committed now (after the response), and later accesses commit themselves.
   */
  @Override
  public void endAccess() {
    if (!counted) {
      return;
    }
    bound = false;
    if (handle != null && handle.isValid()) {
      local().endAccess(System.currentTimeMillis(), grid.manager().getSessionLastAccessAtStart());
    }
    Failed f = commit();
    if (f != null) {
      grid.lateFailure(f);
    }
  }

  /** Ends the session (Tomcat's JMX operations, single sign-on logout); no-op if it has ended. */
  @Override
  public void expire() {
    if (isAlive()) {
      use(
          h -> {
            if (h.isValid()) {
              h.invalidate();
            }
            return null;
          });
    }
  }

  /** The id's base: the session's identity across nodes (a takeover changes only the route). */
  String base() {
    String current = getIdInternal();
    return SessionId.parse(current).map(SessionId::base).orElse(current);
  }

  @Override
  public String toString() {
    return "GridTomcatSession[" + getIdInternal() + "]";
  }
}
