package org.buddygrid.replication;

import java.util.List;
import java.util.Objects;

/**
 * Where a session is, as one node knows it without asking anyone ({@link SessionGrid#locate}).
 *
 * @param owner the owner's route
 * @param backups the routes of its backups, in the owner's order (the first live one arbitrates a
 *     takeover when the owner is gone)
 * @param epoch the ownership epoch this knowledge belongs to
 * @param source how this node knows: it owns the session, holds a copy, or heard a location
 */
public record SessionLocation(String owner, List<String> backups, long epoch, Source source) {
  /** How a node knows a session's location; only {@link #OWNER} is certain. */
  public enum Source {
    /** This node owns the session. */
    OWNER,
    /** This node holds a backup copy: the owner and backups the last replication named. */
    BACKUP,
    /** A location broadcast this node heard: a hint that may be out of date. */
    DIRECTORY
  }

  public SessionLocation {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(source, "source");
    backups = List.copyOf(backups);
  }
}
