package org.buddygrid.session.tomcat;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.function.Consumer;
import org.apache.catalina.Context;
import org.apache.catalina.Session;
import org.apache.catalina.SessionEvent;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.SessionListener;

/**
 * Turns the grid's session events into the calls Tomcat's {@code StandardSession} makes, to the
 * listeners Tomcat knows: those of {@code web.xml}, {@code @WebListener} classes and {@code
 * addListener}/{@code addApplicationListener} (read from the context at every event, as Tomcat
 * does), Tomcat's own {@link org.apache.catalina.SessionListener}s, and attribute values that are
 * binding or activation listeners. Same order, same container events ({@code beforeSessionCreated},
 * ...), and the web application's class loader bound around each call. A listener that throws is
 * logged to the context's log and the others are still called.
 *
 * <p>Attribute changes made through a session facade are told by the facade, which knows the new
 * value; the grid's attribute events only report the value replaced to it ({@link #change}). The
 * grid's own removals, when a session ends, are told here.
 */
final class TomcatEvents implements SessionListener {
  /** The value a change replaced, as the grid reported it on this thread. */
  private static final class Capture {
    boolean fired;
    Object old;
  }

  private final TomcatGrid grid;
  private final Context context;
  private final ThreadLocal<Capture> capture = new ThreadLocal<>();

  TomcatEvents(TomcatGrid grid, Context context) {
    this.grid = grid;
    this.context = context;
  }

  /**
   * Runs a change of one attribute and returns the value it replaced (null if none), as the grid
   * reported it: atomic with the change, whatever other requests do meanwhile.
   *
   * @param unchanged what to return if the grid reported nothing (it replaced a value by itself)
   */
  Object change(Runnable change, Object unchanged) {
    Capture c = new Capture();
    Capture outer = capture.get();
    capture.set(c);
    try {
      change.run();
    } finally {
      if (outer == null) {
        capture.remove();
      } else {
        capture.set(outer);
      }
    }
    return c.fired ? c.old : unchanged;
  }

  private boolean captured(Object old) {
    Capture c = capture.get();
    if (c == null) {
      return false;
    }
    c.fired = true;
    c.old = old;
    return true;
  }

  // ---------------------------------------------------------------- the grid's events

  @Override
  public void sessionCreated(GridSession session) {
    grid.local(session);
    HttpSession facade = grid.facadeOf(session);
    bound(
        () -> {
          HttpSessionEvent event = new HttpSessionEvent(facade);
          for (Object o : lifecycleListeners()) {
            if (o instanceof HttpSessionListener l) {
              guarded(
                  l, "beforeSessionCreated", "afterSessionCreated", () -> l.sessionCreated(event));
            }
          }
        });
  }

  @Override
  public void sessionDestroyed(GridSession session, Ending ending) {
    HttpSession facade = grid.facadeOf(session);
    bound(
        () -> {
          Object[] listeners = lifecycleListeners();
          HttpSessionEvent event = new HttpSessionEvent(facade);
          for (int i = listeners.length - 1; i >= 0; i--) {
            if (listeners[i] instanceof HttpSessionListener l) {
              guarded(
                  l,
                  "beforeSessionDestroyed",
                  "afterSessionDestroyed",
                  () -> l.sessionDestroyed(event));
            }
          }
        });
    LocalState local = grid.forget(session.id());
    if (local != null && !local.listeners.isEmpty()) {
      tellTomcatListeners(local, session, Session.SESSION_DESTROYED_EVENT);
    }
    if (ending == Ending.EXPIRED) {
      grid.expired();
    }
  }

  @Override
  public void attributeAdded(GridSession session, String name, Object value) {
    captured(null);
  }

  @Override
  public void attributeReplaced(GridSession session, String name, Object oldValue) {
    captured(oldValue);
  }

  @Override
  public void attributeRemoved(GridSession session, String name, Object oldValue) {
    if (captured(oldValue) || session.isValid()) {
      return;
    }
    // The session ended: its attributes are unbound, as StandardSession.expire does.
    HttpSession facade = grid.facadeOf(session);
    bound(() -> removed(facade, name, oldValue));
  }

  @Override
  public void sessionWillPassivate(GridSession session) {
    activation(session, Session.SESSION_PASSIVATED_EVENT, true);
  }

  @Override
  public void sessionDidActivate(GridSession session) {
    grid.local(session);
    activation(session, Session.SESSION_ACTIVATED_EVENT, false);
  }

