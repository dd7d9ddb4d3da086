package org.buddygrid.replication;

import org.buddygrid.core.GridException;

/**
 * The session exists, but no node that could hand it over answered in time: typically its owner has
 * just crashed and the grid has not excluded it yet (failure detection takes seconds), so its
 * backups may not promote their copies yet. The session is neither lost nor known to be gone:
 * answer the request with a temporary error (HTTP 503 with {@code Retry-After}) and never replace
 * the client's session with a new one. A later attempt finds it promoted.
 */
public final class SessionUnavailableException extends GridException {
  private static final long serialVersionUID = 1L;

  public SessionUnavailableException(String id, String why) {
    super("session " + id + " is held in the grid but could not be taken over now (" + why + ")");
  }
}
