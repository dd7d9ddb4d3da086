package org.buddygrid.session.conformance;

import jakarta.servlet.SessionTrackingMode;
import java.util.EnumSet;
import org.apache.catalina.Context;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.Tomcat;

/**
 * Tomcat's {@code StandardManager} configured to behave, in three declared differences, the way the
 * reference does not: cookie-only session tracking, sessions saved across restarts, and the last
 * access marked at the start of a request. It exists so that the branches of the checks that other
 * modes will take are themselves proven against a real container (see {@link
 * TomcatVariantConformanceTest}), and as an example of a differences register.
 */
final class TomcatVariantMode implements SessionMode {

  private final ReferenceMode reference = new ReferenceMode();

  @Override
  public String name() {
    return "tomcat-variant";
  }

  @Override
  public void configure(Tomcat tomcat, Context context, ModeSettings settings) {
    reference.configure(tomcat, context, settings);
    StandardManager manager = (StandardManager) context.getManager();
    manager.setPathname("SESSIONS.ser");
    manager.setSessionLastAccessAtStart(true);
    context.addServletContainerInitializer(
        (classes, servletContext) ->
            servletContext.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.COOKIE)),
        null);
  }

  @Override
  public Differences differences() {
    return Differences.none()
        .with(
            Property.URL_SESSION_TRACKING,
            false,
            "the application restricts session tracking to cookies, as BuddyGrid does")
        .with(
            Property.ONLY_NODE_RESTART,
            Property.OnlyNodeRestart.SESSIONS_RESTORED,
            "the manager saves sessions to SESSIONS.ser on stop (pathname set)")
        .with(
            Property.LAST_ACCESSED_TIME_MARK,
            Property.LastAccessMark.PREVIOUS_REQUEST_START,
            "the manager marks accesses when a request starts (sessionLastAccessAtStart)");
  }
}
