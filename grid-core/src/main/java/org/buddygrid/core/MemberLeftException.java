package org.buddygrid.core;

/**
 * The member a request was sent to left the view (crashed, stopped or was cut off) before it
 * answered, or was not a member when the request was made. Raised as soon as the view changes, not
 * at the timeout.
 */
public final class MemberLeftException extends GridException {
  private static final long serialVersionUID = 1L;

  private final String route;

  public MemberLeftException(String route, String message) {
    super(message);
    this.route = route;
  }

  /** The route of the member that left. */
  public String route() {
    return route;
  }
}
