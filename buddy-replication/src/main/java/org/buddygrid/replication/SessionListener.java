package org.buddygrid.replication;

/**
 * Told of session and attribute events on the node where they happen. Callbacks run on the thread
 * that caused the event and should be quick; one that throws is logged and the grid carries on.
 */
public interface SessionListener {
  /** Why a session ended. */
  enum Ending {
    INVALIDATED,
    EXPIRED
  }

  default void sessionCreated(GridSession session) {}

  /** Called before the attributes are removed, so they can still be read. */
  default void sessionDestroyed(GridSession session, Ending ending) {}

  default void attributeAdded(GridSession session, String name, Object value) {}

  default void attributeReplaced(GridSession session, String name, Object oldValue) {}

  /**
   * An attribute that had a value was set. {@code newValue} is {@code oldValue} itself when the
   * same object was set again (e.g. after a change in place); that object stays bound. Calls {@link
   * #attributeReplaced(GridSession, String, Object)} unless overridden.
   */
  default void attributeReplaced(
      GridSession session, String name, Object oldValue, Object newValue) {
    attributeReplaced(session, name, oldValue);
  }

  default void attributeRemoved(GridSession session, String name, Object oldValue) {}

  /** This node is about to hand the session to another (its objects stop being served here). */
  default void sessionWillPassivate(GridSession session) {}

  /** This node has just taken the session over; its attributes were decoded here. */
  default void sessionDidActivate(GridSession session) {}

  default void sessionIdChanged(GridSession session, String oldId) {}
}
