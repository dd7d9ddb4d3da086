package org.buddygrid.replication;

/** Whether reading an attribute can count as changing it. */
public enum DirtyOnGet {
  /**
   * A value read with {@code getAttribute} is re-encoded at commit unless its type is known
   * immutable (the application may have changed it in place); it is shipped only if its bytes
   * differ from what the backups hold.
   */
  MUTABLE,
  /** Only {@code setAttribute} and {@code removeAttribute} mark an attribute changed. */
  NEVER
}
