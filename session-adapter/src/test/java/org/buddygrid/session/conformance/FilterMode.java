package org.buddygrid.session.conformance;

import java.util.stream.Collectors;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.buddygrid.session.BuddyGridInitializer;

/**
 * BuddyGrid filter mode as a web application installs it: context parameters ({@code
 * buddygrid.enabled=true}, the loopback stack, the suite's cluster, route, sweep and allow-list)
 * and {@link BuddyGridInitializer}, which embedded Tomcat does not find by scanning. The
 * application's listeners are named in {@code buddygrid.listeners} and never added to the context:
 * Tomcat would fire them itself for its own sessions, which would hide a filter that does not.
 */
final class FilterMode implements SessionMode {

  @Override
  public String name() {
    return "filter";
  }

  @Override
  public void configure(Tomcat tomcat, Context context, ModeSettings settings) {
    context.addParameter("buddygrid.enabled", "true");
    context.addParameter("buddygrid.stack", "loopback");
    context.addParameter("buddygrid.cluster", settings.cluster());
    context.addParameter("buddygrid.route", settings.route());
    context.addParameter("buddygrid.allow", settings.attributeClasses());
    context.addParameter("buddygrid.expiry-sweep", settings.expirySweep().toMillis() + "ms");
    context.addParameter("buddygrid.jmx", "false");
    context.addParameter(
        "buddygrid.listeners",
        settings.listeners().stream().map(Class::getName).collect(Collectors.joining(",")));
    context.addServletContainerInitializer(new BuddyGridInitializer(), null);
  }

  @Override
  public Differences differences() {
    return Differences.none()
        .with(
            Property.URL_SESSION_TRACKING,
            false,
            "URL rewriting is off by default (buddygrid.url-rewriting=false): ids in URLs leak"
                + " through Referer headers, logs and shared links")
        .with(
            Property.LAST_ACCESSED_TIME_MARK,
            Property.LastAccessMark.PREVIOUS_REQUEST_START,
            "the Servlet API's definition (\"the time the container received the request\"), as"
                + " Tomcat with STRICT_SERVLET_COMPLIANCE; the grid records one access per request,"
                + " when the request opens its session")
        .with(
            Property.REPLACED_VALUE_WHEN_NEW_VALUE_IS_BINDING_LISTENER,
            Property.ReplacedValue.OLD_VALUE,
            "the Servlet API says attributeReplaced reports the old value; Tomcat reports the new"
                + " one only when it is a binding listener (it reuses the valueBound event)")
        .with(
            Property.FOREIGN_ROUTE_SUFFIX,
            Property.ForeignRoute.SAME_SESSION_COOKIE_REWRITTEN,
            "sessions are keyed by the id's base; the route is the balancer's hint, which a"
                + " failover makes stale, so the client gets the session and a cookie naming the"
                + " node that serves it")
        .with(
            Property.INVALIDATED_SESSION_COOKIE,
            Property.InvalidatedCookie.DELETED,
            "the response that invalidates a session deletes its cookie, so the client stops"
                + " sending an id that every later request would look for in the grid");
  }
}
