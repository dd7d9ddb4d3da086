package org.buddygrid.session.conformance;

import java.util.List;
import java.util.Objects;

/**
 * One observable behaviour in which a mode may deliberately differ from the reference: its value
 * under the reference (what embedded Tomcat 10.1 does) and the checks whose expectation it decides.
 * A check reads it through {@link Differences#expected(Property)}, so a declared difference changes
 * what the check asserts instead of skipping it. To let a mode differ in a check that has no
 * property yet, add one here (with the reference's value) and use it in that check.
 *
 * @param <T> the type of the value
 */
public final class Property<T> {

  /**
   * Whether a session id in the URL ({@code ;jsessionid=}) is honoured and {@code encodeURL}
   * rewrites URLs. Tomcat's default tracking modes are COOKIE and URL: true. BuddyGrid turns URL
   * rewriting off by default (ids in URLs leak through Referer headers, logs and shared links).
   */
  public static final Property<Boolean> URL_SESSION_TRACKING =
      new Property<>(
          "urlSessionTracking",
          Boolean.TRUE,
          "sessionIdInUrlPathParameter",
          "encodeUrlOnSessionCreatingRequest",
          "encodeRedirectUrlOnSessionCreatingRequest");

  /**
   * What {@code setMaxInactiveInterval} does on an invalidated session (the Servlet API says
   * nothing). Tomcat accepts it silently, and {@code getMaxInactiveInterval} reads it back.
   */
  public static final Property<AfterInvalidate> SET_MAX_INACTIVE_INTERVAL_AFTER_INVALIDATE =
      new Property<>(
          "setMaxInactiveIntervalAfterInvalidate",
          AfterInvalidate.ACCEPTED,
          "setMaxInactiveIntervalAfterInvalidate");

  /**
   * Which moment of the previous request {@code getLastAccessedTime} reports. The Servlet API says
   * "the time the container received the request"; Tomcat (unless {@code STRICT_SERVLET_COMPLIANCE}
   * or {@code sessionLastAccessAtStart}) reports when the previous request ended, so a long request
   * looks recent.
   */
  public static final Property<LastAccessMark> LAST_ACCESSED_TIME_MARK =
      new Property<>(
          "lastAccessedTimeMark",
          LastAccessMark.PREVIOUS_REQUEST_END,
          "lastAccessedTimeMarksThePreviousRequest");

  /**
   * What {@code HttpSessionBindingEvent.getValue()} is in {@code attributeReplaced} when the new
   * value is itself an {@code HttpSessionBindingListener}. The Servlet API says the old value (and
   * Tomcat gives the old value for other values); Tomcat 10.1 reuses the event it built for {@code
   * valueBound}, so it reports the new value.
   */
  public static final Property<ReplacedValue> REPLACED_VALUE_WHEN_NEW_VALUE_IS_BINDING_LISTENER =
      new Property<>(
          "replacedValueWhenNewValueIsBindingListener",
          ReplacedValue.NEW_VALUE,
          "replacingABindingListenerBindsTheNewBeforeUnbindingTheOld",
          "replacingAPlainValueWithABindingListenerBindsIt");

  /**
   * What a client with the id {@code <base>.<other route>} gets when this node holds {@code
   * <base>.<route>}. Tomcat keys sessions by the whole id: an unknown session. BuddyGrid keys by
   * the base and treats the route as a hint for the balancer, rewritten on takeover.
   */
  public static final Property<ForeignRoute> FOREIGN_ROUTE_SUFFIX =
      new Property<>(
          "foreignRouteSuffix", ForeignRoute.UNKNOWN_SESSION, "idWithAnotherRouteSuffix");

  /**
   * What a graceful stop and start of the only node does to its sessions. Tomcat 10.1's {@code
   * StandardManager} no longer saves sessions by default ({@code pathname} is null): stopping
   * destroys them, telling the listeners, and they are gone after the start.
   */
  public static final Property<OnlyNodeRestart> ONLY_NODE_RESTART =
      new Property<>("onlyNodeRestart", OnlyNodeRestart.SESSIONS_DESTROYED, "restartOfTheOnlyNode");

