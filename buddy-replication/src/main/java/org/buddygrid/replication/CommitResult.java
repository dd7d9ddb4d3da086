package org.buddygrid.replication;

/** What a {@link GridSession#commit()} achieved. */
public enum CommitResult {
  /** Nothing had changed; nothing was sent. */
  NO_CHANGE,
  /** Every live backup applied the change ({@link Timing#SYNC}). */
  REPLICATED,
  /** The change was sent and not waited for ({@link Timing#ASYNC}). */
  SENT,
  /** The change will travel with the next flush ({@link Timing#INTERVAL}). */
  QUEUED,
  /**
   * Fewer backups than configured hold the change (a backup did not answer in time, or there is no
   * other member). The data lives on this node; the session is counted in {@code sessions.at-risk}
   * until its copies are restored.
   */
  AT_RISK
}
