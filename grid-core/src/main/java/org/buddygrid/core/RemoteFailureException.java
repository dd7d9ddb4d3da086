package org.buddygrid.core;

/**
 * The member answered, but its handler failed (or it had none for the request, or it could not read
 * the request). Carries the remote failure's kind and message; no remote exception object is ever
 * deserialised.
 */
public final class RemoteFailureException extends GridException {
  private static final long serialVersionUID = 1L;

  private final String route;
  private final String kind;

  public RemoteFailureException(String route, String kind, String message) {
    super(route + " failed the request (" + kind + "): " + message);
    this.route = route;
    this.kind = kind;
  }

  /** The route of the member that answered. */
  public String route() {
    return route;
  }

  /**
   * What failed: the simple class name of the remote exception, or {@code no-handler}, {@code
   * malformed}, {@code not-running}.
   */
  public String kind() {
    return kind;
  }
}
