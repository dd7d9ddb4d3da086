package org.buddygrid.replication.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.buddygrid.replication.internal.Messages.Meta;

/**
 * A backup's copy of one session: attribute bytes (never objects), metadata, {@code (epoch,
 * version)}, the owner and the backup list as the owner last sent them. Mutable, and only ever read
 * or changed inside the {@link BackupStore}'s per-key atomic operations.
 */
final class BackupCopy {
  volatile long epoch;
  volatile long version;
  volatile String owner;
  volatile List<String> backups;
  volatile Meta meta;
  final Map<String, byte[]> attributes;

  /** When this node last heard of the session (replicate or touch), by the local clock, in ms. */
  volatile long lastHeardMillis;

  /**
   * The owner's route came back as a new process (it crashed and restarted under the same route)
   * since this copy last heard from it: that process holds nothing of this session, so the copy is
   * an orphan although its owner's route is alive. Cleared when an owner replicates to it again.
   */
  volatile boolean ownerRestarted;

  BackupCopy(
      long epoch,
      long version,
      String owner,
      List<String> backups,
      Meta meta,
      Map<String, byte[]> attributes,
      long now) {
    this.epoch = epoch;
    this.version = version;
    this.owner = owner;
    this.backups = backups;
    this.meta = meta;
    this.attributes = new HashMap<>(attributes);
    this.lastHeardMillis = now;
  }

  /** The weight the store counts for this copy (kept by the store, inside its operations). */
  volatile long weighed;

  /**
   * Heap this copy keeps alive, for the store's bound, from measured layouts (JOL, JDK 17,
   * compressed oops; benchmarks/RESULTS.md): about 340 B per copy (the copy, its map, metadata,
   * backup list and the store's entry; routes and attribute names are interned) and about 64 B per
   * attribute besides the name's characters and the value's bytes.
   */
  long weight() {
    return weight(attributes);
  }

  /** The weight of a copy holding {@code attributes}. */
  static long weight(Map<String, byte[]> attributes) {
    long w = 340;
    for (Map.Entry<String, byte[]> e : attributes.entrySet()) {
      w += weight(e.getKey(), e.getValue());
    }
    return w;
  }

  /** The weight this copy would have after a delta removing {@code removed} and {@code changed}. */
  long weightAfter(Map<String, byte[]> changed, java.util.Collection<String> removed) {
    long w = weighed;
    for (String name : removed) {
      byte[] old = attributes.get(name);
      if (old != null && !changed.containsKey(name)) {
        w -= weight(name, old);
      }
    }
    for (Map.Entry<String, byte[]> e : changed.entrySet()) {
      byte[] old = attributes.get(e.getKey());
      if (old != null) {
        w -= weight(e.getKey(), old);
      }
      w += weight(e.getKey(), e.getValue());
    }
    return w;
  }

  private static long weight(String name, byte[] value) {
    return 64L + name.length() + value.length;
  }
}
