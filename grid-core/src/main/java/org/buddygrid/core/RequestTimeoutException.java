package org.buddygrid.core;

/**
 * A member stayed in the view but did not answer within the request's timeout: it is overloaded,
 * paused (GC, SIGSTOP) or the network drops messages.
 */
public final class RequestTimeoutException extends GridException {
  private static final long serialVersionUID = 1L;

  public RequestTimeoutException(String message) {
    super(message);
  }
}
