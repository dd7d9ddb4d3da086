package org.buddygrid.session.conformance.app;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.Collections;
import java.util.EventListener;
import java.util.List;
import java.util.TreeMap;

/**
 * The listeners the test application declares, in declaration order. Each logs to the {@link
 * EventLog} of the application that owns the session. They have public no-argument constructors so
 * that any session implementation can instantiate them from their class names.
 */
public final class SessionListeners {

  private SessionListeners() {}

  /** The listener classes, in the order the application declares them. */
  public static List<Class<? extends EventListener>> declared() {
    return List.of(
        FirstSessionListener.class,
        SecondSessionListener.class,
        AttributeEventListener.class,
        IdEventListener.class);
  }

  private static EventLog log(HttpSession session) {
    return EventLog.of(session.getServletContext());
  }

  /**
   * The attributes as a listener sees them, e.g. {@code {a=1, p=probe(x)}}, or {@code {ISE}} if the
   * session refuses to show them.
   */
  static String attributesOf(HttpSession session) {
    try {
      TreeMap<String, String> seen = new TreeMap<>();
      for (String name : Collections.list(session.getAttributeNames())) {
        seen.put(name, String.valueOf(session.getAttribute(name)));
      }
      return seen.toString();
    } catch (IllegalStateException e) {
      return "{ISE}";
    }
  }

  /** Logs {@code created@first} and {@code destroyed@first{attributes seen}}. */
  public static final class FirstSessionListener implements HttpSessionListener {
    @Override
    public void sessionCreated(HttpSessionEvent se) {
      log(se.getSession()).add(se.getSession().getId(), "created@first");
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent se) {
      HttpSession s = se.getSession();
      log(s).add(s.getId(), "destroyed@first" + attributesOf(s));
    }
  }

  /** Logs {@code created@second} and {@code destroyed@second{attributes seen}}. */
  public static final class SecondSessionListener implements HttpSessionListener {
    @Override
    public void sessionCreated(HttpSessionEvent se) {
      log(se.getSession()).add(se.getSession().getId(), "created@second");
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent se) {
      HttpSession s = se.getSession();
      log(s).add(s.getId(), "destroyed@second" + attributesOf(s));
    }
  }

  /** Logs {@code added:name=value}, {@code replaced:name=value}, {@code removed:name=value}. */
  public static final class AttributeEventListener implements HttpSessionAttributeListener {
    @Override
    public void attributeAdded(HttpSessionBindingEvent event) {
      record("added", event);
    }

    @Override
    public void attributeReplaced(HttpSessionBindingEvent event) {
      record("replaced", event);
    }

    @Override
    public void attributeRemoved(HttpSessionBindingEvent event) {
      record("removed", event);
    }

    private static void record(String kind, HttpSessionBindingEvent event) {
      HttpSession s = event.getSession();
      log(s).add(s.getId(), kind + ":" + event.getName() + "=" + event.getValue());
    }
  }

  /** Logs {@code idChanged:from=<old id>} under the new id. */
  public static final class IdEventListener implements HttpSessionIdListener {
    @Override
    public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
      HttpSession s = event.getSession();
      log(s).add(s.getId(), "idChanged:from=" + oldSessionId);
    }
  }
}
