package org.buddygrid.replication.internal;

import java.util.Arrays;
import org.buddygrid.core.attribute.ContentHash;

/** An attribute's bytes as the backups hold them, with their hash for a cheap first comparison. */
record Shipped(long hash, byte[] bytes) {
  static Shipped of(byte[] bytes) {
    return new Shipped(ContentHash.of(bytes), bytes);
  }

  /** Whether {@code other} are the same bytes: hash first, then every byte (no collision risk). */
  boolean sameAs(byte[] other, long otherHash) {
    return hash == otherHash && Arrays.equals(bytes, other);
  }
}
