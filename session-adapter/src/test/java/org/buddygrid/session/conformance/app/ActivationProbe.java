package org.buddygrid.session.conformance.app;

import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionEvent;
import java.io.Serializable;

/**
 * An attribute value that logs {@code willPassivate:label} and {@code didActivate:label}. It
 * carries the id of its application so it finds the {@link EventLog} after being deserialised.
 *
 * @param appId the application whose log gets the events
 * @param label what tells two probes apart in the log
 */
public record ActivationProbe(String appId, String label)
    implements HttpSessionActivationListener, Serializable {

  @Override
  public void sessionWillPassivate(HttpSessionEvent se) {
    EventLog.forApp(appId).add(se.getSession().getId(), "willPassivate:" + label);
  }

  @Override
  public void sessionDidActivate(HttpSessionEvent se) {
    EventLog.forApp(appId).add(se.getSession().getId(), "didActivate:" + label);
  }

  @Override
  public String toString() {
    return "activation(" + label + ")";
  }
}
