package org.buddygrid.session.tomcat;

import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.http.Cookie;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.ApplicationSessionCookieConfig;
import org.buddygrid.core.id.SessionId;
import org.buddygrid.session.internal.FailureResponses;
import org.buddygrid.session.internal.SessionUse.Failed;
import org.buddygrid.session.internal.SessionUse.Failure;

/**
 * One request's dealings with the grid in Tomcat mode, kept as a request note from the first pass
 * through {@link BuddyGridValve} until Tomcat recycles the request.
 *
 * <p>At each moment of commit (before the response can commit, when the valve returns, when an
 * asynchronous request completes) it commits the request's session (the one Tomcat's request holds,
 * read without looking any up) and every session opened for it, and makes sure the client gets the
 * id with this node's route: when the id the client sent names another route (a takeover, or a
 * stale route) the response carries a new session cookie, as Tomcat's {@code JvmRouteBinderValve}
 * does, so mod_jk and mod_proxy_balancer stick to the new owner. A commit that must not be
 * acknowledged replaces the response by a {@code 503} (or {@code 500}) if nothing was sent yet.
 */
final class RequestUse {
  /** The request note that holds the use. */
  static final String NOTE = RequestUse.class.getName();

  private static final System.Logger LOG = System.getLogger(RequestUse.class.getName());

  private final TomcatGrid grid;
  private final Request request;
  private final Response response;
  private final List<GridTomcatSession> held = new ArrayList<>();
  private volatile Failed failed;
  private boolean ended;

  RequestUse(TomcatGrid grid, Request request, Response response) {
    this.grid = grid;
    this.request = request;
    this.response = response;
  }

  TomcatGrid grid() {
    return grid;
  }

  /** A session opened (or taken over) for this request: its use ends with the request's commits. */
  synchronized void hold(GridTomcatSession session) {
    held.add(session);
  }

  /** The session the request holds, if it asked for one (nothing is looked up or taken over). */
  private GridTomcatSession current() {
    return grid.peek(() -> request.getSessionInternal(false)) instanceof GridTomcatSession s
        ? s
        : null;
  }

  /** Ships the request's changes; returns why they must not be acknowledged, or null. */
  private Failed commit() {
    GridTomcatSession current = current();
    Failed result = current == null ? null : current.commit();
    for (GridTomcatSession s : held) {
      if (s != current) {
        Failed f = s.commit();
        if (f != null) {
          LOG.log(Level.DEBUG, "session {0} taken over for a request: {1}", f.sessionId(), f);
        }
      }
    }
    return result;
  }

  /**
   * The response is about to commit: ships the changes and adds the cookie the client needs.
   *
   * @throws IOException if the commit failed: the response was replaced by an error
   */
  synchronized void beforeCommit() throws IOException {
    refuseIfFailed();
    if (ended) {
      return;
    }
    Failed f = commit();
    if (f != null) {
      fail(f);
      refuseIfFailed();
    }
    rewriteRoute();
  }

  /** The valve returned from an asynchronous request: ships what it changed so far. */
  synchronized void soFar() {
    try {
      beforeCommit();
    } catch (IOException e) {
      // The error response is out; the asynchronous part's output will be refused.
    }
  }

  /**
   * The request (or its asynchronous cycle) is over: ships what is left, and answers with an error
   * instead if that fails and nothing was sent yet. Later calls do nothing.
   */
  synchronized void end() {
    if (ended) {
      return;
    }
    ended = true;
    if (failed != null) {
      return;
    }
    Failed f = commit();
    held.clear();
    if (f != null) {
      if (!fail(f)) {
        grid.lateFailure(f);
      }
      return;
    }
    rewriteRoute();
  }

  /** Gives the client this node's route for its session, if it sent another. */
  private void rewriteRoute() {
    if (response.isCommitted()) {
      return;
    }
    String requested = request.getRequestedSessionId();
    if (requested == null) {
      return;
    }
    GridTomcatSession current = current();
    String id =
        current != null && current.isAlive()
            ? current.getIdInternal()
            : grid.ownedId(requested).orElse(null);
    if (id != null && !id.equals(requested) && sameBase(id, requested)) {
      request.changeSessionId(id);
    }
  }

  private static boolean sameBase(String a, String b) {
    return SessionId.parse(a).map(SessionId::base).equals(SessionId.parse(b).map(SessionId::base));
  }

  /** Replaces the response by the failure; returns whether it could still be sent. */
  private boolean fail(Failed f) {
    failed = f;
    if (f.kind() == Failure.FAILED) {
      LOG.log(Level.ERROR, "session " + f.sessionId() + " could not be committed", f.cause());
    } else {
      LOG.log(
          Level.WARNING,
          "session {0} could not be committed ({1}); answered {2}",
          f.sessionId(),
          f.kind(),
          FailureResponses.status(f.kind()));
    }
    String cookieId = f.sessionId();
    if (f.kind() != Failure.MOVED) {
      GridTomcatSession current = current();
      cookieId = current != null && current.isAlive() ? current.getIdInternal() : null;
    }
    String cookie =
        cookieId == null || cookieId.equals(request.getRequestedSessionId())
            ? null
            : cookieHeader(cookieId);
    return FailureResponses.send(response, f.kind(), cookie);
  }

  /** Tomcat's own session cookie for {@code id}, as a header value, if cookies track sessions. */
  private String cookieHeader(String id) {
    Context context = grid.context();
    if (!context
        .getServletContext()
        .getEffectiveSessionTrackingModes()
        .contains(SessionTrackingMode.COOKIE)) {
      return null;
    }
    Cookie cookie =
        ApplicationSessionCookieConfig.createSessionCookie(context, id, request.isSecure());
    return context.getCookieProcessor().generateHeader(cookie, request.getRequest());
  }

  boolean isFailed() {
    return failed != null;
  }

  /** Refuses output once the response was replaced by an error. */
  void refuseIfFailed() throws IOException {
    Failed f = failed;
    if (f != null) {
      throw new IOException(
          "the response was replaced by a "
              + FailureResponses.status(f.kind())
              + " because session "
              + f.sessionId()
              + " could not be committed ("
              + f.kind()
              + ")");
    }
  }
}
