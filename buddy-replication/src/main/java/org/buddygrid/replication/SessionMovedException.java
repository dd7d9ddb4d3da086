package org.buddygrid.replication;

import org.buddygrid.core.GridException;

/**
 * This node is no longer the session's owner: another node took it over (a backup answered that a
 * newer epoch exists). The change being committed is not durable and was not applied anywhere;
 * answer the request with an error (or retry it where the session now lives).
 */
public final class SessionMovedException extends GridException {
  private static final long serialVersionUID = 1L;

  private final String owner;

  public SessionMovedException(String id, String owner) {
    super("session " + id + " is owned by " + owner + " now; this node may not change it");
    this.owner = owner;
  }

  /** The route of the owner this node was told of. */
  public String owner() {
    return owner;
  }
}
