package org.buddygrid.session.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.replication.CommitResult;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.SessionMovedException;
import org.buddygrid.replication.SessionUnavailableException;
import org.buddygrid.session.AtRiskResponse;

/**
 * One request's use of its session: which id the client sent, the session it stands for (opened,
 * and taken over if another node held it, only when the application asks), a new one when asked to
 * create, and the commits that ship the changes.
 *
 * <p>An id the client sent is used only if it is well formed and the grid holds its session; a
 * malformed one is counted ({@code ids.rejected}) and treated as none, and a new session always
 * gets a new id (no fixation). Every access through the facade marks the use as touched; {@link
 * #commit} ships only touched uses, so untouched requests cost nothing and a takeover elsewhere
 * after an early commit does not fail the end of an unrelated request. Accesses after {@link
 * #finish()} (an application that kept the session, a WebSocket endpoint) commit themselves.
 * Thread-safe: asynchronous requests may use it from several threads.
 */
public final class SessionUse implements SessionAccess {
  /** The request attribute under which a request's use is kept. */
  public static final String ATTRIBUTE = SessionUse.class.getName();

  private static final String DELETED = "";

  /** Why a commit must not be acknowledged. */
  public enum Failure {
    /** Another node owns the session now; the change is not durable. */
    MOVED,
    /** Fewer backups than configured hold the change, and the settings refuse that. */
    AT_RISK,
    /** No backup confirmed the change although other members are there (maybe this is a zombie). */
    UNCONFIRMED,
    /** The commit failed otherwise (an attribute could not be encoded, ...). */
    FAILED
  }

  /** A commit that failed: the kind, the session id to give the client, and the cause. */
  public record Failed(Failure kind, String sessionId, RuntimeException cause) {}

  private final WebAppGrid app;
  private final HttpServletRequest request;
  private final String requestedId;
  private final boolean fromCookie;
  private final boolean fromUrl;
  private final String openId;
  private final AtomicBoolean touched = new AtomicBoolean();
  private SessionUnavailableException unavailable;
  private boolean resolved;
  private GridHttpSession session;
  private String cookieWritten;
  private volatile boolean finished;

  private SessionUse(
      WebAppGrid app,
      HttpServletRequest request,
      String requestedId,
      boolean fromCookie,
      boolean fromUrl,
      String openId,
      String cookieWritten) {
    this.app = app;
    this.request = request;
    this.requestedId = requestedId;
    this.fromCookie = fromCookie;
    this.fromUrl = fromUrl;
    this.openId = openId;
    this.cookieWritten = cookieWritten;
  }

  /**
   * The use of a request that has just arrived: the requested id is the first well-formed session
   * cookie this node owns, else the first well-formed one, else (with URL rewriting) the {@code
   * ;jsessionid=} path parameter.
   */
  public static SessionUse start(WebAppGrid app, HttpServletRequest request) {
    String chosen = null;
    String firstValid = null;
    List<String> values = app.cookies().values(request);
    // Which one this node owns only matters when there are several (cookies of other paths).
    boolean several = values.size() > 1;
    for (String v : values) {
      if (SessionId.parse(v).isEmpty()) {
        app.rejectedId();
        continue;
      }
      if (firstValid == null) {
        firstValid = v;
      }
      if (several && chosen == null && app.grid().isOwner(v)) {
        chosen = v;
      }
    }
    if (chosen == null) {
      chosen = firstValid;
    }
    if (chosen != null) {
      return new SessionUse(app, request, chosen, true, false, chosen, null);
    }
    if (app.urlRewriting()) {
      Optional<String> inUrl = SessionUrls.idFromUri(request.getRequestURI());
      if (inUrl.isPresent()) {
        if (SessionId.parse(inUrl.get()).isPresent()) {
          return new SessionUse(app, request, inUrl.get(), false, true, inUrl.get(), null);
        }
        app.rejectedId();
      }
    }
    return new SessionUse(app, request, null, false, false, null, null);
  }

  /**
   * A use that continues a finished one in a later dispatch of the same request (an error page
   * after the filter returned): it serves the session the earlier use ended with.
   */
  public SessionUse continuation(HttpServletRequest dispatched) {
    String current;
    synchronized (this) {
      current = session != null && session.isValid() ? session.getId() : openId;
    }
    return new SessionUse(
        app, dispatched, requestedId, fromCookie, fromUrl, current, cookieWritten);
  }

  public WebAppGrid app() {
    return app;
  }

  public boolean isFinished() {
    return finished;
  }

  @Override
  public void before() {
    touched.set(true);
  }

  @Override
  public void after() {
    // Set again: a commit that ran during the access may have missed its change.
    touched.set(true);
    if (finished) {
      Failed f = commit(false);
      if (f != null) {
        app.lateFailure(f);
      }
    }
  }

  /**
   * The request's session ({@code HttpServletRequest.getSession}): the requested one if the grid
   * holds it, else a new one if {@code create}.
   *
   * @throws IllegalStateException if a session must be created after the response was committed
   *     (its cookie could not be sent)
   */
  public synchronized HttpSession session(boolean create, BooleanSupplier responseCommitted) {
    resolve();
    if (session != null && session.isValid()) {
      return session;
    }
    if (!create) {
      return null;
    }
    if (responseCommitted.getAsBoolean()) {
      throw new IllegalStateException(
          "cannot create a session after the response has been committed");
    }
    endInvalidatedUse();
    GridSession created = app.grid().create();
    session = app.facade(created, this);
    touched.set(true);
    return session;
  }

