package org.buddygrid.session.tomcat;

import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What Tomcat-mode tests observe: a session listener the context declares (Tomcat instantiates it
 * and tells it about BuddyGrid sessions as about its own), and attribute values that hear when
 * their session moves between nodes. Every event is {@code kind:label:sessionId}.
 */
public final class Recorder implements HttpSessionListener {
  static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void sessionCreated(HttpSessionEvent se) {
    EVENTS.add("created:" + se.getSession().getId());
  }

  @Override
  public void sessionDestroyed(HttpSessionEvent se) {
    EVENTS.add("destroyed:" + se.getSession().getId());
  }

  /** The events about sessions with this id base, in order. */
  static List<String> of(String base) {
    synchronized (EVENTS) {
      return EVENTS.stream().filter(e -> e.contains(base)).toList();
    }
  }

  /** A session value that wants to know when its session moves between nodes. */
  public static final class Tracked implements HttpSessionActivationListener {
    String label;

    public Tracked() {}

    Tracked(String label) {
      this.label = label;
    }

    @Override
    public void sessionWillPassivate(HttpSessionEvent se) {
      EVENTS.add("passivate:" + label + ":" + se.getSession().getId());
    }

    @Override
    public void sessionDidActivate(HttpSessionEvent se) {
      EVENTS.add("activate:" + label + ":" + se.getSession().getId());
    }

    @Override
    public String toString() {
      return "tracked(" + label + ")";
    }
  }

  /** An application type stored in sessions. */
  public record Cart(String owner, List<String> items) {}
}
