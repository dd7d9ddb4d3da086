package org.buddygrid.replication;

/** What a commit ships. */
public enum Granularity {
  /** Only the attributes whose encoded bytes changed, and removed names. */
  ATTRIBUTE,
  /** The whole session whenever anything in it changed. */
  SESSION
}
