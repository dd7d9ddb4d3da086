package org.buddygrid.session.tomcat;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The {@link HttpSession} the application gets in Tomcat mode: the attributes are the grid's, and
 * the events are Tomcat's, in {@code StandardSession}'s order. {@code setAttribute}: {@code
 * valueBound} of the new value (unless it is the value already stored, or the manager's {@code
 * notifyBindingListenerOnUnchangedValue} says so), the change, {@code valueUnbound} of the value
 * replaced, then {@code attributeAdded} or {@code attributeReplaced} (also for the same value again
 * unless {@code notifyAttributeListenerOnUnchangedValue=false}; its value is the new one when that
 * is a binding listener, as Tomcat reports it). {@code removeAttribute}: the change, {@code
 * valueUnbound}, {@code attributeRemoved}.
 *
 * <p>Every method but {@link #getId()}, {@link #getServletContext()} and the max inactive interval
 * throws {@link IllegalStateException} once the session is invalidated; the interval is accepted
 * and read back after that, as Tomcat does. Two facades are equal when they stand for the same
 * session (the id's base, which a takeover keeps).
 */
final class SessionFacade implements HttpSession {
  private final GridTomcatSession session;
  private final TomcatGrid grid;
  private volatile int lastMaxInactive;

  SessionFacade(GridTomcatSession session, TomcatGrid grid) {
    this.session = session;
    this.grid = grid;
  }

  @Override
  public long getCreationTime() {
    return session.getCreationTime();
  }

  @Override
  public String getId() {
    return session.getIdInternal();
  }

  @Override
  public long getLastAccessedTime() {
    return session.getLastAccessedTime();
  }

  @Override
  public ServletContext getServletContext() {
    return grid.servletContext();
  }

  @Override
  public void setMaxInactiveInterval(int interval) {
    lastMaxInactive = interval;
    if (!session.isAlive()) {
      return;
    }
    try {
      session.use(
          h -> {
            h.setMaxInactiveInterval(Duration.ofSeconds(interval));
            return null;
          });
    } catch (IllegalStateException ended) {
      // invalidated meanwhile: accepted, and read back, as Tomcat does
    }
  }

  @Override
  public int getMaxInactiveInterval() {
    if (session.isAlive()) {
      try {
        long seconds = session.use(h -> h.maxInactiveInterval().toSeconds());
        lastMaxInactive = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, seconds));
      } catch (IllegalStateException ended) {
        // invalidated meanwhile: the last value known
      }
    }
    return lastMaxInactive;
  }

  @Override
  public Object getAttribute(String name) {
    return session.use(
        h -> {
          if (name == null) {
            h.creationTime(); // throws once invalidated
            return null;
          }
          return h.getAttribute(name);
        });
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    return session.use(h -> Collections.enumeration(h.attributeNames()));
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
    TomcatEvents events = grid.events();
    boolean notifyBinding = grid.manager().getNotifyBindingListenerOnUnchangedValue();
    session.use(
        h -> {
          Object current = h.getAttribute(name);
          HttpSessionBindingEvent bound = null;
          if (value instanceof HttpSessionBindingListener l
              && (value != current || notifyBinding)) {
            HttpSessionBindingEvent event = new HttpSessionBindingEvent(this, name, value);
            events.guardedValue(l, () -> l.valueBound(event));
            bound = event;
          }
          Object old = events.change(() -> h.setAttribute(name, value), value);
          if (old instanceof HttpSessionBindingListener l && (old != value || notifyBinding)) {
            events.guardedValue(l, () -> l.valueUnbound(new HttpSessionBindingEvent(this, name)));
          }
          if (old == null) {
            events.added(bound != null ? bound : new HttpSessionBindingEvent(this, name, value));
          } else if (old != value || grid.manager().getNotifyAttributeListenerOnUnchangedValue()) {
            events.replaced(bound != null ? bound : new HttpSessionBindingEvent(this, name, old));
          }
          return null;
        });
  }

  @Override
  public void removeAttribute(String name) {
    session.use(
        h -> {
          if (name == null) {
            h.creationTime(); // throws once invalidated
            return null;
          }
          Object old = grid.events().change(() -> h.removeAttribute(name), null);
          if (old != null) {
            grid.events().removed(this, name, old);
          }
          return null;
        });
  }

  @Override
  public void invalidate() {
    session.use(
        h -> {
          h.invalidate();
          return null;
        });
  }

  @Override
  public boolean isNew() {
    return session.isNew();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SessionFacade other && other.session.base().equals(session.base());
  }

  @Override
  public int hashCode() {
    return session.base().hashCode();
  }

  @Override
  public String toString() {
    return "BuddyGridSession[" + getId() + "]";
  }
}
