package org.buddygrid.replication;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * One use of a session owned by this node, from {@link SessionGrid#create()} or {@link
 * SessionGrid#open(String)} to {@link #commit()}: typically one HTTP request. Several uses of one
 * session on one node (concurrent requests) share its attributes, and each commit ships every
 * change made so far. Thread-safe.
 *
 * <p>Every method but {@link #id()}, {@link #isValid()} and {@link #commit()} throws {@link
 * IllegalStateException} once the session is invalidated, as the Servlet specification says of
 * {@code HttpSession}.
 */
public interface GridSession {
  /** {@code <base>.<route>}: the route names this node; it changes after a takeover elsewhere. */
  String id();

  Object getAttribute(String name);

  Set<String> attributeNames();

  /**
   * Sets an attribute. The value is checked at once against the class policy and the size limit.
   *
   * @throws org.buddygrid.core.attribute.ClassNotAllowedException naming the class and how to allow
   *     it
   * @throws org.buddygrid.core.attribute.AttributeTooLargeException naming the limit
   * @throws SessionTooLargeException if the session's attributes would exceed {@code
   *     buddygrid.max-session-size}; the attribute is left as it was
   */
  void setAttribute(String name, Object value);

  void removeAttribute(String name);

  Instant creationTime();

  /**
   * When the client last used the session before this use began: the start of the previous use
   * (what {@code HttpSession.getLastAccessedTime} reports, "the time the container received the
   * request"), or the creation time if there was none. It stays the same for the whole use. After a
   * takeover it is the previous owner's last access, as it knew it (on its clock; from a backup's
   * copy, as of the owner's latest batched touch). A listener's view reports the latest access.
   */
  Instant lastAccessedTime();

  /** Zero or negative: never expires. */
  Duration maxInactiveInterval();

  void setMaxInactiveInterval(Duration interval);

  /** Whether the session was created in this use and no client has come back with it yet. */
  boolean isNew();

  boolean isValid();

  /** Ends the session here and on its backups; listeners are told. */
  void invalidate();

  /**
   * Gives the session a new id (servlet {@code changeSessionId}), on its backups as well.
   *
   * @return the new id
   */
  String changeId();

  /**
   * Ships what changed since the last commit, as the grid's {@link Timing} says, and ends this use.
   * The handle may be used again after it (a new use).
   *
   * @throws SessionMovedException if another node owns the session now: the change is not durable
   */
  CommitResult commit();
}
