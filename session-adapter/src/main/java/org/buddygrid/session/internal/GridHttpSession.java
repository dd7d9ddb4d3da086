package org.buddygrid.session.internal;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Objects;
import java.util.function.Supplier;
import org.buddygrid.replication.GridSession;

/**
 * An {@link HttpSession} over a {@link GridSession}: one request's use of the session, or the
 * session as a listener sees it.
 *
 * <p>Every call into the grid session but {@code id()} and {@code isValid()} is made between {@link
 * SessionAccess#before()} and {@link SessionAccess#after()}, so whoever tracks the use knows to
 * commit it. As the Servlet specification says, every method but {@link #getId()}, {@link
 * #getServletContext()} and the max inactive interval throws {@link IllegalStateException} once the
 * session is invalidated. A {@code null} value removes the attribute; a value that is a {@code
 * HttpSessionBindingListener} is told it is bound before it can be read. A max inactive interval of
 * zero or less means the session never expires.
 *
 * <p>Two facades are equal when they stand for the same session (the id's base, which a takeover
 * keeps), so a listener that keeps the sessions it was told of in a set finds them again.
 */
public final class GridHttpSession implements HttpSession {
  private final GridSession session;
  private final ServletContext context;
  private final SessionAccess access;
  private volatile int lastMaxInactive;

  /**
   * @param access told around every access but {@link #getId()} and {@link #getServletContext()}; a
   *     listener's view passes {@link SessionAccess#NONE}
   */
  public GridHttpSession(GridSession session, ServletContext context, SessionAccess access) {
    this.session = Objects.requireNonNull(session, "session");
    this.context = context;
    this.access = Objects.requireNonNull(access, "access");
  }

  private <T> T use(Supplier<T> call) {
    access.before();
    try {
      return call.get();
    } finally {
      access.after();
    }
  }

  private void run(Runnable call) {
    access.before();
    try {
      call.run();
    } finally {
      access.after();
    }
  }

  /** The grid session underneath. */
  public GridSession gridSession() {
    return session;
  }

  /** Whether the session has not been invalidated. */
  public boolean isValid() {
    return session.isValid();
  }

  @Override
  public long getCreationTime() {
    return use(() -> session.creationTime().toEpochMilli());
  }

  @Override
  public String getId() {
    return session.id();
  }

  /**
   * When the client's previous request used the session (its start, as the Servlet API says: "the
   * time the container received the request"), or the creation time for a new session; a listener
   * is told the latest request's.
   */
  @Override
  public long getLastAccessedTime() {
    return use(() -> session.lastAccessedTime().toEpochMilli());
  }

  @Override
  public ServletContext getServletContext() {
    return context;
  }

  /** On an invalidated session: accepted and read back, changing nothing else (as Tomcat). */
  @Override
  public void setMaxInactiveInterval(int interval) {
    if (session.isValid()) {
      try {
        run(() -> session.setMaxInactiveInterval(Duration.ofSeconds(interval)));
      } catch (IllegalStateException e) {
        // invalidated meanwhile: nothing to change
      }
    }
    lastMaxInactive = interval;
  }

  @Override
  public int getMaxInactiveInterval() {
    if (session.isValid()) {
      try {
        lastMaxInactive = toInt(use(() -> session.maxInactiveInterval().toSeconds()));
      } catch (IllegalStateException e) {
        // invalidated meanwhile: the last value read
      }
    }
    return lastMaxInactive;
  }

  @Override
  public Object getAttribute(String name) {
    return use(() -> name == null ? requireValid() : session.getAttribute(name));
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    return use(() -> Collections.enumeration(session.attributeNames()));
  }

  @Override
  public void setAttribute(String name, Object value) {
    if (name == null) {
      throw new IllegalArgumentException("attribute name must not be null");
    }
    if (value == null) {
      removeAttribute(name);
      return;
    }
    run(
        () -> {
          if (session.getAttribute(name) != value) {
            SessionEventDispatcher.valueBound(this, name, value);
          }
          session.setAttribute(name, value);
        });
  }

  @Override
  public void removeAttribute(String name) {
    run(
        () -> {
          if (name == null) {
            requireValid();
          } else {
            session.removeAttribute(name);
          }
        });
  }

  @Override
  public void invalidate() {
    run(
        () -> {
          // getMaxInactiveInterval still answers afterwards, with the interval the session had.
          lastMaxInactive = toInt(session.maxInactiveInterval().toSeconds());
          session.invalidate();
        });
  }

  private static int toInt(long seconds) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, seconds));
  }

  @Override
  public boolean isNew() {
    return use(session::isNew);
  }

  /** Throws, as any access does, if the session is invalidated; else {@code null}. */
  private Object requireValid() {
    session.creationTime();
    return null;
  }

  private String base() {
    String id = session.id();
    int dot = id.indexOf('.');
    return dot < 0 ? id : id.substring(0, dot);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GridHttpSession other && other.base().equals(base());
  }

  @Override
  public int hashCode() {
    return base().hashCode();
  }

  @Override
  public String toString() {
    return "GridHttpSession[" + session.id() + "]";
  }
}
