package org.buddygrid.replication;

/** When a session's changes reach its backups. */
public enum Timing {
  /**
   * At commit, and {@link GridSession#commit()} returns once every live backup applied them: a
   * single node failure loses no acknowledged change.
   */
  SYNC,
  /** Sent at commit without waiting: faster, but a crash right after a commit can lose it. */
  ASYNC,
  /** Dirty sessions are flushed every flush interval; several commits travel as one delta. */
  INTERVAL
}
