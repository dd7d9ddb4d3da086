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
  AT_RISK,
  /**
   * {@link Timing#SYNC}: backups were asked and none answered in time, although this node's view
   * has other members. The change lives on this node only, and this node cannot tell a silent
   * backup from its own isolation: it may have been paused or cut off and excluded, with its
   * sessions promoted elsewhere at a newer epoch (a zombie), in which case this change is discarded
   * when it rejoins. Do not acknowledge it as durable (the servlet adapter answers {@code 503}). A
   * node whose view has no other member reports {@link #AT_RISK} instead.
   */
  UNCONFIRMED
}
