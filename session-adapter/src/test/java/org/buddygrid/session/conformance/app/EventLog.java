package org.buddygrid.session.conformance.app;

import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The test application's record of listener callbacks, one per deployed application (keyed by the
 * context parameter {@value #APP_PARAMETER}). Listeners and attribute values append to it; the
 * {@link EventsServlet} serves it over HTTP. It is static so that values and listeners created by
 * any session implementation (the container's, a filter's) find it without injection, and so that
 * it outlives a restart of the application.
 */
public final class EventLog {

  /** The context parameter naming the application, so the log of that application is found. */
  public static final String APP_PARAMETER = "conformance.app";

  private static final Map<String, EventLog> LOGS = new ConcurrentHashMap<>();

  /** One callback: when, on which session, and what (e.g. {@code added:a=1}). */
  public record Event(long at, String sessionId, String text) {}

  private final List<Event> events = new ArrayList<>();

  private EventLog() {}

  /** The log of the application with this id. */
  public static EventLog forApp(String appId) {
    return LOGS.computeIfAbsent(appId, id -> new EventLog());
  }

  /** The log of the application running in this servlet context. */
  public static EventLog of(ServletContext context) {
    String appId = context.getInitParameter(APP_PARAMETER);
    if (appId == null) {
      throw new IllegalStateException("context parameter " + APP_PARAMETER + " is missing");
    }
    return forApp(appId);
  }

  /** Forgets the log of this application (when its last server stopped). */
  public static void discard(String appId) {
    LOGS.remove(appId);
  }

  /** Appends one event. */
  public synchronized void add(String sessionId, String text) {
    events.add(new Event(System.currentTimeMillis(), sessionId, text));
  }

  /** The events of these sessions, in the order they happened. */
  public synchronized List<Event> forSessions(Collection<String> sessionIds) {
    return events.stream().filter(e -> sessionIds.contains(e.sessionId())).toList();
  }

  /** Forgets every event. */
  public synchronized void clear() {
    events.clear();
  }
}
