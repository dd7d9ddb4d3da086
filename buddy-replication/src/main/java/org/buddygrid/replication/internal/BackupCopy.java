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
  long epoch;
  long version;
  String owner;
  List<String> backups;
  Meta meta;
  final Map<String, byte[]> attributes;

  /** When this node last heard of the session (replicate or touch), by the local clock, in ms. */
  long lastHeardMillis;

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

  /** Bytes this copy keeps alive, for the store's weigher: values, names and a fixed overhead. */
  int weight() {
    long w = 160;
    for (Map.Entry<String, byte[]> e : attributes.entrySet()) {
      w += 48 + 2L * e.getKey().length() + e.getValue().length;
    }
    return (int) Math.min(Integer.MAX_VALUE, w);
  }
}
