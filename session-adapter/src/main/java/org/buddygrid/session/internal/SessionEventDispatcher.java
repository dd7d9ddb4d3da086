package org.buddygrid.session.internal;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.SessionListener;

/**
 * Turns the engine's {@link SessionListener} events into servlet listener calls, in the order the
 * Servlet specification gives:
 *
 * <ul>
 *   <li>{@code sessionCreated} to the {@link HttpSessionListener}s in order, {@code
 *       sessionDestroyed} in reverse order, before the attributes are unbound;
 *   <li>a value's {@link HttpSessionBindingListener#valueBound} before it can be read ({@link
 *       #valueBound}, called by the session facade), {@code valueUnbound} after it is gone, then
 *       the {@link HttpSessionAttributeListener}s (also told when the same object is set again,
 *       which is neither bound nor unbound again);
 *   <li>{@link HttpSessionActivationListener} values: {@code sessionWillPassivate} before this node
 *       hands the session to another (graceful stop, or a takeover from a live owner), {@code
 *       sessionDidActivate} after this node took it over;
 *   <li>{@link HttpSessionIdListener}s after an id change.
 * </ul>
 *
 * <p>Events can come from request threads, the expiry sweep, or JGroups threads (a hand-off
 * arriving); each call runs with the web application's class loader as context class loader. A
 * listener that throws is logged and the others are still called. Shared by filter mode and the
 * Tomcat manager: give it the facade that wraps a {@link GridSession} as the mode's {@link
 * HttpSession}.
 */
public final class SessionEventDispatcher implements SessionListener {
  private static final System.Logger LOG = System.getLogger(SessionEventDispatcher.class.getName());

  private final SessionListenerRegistry registry;
  private final Function<GridSession, HttpSession> sessions;
  private final ClassLoader loader;

  public SessionEventDispatcher(
      SessionListenerRegistry registry,
      Function<GridSession, HttpSession> sessions,
      ClassLoader loader) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.loader = loader;
  }

  /**
   * Tells a value that it is being bound, before it is stored; a facade calls this unless {@code
   * value} is the one already stored under {@code name}.
   */
  public static void valueBound(HttpSession session, String name, Object value) {
    if (value instanceof HttpSessionBindingListener l) {
      l.valueBound(new HttpSessionBindingEvent(session, name, value));
    }
  }

  @Override
  public void sessionCreated(GridSession session) {
    List<HttpSessionListener> ls = registry.sessionListeners();
    if (!ls.isEmpty()) {
      HttpSessionEvent event = new HttpSessionEvent(sessions.apply(session));
      run(() -> each(ls, l -> l.sessionCreated(event)));
    }
  }

  @Override
  public void sessionDestroyed(GridSession session, Ending ending) {
    List<HttpSessionListener> ls = registry.sessionListeners();
    if (!ls.isEmpty()) {
      HttpSessionEvent event = new HttpSessionEvent(sessions.apply(session));
      List<HttpSessionListener> reversed = new ArrayList<>(ls);
      Collections.reverse(reversed);
      run(() -> each(reversed, l -> l.sessionDestroyed(event)));
    }
  }

  @Override
  public void attributeAdded(GridSession session, String name, Object value) {
    List<HttpSessionAttributeListener> ls = registry.attributeListeners();
    if (!ls.isEmpty()) {
      HttpSessionBindingEvent event =
          new HttpSessionBindingEvent(sessions.apply(session), name, value);
      run(() -> each(ls, l -> l.attributeAdded(event)));
    }
  }

  @Override
  public void attributeReplaced(GridSession session, String name, Object oldValue) {
    attributeReplaced(session, name, oldValue, null);
  }

  /**
   * {@code valueUnbound} of the old value unless it was set again itself (it stays bound), then
   * {@code attributeReplaced} with the old value, as the Servlet API says (also when the same
   * object was set again: every {@code setAttribute} is told).
   */
  @Override
  public void attributeReplaced(
      GridSession session, String name, Object oldValue, Object newValue) {
    List<HttpSessionAttributeListener> ls = registry.attributeListeners();
    boolean unbind = oldValue != newValue && oldValue instanceof HttpSessionBindingListener;
    if (unbind || !ls.isEmpty()) {
      HttpSessionBindingEvent event =
          new HttpSessionBindingEvent(sessions.apply(session), name, oldValue);
      run(
          () -> {
            if (unbind) {
              unbound(oldValue, event);
            }
            each(ls, l -> l.attributeReplaced(event));
          });
    }
  }

  @Override
  public void attributeRemoved(GridSession session, String name, Object oldValue) {
    List<HttpSessionAttributeListener> ls = registry.attributeListeners();
    if (oldValue instanceof HttpSessionBindingListener || !ls.isEmpty()) {
      HttpSessionBindingEvent event =
          new HttpSessionBindingEvent(sessions.apply(session), name, oldValue);
      run(
          () -> {
            unbound(oldValue, event);
            each(ls, l -> l.attributeRemoved(event));
          });
    }
  }

  @Override
  public void sessionWillPassivate(GridSession session) {
    activation(session, HttpSessionActivationListener::sessionWillPassivate);
  }

  @Override
  public void sessionDidActivate(GridSession session) {
    activation(session, HttpSessionActivationListener::sessionDidActivate);
  }

  @Override
  public void sessionIdChanged(GridSession session, String oldId) {
    List<HttpSessionIdListener> ls = registry.idListeners();
    if (!ls.isEmpty()) {
      HttpSessionEvent event = new HttpSessionEvent(sessions.apply(session));
      run(() -> each(ls, l -> l.sessionIdChanged(event, oldId)));
    }
  }

  private interface ActivationCall {
    void call(HttpSessionActivationListener listener, HttpSessionEvent event);
  }

  private void activation(GridSession session, ActivationCall call) {
    run(
        () -> {
          HttpSessionEvent event = null;
          for (String name : session.attributeNames()) {
            if (session.getAttribute(name) instanceof HttpSessionActivationListener l) {
              if (event == null) {
                event = new HttpSessionEvent(sessions.apply(session));
              }
              HttpSessionEvent e = event;
              guarded(l, () -> call.call(l, e));
            }
          }
        });
  }

  private static void unbound(Object value, HttpSessionBindingEvent event) {
    if (value instanceof HttpSessionBindingListener l) {
      guarded(l, () -> l.valueUnbound(event));
    }
  }

  private static <L> void each(List<L> listeners, Consumer<L> call) {
    for (L l : listeners) {
      guarded(l, () -> call.accept(l));
    }
  }

  private static void guarded(Object listener, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "session listener " + listener.getClass().getName() + " failed", e);
    }
  }

  /** Runs {@code r} with the web application's class loader as the context class loader. */
  private void run(Runnable r) {
    Thread t = Thread.currentThread();
    ClassLoader previous = t.getContextClassLoader();
    if (loader == null || previous == loader) {
      r.run();
      return;
    }
    t.setContextClassLoader(loader);
    try {
      r.run();
    } finally {
      t.setContextClassLoader(previous);
    }
  }
}
