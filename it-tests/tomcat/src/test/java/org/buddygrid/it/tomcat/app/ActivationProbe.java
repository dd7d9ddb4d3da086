package org.buddygrid.it.tomcat.app;

import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionEvent;

/**
 * A session attribute that logs its session's activation events to {@link EventLog}: {@code
 * willPassivate} on the node that lets the session go, {@code didActivate} on the node that takes
 * it.
 */
public class ActivationProbe implements HttpSessionActivationListener {
  @Override
  public void sessionWillPassivate(HttpSessionEvent event) {
    EventLog.record("willPassivate", event.getSession().getId());
  }

  @Override
  public void sessionDidActivate(HttpSessionEvent event) {
    EventLog.record("didActivate", event.getSession().getId());
  }
}
