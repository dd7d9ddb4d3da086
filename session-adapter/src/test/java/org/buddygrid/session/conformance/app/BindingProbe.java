package org.buddygrid.session.conformance.app;

import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.io.Serializable;

/**
 * An attribute value that logs {@code bound:name=label} and {@code unbound:name=label}. It carries
 * the id of its application so it finds the {@link EventLog} wherever it is deserialised. A plain
 * serializable record: any session store can keep it.
 *
 * @param appId the application whose log gets the events
 * @param label what tells two probes apart in the log
 */
public record BindingProbe(String appId, String label)
    implements HttpSessionBindingListener, Serializable {

  @Override
  public void valueBound(HttpSessionBindingEvent event) {
    EventLog.forApp(appId)
        .add(event.getSession().getId(), "bound:" + event.getName() + "=" + label);
  }

  @Override
  public void valueUnbound(HttpSessionBindingEvent event) {
    EventLog.forApp(appId)
        .add(event.getSession().getId(), "unbound:" + event.getName() + "=" + label);
  }

  @Override
  public String toString() {
    return "probe(" + label + ")";
  }
}