  /**
   * What the response of the request that invalidated a session does with the client's session
   * cookie. Tomcat leaves it: the client keeps sending the dead id, which is refused. BuddyGrid
   * deletes it ({@code Max-Age=0}), so the client stops sending an id that every later request
   * would have to look for in the grid.
   */
  public static final Property<InvalidatedCookie> INVALIDATED_SESSION_COOKIE =
      new Property<>(
          "invalidatedSessionCookie", InvalidatedCookie.KEPT, "invalidatedIdIsNoLongerAccepted");

  /** Every property, for the register's own checks and for reports. */
  public static List<Property<?>> all() {
    return List.of(
        URL_SESSION_TRACKING,
        SET_MAX_INACTIVE_INTERVAL_AFTER_INVALIDATE,
        LAST_ACCESSED_TIME_MARK,
        REPLACED_VALUE_WHEN_NEW_VALUE_IS_BINDING_LISTENER,
        FOREIGN_ROUTE_SUFFIX,
        ONLY_NODE_RESTART,
        INVALIDATED_SESSION_COOKIE);
  }

  /** {@code setMaxInactiveInterval} on an invalidated session. */
  public enum AfterInvalidate {
    /** No exception, and the value is read back. */
    ACCEPTED,
    /** {@link IllegalStateException}. */
    THROWS_ILLEGAL_STATE
  }

  /** The moment of the previous request that {@code getLastAccessedTime} reports. */
  public enum LastAccessMark {
    /** When the previous request ended (Tomcat's default). */
    PREVIOUS_REQUEST_END,
    /**
     * When the previous request arrived or first used the session (the Servlet API's wording;
     * Tomcat with {@code sessionLastAccessAtStart=true}).
     */
    PREVIOUS_REQUEST_START
  }

  /** The value {@code attributeReplaced} reports. */
  public enum ReplacedValue {
    /** The value just set. */
    NEW_VALUE,
    /** The value replaced. */
    OLD_VALUE
  }

  /** A client presenting this node's session under another route suffix. */
  public enum ForeignRoute {
    /** No session: {@code getSession(false)} is null. */
    UNKNOWN_SESSION,
    /** The same session, and a new cookie with this node's route. */
    SAME_SESSION_COOKIE_REWRITTEN
  }

  /** The client's session cookie after the request that invalidated its session. */
  public enum InvalidatedCookie {
    /** No {@code Set-Cookie}: the client keeps the dead id. */
    KEPT,
    /** One {@code Set-Cookie} that deletes it ({@code Max-Age=0}, the same path). */
    DELETED
  }

  /** A graceful restart of the only node. */
  public enum OnlyNodeRestart {
    /**
     * Stopping destroys the session ({@code sessionDestroyed} with its attributes readable, then
     * the attributes are removed); it is gone after the start.
     */
    SESSIONS_DESTROYED,
    /**
     * Stopping saves the session ({@code sessionWillPassivate}) and starting loads it back ({@code
     * sessionDidActivate}): same id, same attributes, not new; no other listener is told.
     */
    SESSIONS_RESTORED,
    /** The session is gone after the start, and no listener was told anything. */
    SESSIONS_LOST
  }

  private final String name;
  private final T referenceValue;
  private final List<String> checks;

  private Property(String name, T referenceValue, String... checks) {
    this.name = name;
    this.referenceValue = Objects.requireNonNull(referenceValue);
    this.checks = List.of(checks);
  }

  /** The property's name, as in the differences register. */
  public String name() {
    return name;
  }

  /** What the reference does. */
  public T referenceValue() {
    return referenceValue;
  }

  /** The names of the check methods whose expectation this property decides. */
  public List<String> checks() {
    return checks;
  }

  @Override
  public String toString() {
    return name;
  }
}
