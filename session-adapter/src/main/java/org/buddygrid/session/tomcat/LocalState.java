package org.buddygrid.session.tomcat;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.SessionListener;

/**
 * What Tomcat keeps about a session that BuddyGrid does not replicate, on the node that serves it:
 * Tomcat's notes (FORM authentication's saved request), the cached principal and auth type, the
 * access times Tomcat reports ({@code getLastAccessedTime} is when the previous request ended), and
 * Tomcat's own {@link SessionListener}s (single sign-on). It starts afresh on a node that takes the
 * session over; the attributes, creation time and max inactive interval live in the grid.
 */
final class LocalState {
  final Map<String, Object> notes = new ConcurrentHashMap<>();
  final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
  volatile Principal principal;
  volatile String authType;

  /** When the latest request that used the session here started. */
  volatile long thisAccessedTime;

  /** What {@code getLastAccessedTime} reports: the previous request (its end, by default). */
  volatile long lastAccessedTime;

  /**
   * @param lastAccessedTime the creation time of a new session, or the grid's last access of a
   *     session taken over or handed over to this node
   */
  LocalState(long lastAccessedTime) {
    this.thisAccessedTime = lastAccessedTime;
    this.lastAccessedTime = lastAccessedTime;
  }

  /** A request starts using the session. */
  void access(long now) {
    thisAccessedTime = now;
  }

  /**
   * A request that used the session ended: as Tomcat's {@code StandardSession.endAccess}, the last
   * access becomes this request's end, or its start when {@code lastAccessAtStart}.
   */
  void endAccess(long now, boolean lastAccessAtStart) {
    if (lastAccessAtStart) {
      lastAccessedTime = thisAccessedTime;
      thisAccessedTime = now;
    } else {
      thisAccessedTime = now;
      lastAccessedTime = now;
    }
  }
}
