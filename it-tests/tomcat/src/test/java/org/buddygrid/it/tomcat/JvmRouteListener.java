package org.buddygrid.it.tomcat;

import org.apache.catalina.Context;
import org.apache.catalina.Engine;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.LifecycleListener;

/**
 * Gives the Engine of the context it listens to a {@code jvmRoute} before the context starts.
 *
 * <p>Tomcat mode takes its route from {@code <Engine jvmRoute=...>}, which a real node sets in
 * server.xml. Arquillian's embedded Tomcat builds its Engine itself and has no setting for it, so
 * each test node's {@code META-INF/context.xml} carries {@code <Listener
 * className="org.buddygrid.it.tomcat.JvmRouteListener" route="node1"/>} ahead of the Manager. It is
 * loaded from the test class path, which is the containers' class path.
 */
public class JvmRouteListener implements LifecycleListener {
  private String route;

  /** The route to set (the context.xml attribute {@code route}). */
  public void setRoute(String route) {
    this.route = route;
  }

  @Override
  public void lifecycleEvent(LifecycleEvent event) {
    if (!Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
      return;
    }
    if (route == null || route.isBlank()) {
      throw new IllegalStateException(
          "JvmRouteListener needs a route: <Listener className=\""
              + JvmRouteListener.class.getName()
              + "\" route=\"node1\"/>");
    }
    Context context = (Context) event.getLifecycle();
    ((Engine) context.getParent().getParent()).setJvmRoute(route);
  }
}