  /**
   * Opens the requested session, once per request.
   *
   * @throws SessionUnavailableException if the grid holds it but could not hand it over now; again
   *     at every later call in this request, so that no new session replaces the client's
   */
  private void resolve() {
    if (unavailable != null) {
      throw unavailable;
    }
    if (resolved) {
      return;
    }
    resolved = true;
    if (openId != null) {
      try {
        app.grid()
            .open(openId)
            .ifPresent(
                s -> {
                  session = app.facade(s, this);
                  touched.set(true);
                });
      } catch (SessionUnavailableException e) {
        unavailable = e;
        throw e;
      }
    }
  }

  /** Ends the use of a session invalidated in this request before a new one replaces it. */
  private void endInvalidatedUse() {
    if (session != null) {
      try {
        session.gridSession().commit();
      } catch (RuntimeException e) {
        // An invalidated session has nothing to ship; its use is over either way.
      }
    }
  }

  /** The well-formed id the client sent, or {@code null}. */
  public String requestedId() {
    return requestedId;
  }

  public boolean isRequestedIdFromCookie() {
    return fromCookie;
  }

  public boolean isRequestedIdFromUrl() {
    return fromUrl;
  }

  /** Whether the requested id names the session this request is using (opened if need be). */
  public synchronized boolean isRequestedIdValid() {
    if (requestedId == null) {
      return false;
    }
    try {
      resolve();
    } catch (SessionUnavailableException e) {
      return false;
    }
    return session != null && session.isValid() && base(session.getId()).equals(base(requestedId));
  }

  /**
   * Gives the request's session a new id ({@code HttpServletRequest.changeSessionId}).
   *
   * @throws IllegalStateException if the request has no session
   */
  public synchronized String changeSessionId() {
    resolve();
    if (session == null || !session.isValid()) {
      throw new IllegalStateException("no session is associated with this request");
    }
    before();
    try {
      return session.gridSession().changeId();
    } finally {
      after();
    }
  }

  /**
   * Ships what the request changed, if it touched its session since the last commit. At the {@code
   * end} of a request that never asked for its session, a session this node owns is still opened
   * and committed, so its idle time restarts (any request of a session accesses it); a session
   * owned elsewhere is left where it is.
   *
   * @return {@code null}, or the failure that must not be acknowledged to the client
   */
  public synchronized Failed commit(boolean end) {
    if (end && !resolved && openId != null && app.grid().isOwner(openId)) {
      resolve();
    }
    GridHttpSession s = session;
    if (s == null || !touched.getAndSet(false)) {
      return null;
    }
    String id = s.getId();
    try {
      CommitResult result = s.gridSession().commit();
      if (result == CommitResult.UNCONFIRMED) {
        app.atRisk(id);
        return new Failed(Failure.UNCONFIRMED, id, null);
      }
      if (result == CommitResult.AT_RISK) {
        app.atRisk(id);
        if (app.atRiskResponse() == AtRiskResponse.UNAVAILABLE) {
          return new Failed(Failure.AT_RISK, id, null);
        }
      }
      return null;
    } catch (SessionMovedException e) {
      return new Failed(Failure.MOVED, s.getId(), e); // the id now names the new owner
    } catch (RuntimeException e) {
      return new Failed(Failure.FAILED, id, e);
    }
  }

  /**
   * The {@code Set-Cookie} value the response still needs, or {@code null}: the session's id when
   * the client does not have it yet (new session, takeover, id change), or a deletion when the
   * session the client's cookie named ended in this request.
   */
  public synchronized String cookieHeader(boolean secure) {
    GridHttpSession s = session;
    if (s != null && s.isValid()) {
      String id = s.getId();
      if (id.equals(cookieWritten) || (cookieWritten == null && id.equals(requestedId))) {
        return null;
      }
      cookieWritten = id;
      return app.cookies().setCookie(id, secure);
    }
    if (s != null && fromCookie && !DELETED.equals(cookieWritten)) {
      cookieWritten = DELETED;
      return app.cookies().deleteCookie(secure);
    }
    return null;
  }

  /** The response was reset: a cookie written before is gone. */
  public synchronized void cookieLost() {
    cookieWritten = null;
  }

  /**
   * {@code url} with the session id as a path parameter, when URL rewriting is on and the client
   * did not show that it returns the cookie; else {@code url} unchanged.
   */
  public String encodeUrl(String url) {
    if (!app.urlRewriting()) {
      return url;
    }
    GridHttpSession s;
    synchronized (this) {
      try {
        resolve();
      } catch (SessionUnavailableException e) {
        return url;
      }
      s = session;
    }
    if (s == null || !s.isValid()) {
      return url;
    }
    String id = s.getId();
    if (fromCookie && id.equals(requestedId)) {
      return url;
    }
    return SessionUrls.encode(url, id, request);
  }

  /** The request is over: later accesses commit on their own. */
  public void finish() {
    finished = true;
  }

  private static String base(String id) {
    int dot = id.indexOf('.');
    return dot < 0 ? id : id.substring(0, dot);
  }
}
