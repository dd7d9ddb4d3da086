package org.buddygrid.session.tomcat;

import java.security.Principal;
import java.util.Iterator;
import org.apache.catalina.Manager;
import org.apache.catalina.Session;
import org.apache.catalina.SessionListener;

/**
 * The parts of Tomcat's {@link Session} that BuddyGrid does not replicate, kept in the node's
 * {@link LocalState} (notes, principal, auth type, Tomcat's own listeners), and the setters by
 * which Tomcat would decide what the grid decides (creation time, "new", validity), which do
 * nothing.
 */
abstract class LocalSessionParts implements Session {
  private volatile Manager manager;

  LocalSessionParts(Manager manager) {
    this.manager = manager;
  }

  /** The node's local state of this session. */
  abstract LocalState local();

  @Override
  public String getAuthType() {
    return local().authType;
  }

  @Override
  public void setAuthType(String authType) {
    local().authType = authType;
  }

  @Override
  public Principal getPrincipal() {
    return local().principal;
  }

  @Override
  public void setPrincipal(Principal principal) {
    local().principal = principal;
  }

  @Override
  public Object getNote(String name) {
    return local().notes.get(name);
  }

  @Override
  public Iterator<String> getNoteNames() {
    return local().notes.keySet().iterator();
  }

  @Override
  public void removeNote(String name) {
    local().notes.remove(name);
  }

  @Override
  public void setNote(String name, Object value) {
    local().notes.put(name, value);
  }

  @Override
  public void addSessionListener(SessionListener listener) {
    local().listeners.add(listener);
  }

  @Override
  public void removeSessionListener(SessionListener listener) {
    local().listeners.remove(listener);
  }

  @Override
  public Manager getManager() {
    return manager;
  }

  @Override
  public void setManager(Manager manager) {
    this.manager = manager;
  }

  /** The grid keeps the creation time: Tomcat has no say in it. */
  @Override
  public void setCreationTime(long time) {}

  /** The grid decides: a session is new until a request other than the creating one uses it. */
  @Override
  public void setNew(boolean isNew) {}

  /** The grid decides whether a session is valid; Tomcat cannot make it so. */
  @Override
  public void setValid(boolean isValid) {}

  @Override
  public void recycle() {}

  /** The grid tells listeners of id changes itself ({@link TomcatEvents}): nothing to do. */
  @Override
  public void tellChangedSessionId(
      String newId,
      String oldId,
      boolean notifySessionListeners,
      boolean notifyContainerListeners) {}

  /** The grid's class policy decides, when the attribute is set. */
  @Override
  public boolean isAttributeDistributable(String name, Object value) {
    return true;
  }
}