  @Override
  public void sessionIdChanged(GridSession session, String oldId) {
    grid.renamed(oldId, session.id());
    HttpSession facade = grid.facadeOf(session);
    bound(
        () -> {
          context.fireContainerEvent(
              org.apache.catalina.Context.CHANGE_SESSION_ID_EVENT,
              new String[] {oldId, session.id()});
          HttpSessionEvent event = new HttpSessionEvent(facade);
          for (Object o : eventListeners()) {
            if (o instanceof HttpSessionIdListener l) {
              guarded(l, null, null, () -> l.sessionIdChanged(event, oldId));
            }
          }
        });
  }

  private void activation(GridSession session, String tomcatEvent, boolean passivate) {
    LocalState local = grid.localIfKnown(session.id());
    if (local != null && !local.listeners.isEmpty()) {
      tellTomcatListeners(local, session, tomcatEvent);
    }
    bound(
        () -> {
          HttpSessionEvent event = null;
          for (String name : session.attributeNames()) {
            if (session.getAttribute(name) instanceof HttpSessionActivationListener l) {
              if (event == null) {
                event = new HttpSessionEvent(grid.facadeOf(session));
              }
              HttpSessionEvent e = event;
              guarded(
                  l,
                  null,
                  null,
                  () -> {
                    if (passivate) {
                      l.sessionWillPassivate(e);
                    } else {
                      l.sessionDidActivate(e);
                    }
                  });
            }
          }
        });
  }

  private void tellTomcatListeners(LocalState local, GridSession session, String type) {
    Session tomcatSession = grid.tomcatSessionOf(session);
    SessionEvent event = new SessionEvent(tomcatSession, type, null);
    for (org.apache.catalina.SessionListener l : local.listeners) {
      guarded(l, null, null, () -> l.sessionEvent(event));
    }
  }

  // ---------------------------------------------------------------- what facades tell

  /** {@code attributeAdded}, as {@code StandardSession.setAttribute} tells it. */
  void added(HttpSessionBindingEvent event) {
    attributeListeners(
        "beforeSessionAttributeAdded", "afterSessionAttributeAdded", l -> l.attributeAdded(event));
  }

  /** {@code attributeReplaced}, as {@code StandardSession.setAttribute} tells it. */
  void replaced(HttpSessionBindingEvent event) {
    attributeListeners(
        "beforeSessionAttributeReplaced",
        "afterSessionAttributeReplaced",
        l -> l.attributeReplaced(event));
  }

  /** A value left the session: {@code valueUnbound}, then {@code attributeRemoved}. */
  void removed(HttpSession session, String name, Object value) {
    HttpSessionBindingEvent event = new HttpSessionBindingEvent(session, name, value);
    if (value instanceof HttpSessionBindingListener l) {
      guarded(l, null, null, () -> l.valueUnbound(event));
    }
    attributeListeners(
        "beforeSessionAttributeRemoved",
        "afterSessionAttributeRemoved",
        l -> l.attributeRemoved(event));
  }

  /** Calls {@code r} guarded: a value's binding callback that throws is logged. */
  void guardedValue(Object value, Runnable r) {
    guarded(value, null, null, r);
  }

  private void attributeListeners(
      String before, String after, Consumer<HttpSessionAttributeListener> call) {
    for (Object o : eventListeners()) {
      if (o instanceof HttpSessionAttributeListener l) {
        guarded(l, before, after, () -> call.accept(l));
      }
    }
  }

  // ---------------------------------------------------------------- plumbing

  private Object[] lifecycleListeners() {
    Object[] l = context.getApplicationLifecycleListeners();
    return l == null ? new Object[0] : l;
  }

  private Object[] eventListeners() {
    Object[] l = context.getApplicationEventListeners();
    return l == null ? new Object[0] : l;
  }

  private void guarded(Object listener, String before, String after, Runnable call) {
    try {
      if (before != null) {
        context.fireContainerEvent(before, listener);
      }
      call.run();
      if (after != null) {
        context.fireContainerEvent(after, listener);
      }
    } catch (RuntimeException | LinkageError e) {
      if (after != null) {
        try {
          context.fireContainerEvent(after, listener);
        } catch (RuntimeException ignored) {
          // the listener's failure is what gets logged
        }
      }
      context
          .getLogger()
          .error("BuddyGrid: session listener " + listener.getClass().getName() + " failed", e);
    }
  }

  /** Runs {@code r} with the web application's class loader bound, as Tomcat does for events. */
  private void bound(Runnable r) {
    ClassLoader previous = context.bind(false, null);
    try {
      r.run();
    } finally {
      context.unbind(false, previous);
    }
  }
}
