package org.buddygrid.session.conformance;

import java.util.EventListener;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.buddygrid.session.tomcat.BuddyGridManager;

/**
 * Tomcat mode: {@link BuddyGridManager} as the context's manager, the route as the engine's {@code
 * jvmRoute}, the listeners declared on the context (Tomcat tells the manager's sessions about them
 * like its own), the loopback stack, and the grid's expiry sweep every {@link
 * ModeSettings#expirySweep()}.
 */
final class TomcatMode implements SessionMode {

  @Override
  public String name() {
    return "tomcat";
  }

  @Override
  public void configure(Tomcat tomcat, Context context, ModeSettings settings) {
    tomcat.getEngine().setJvmRoute(settings.route());
    for (Class<? extends EventListener> listener : settings.listeners()) {
      context.addApplicationListener(listener.getName());
    }
    BuddyGridManager manager = new BuddyGridManager();
    manager.setStack("loopback");
    manager.setCluster(settings.cluster());
    manager.setAllow(settings.attributeClasses());
    manager.setExpirySweep(settings.expirySweep().toMillis() + "ms");
    manager.setJmx("false");
    context.setManager(manager);
    context.setBackgroundProcessorDelay((int) Math.max(1, settings.expirySweep().toSeconds()));
  }

  @Override
  public Differences differences() {
    return Differences.none()
        .with(
            Property.FOREIGN_ROUTE_SUFFIX,
            Property.ForeignRoute.SAME_SESSION_COOKIE_REWRITTEN,
            "a session is keyed by its id's base; the route only tells the balancer where the"
                + " owner is, and is rewritten to this node's when it differs");
  }
}
