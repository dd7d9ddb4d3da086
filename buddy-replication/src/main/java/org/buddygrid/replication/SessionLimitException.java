package org.buddygrid.replication;

/**
 * This node refused to create a session: it owns as many as {@code buddygrid.max-owned-sessions}
 * ({@link SessionGrid.Builder#maxOwnedSessions(int)}) allows. Nothing was created or sent. The
 * message names the setting; the servlet adapter answers such a request with {@code 503} and {@code
 * Retry-After}, so a balancer may try another node. Sessions this node takes over or promotes from
 * a backup are never refused for this bound (refusing them would lose them), so the count may
 * exceed it after members leave.
 */
public final class SessionLimitException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final int limit;

  public SessionLimitException(int limit) {
    super(
        "this node already owns "
            + limit
            + " sessions, the most buddygrid.max-owned-sessions allows: raise that setting (and"
            + " the heap) or add nodes");
    this.limit = limit;
  }

  /** The bound that was reached. */
  public int limit() {
    return limit;
  }
}
