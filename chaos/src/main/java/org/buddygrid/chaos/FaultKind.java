package org.buddygrid.chaos;

import java.util.Arrays;
import java.util.Optional;

/** The faults the driver injects, each followed by its recovery and a check of every session. */
public enum FaultKind {
  /** {@code kill -9} of one node; restarted once the others have excluded it. */
  KILL("kill"),
  /**
   * {@code kill -STOP} of one node for 2-8 s, shorter than the failure detection of the tcp stack
   * (FD_ALL3, 10 s): the others keep it in their view and wait for it; then CONT.
   */
  STOP("stop"),
  /**
   * {@code kill -STOP} of one node until the others have excluded it, 2 s more, then CONT: a zombie
   * that wakes up believing in its old view and its old sessions.
   */
  ZOMBIE("zombie"),
  /** SIGTERM of one node (graceful: it hands its sessions over), then started again. */
  RESTART("restart"),
  /** {@code kill -9} of two nodes at once (needs {@code --backups 2}); both restarted. */
  DOUBLE_KILL("double-kill"),
  /** One node cut off from all the others by DISCARD (both ways) until the views split; healed. */
  PARTITION("partition");

  private final String label;

  FaultKind(String label) {
    this.label = label;
  }

  /** The name on the command line and in the report. */
  public String label() {
    return label;
  }

  static Optional<FaultKind> named(String label) {
    return Arrays.stream(values()).filter(k -> k.label.equals(label)).findFirst();
  }
}
