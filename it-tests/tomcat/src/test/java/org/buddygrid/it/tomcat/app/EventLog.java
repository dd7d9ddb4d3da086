package org.buddygrid.it.tomcat.app;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The session events one node saw, in order, as {@code "<event> <session id base>"}: {@code
 * created}, {@code destroyed} (this listener) and {@code willPassivate}, {@code didActivate} (from
 * {@link ActivationProbe}). Each deployment loads this class with its own class loader, so the log
 * is per node; {@link SessionServlet} serves it at {@code ?op=events}.
 */
public class EventLog implements HttpSessionListener {
  private static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  static void record(String event, String sessionId) {
    EVENTS.add(event + " " + base(sessionId));
  }

  static List<String> events() {
    return List.copyOf(EVENTS);
  }

  /** The id without its route: the part that stays the same when a session moves. */
  static String base(String sessionId) {
    int dot = sessionId.lastIndexOf('.');
    return dot < 0 ? sessionId : sessionId.substring(0, dot);
  }

  @Override
  public void sessionCreated(HttpSessionEvent event) {
    record("created", event.getSession().getId());
  }

  @Override
  public void sessionDestroyed(HttpSessionEvent event) {
    record("destroyed", event.getSession().getId());
  }
}
