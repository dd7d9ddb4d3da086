package org.buddygrid.session.conformance;

import java.util.EventListener;
import org.apache.catalina.Context;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.Tomcat;

/**
 * The reference: embedded Tomcat's own {@link StandardManager} with the listeners declared on the
 * context, the route as the engine's {@code jvmRoute}, and the background expiry sweep run every
 * {@link ModeSettings#expirySweep()} (Tomcat's default is every 10 s x 6). It declares no
 * differences: it defines the expected behaviour.
 */
public final class ReferenceMode implements SessionMode {

  @Override
  public String name() {
    return "reference";
  }

  @Override
  public void configure(Tomcat tomcat, Context context, ModeSettings settings) {
    tomcat.getEngine().setJvmRoute(settings.route());
    for (Class<? extends EventListener> listener : settings.listeners()) {
      context.addApplicationListener(listener.getName());
    }
    StandardManager manager = new StandardManager();
    manager.setProcessExpiresFrequency(1);
    context.setManager(manager);
    context.setBackgroundProcessorDelay((int) Math.max(1, settings.expirySweep().toSeconds()));
  }
}
