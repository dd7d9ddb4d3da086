package org.buddygrid.session.conformance.app;

import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * The conformance test application, deployed programmatically (no WAR): {@link ProbeServlet} at
 * {@value #PROBE_PATH}, {@link EventsServlet} at {@value #EVENTS_PATH}, and the context parameter
 * that names its {@link EventLog}. Its listeners ({@link SessionListeners#declared()}) are not
 * added here: the session mode registers them, because a filter-based session implementation must
 * be told about them while the container's own manager finds them on the context.
 */
public final class TestApp {

  /** Where the probe servlet answers, relative to the context path. */
  public static final String PROBE_PATH = "/probe";

  /** Where the event log is served, relative to the context path. */
  public static final String EVENTS_PATH = "/events";

  private TestApp() {}

  /** Adds the servlets and the application's id to a context that has not started yet. */
  public static void install(Context context, String appId) {
    context.addParameter(EventLog.APP_PARAMETER, appId);
    Tomcat.addServlet(context, "probe", new ProbeServlet());
    context.addServletMappingDecoded(PROBE_PATH, "probe");
    Tomcat.addServlet(context, "events", new EventsServlet());
    context.addServletMappingDecoded(EVENTS_PATH, "events");
  }
}
