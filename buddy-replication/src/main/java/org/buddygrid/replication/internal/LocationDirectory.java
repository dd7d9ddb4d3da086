package org.buddygrid.replication.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.Optional;

/**
 * Where sessions are, as this node last heard: {@code base -> (owner, backups, epoch)}. Bounded
 * (least recently used entries go first) and only ever moved forward: an entry is replaced by one
 * with an equal or newer epoch, never an older one. Entries are hints; nothing reads session data
 * from here. Thread-safe.
 */
final class LocationDirectory {
  /** One location. */
  record Entry(String owner, List<String> backups, long epoch) {}

  private final Cache<String, Entry> entries;

  LocationDirectory(long maxEntries) {
    this.entries = Caffeine.newBuilder().maximumSize(maxEntries).build();
  }

  /** Records a location unless a newer epoch is already known. */
  void update(String id, String owner, List<String> backups, long epoch) {
    entries
        .asMap()
        .compute(
            id,
            (k, old) ->
                old != null && old.epoch() > epoch
                    ? old
                    : new Entry(owner, List.copyOf(backups), epoch));
  }

  /**
   * Records a location only if no entry of this epoch or newer is known: for second-hand reports
   * (merge digests) that must not displace an owner's own announcement of the same epoch.
   */
  void learn(String id, String owner, List<String> backups, long epoch) {
    entries
        .asMap()
        .compute(
            id,
            (k, old) ->
                old != null && old.epoch() >= epoch
                    ? old
                    : new Entry(owner, List.copyOf(backups), epoch));
  }

  /** Forgets a session (invalidated or expired), unless a newer epoch is known. */
  void remove(String id, long epoch) {
    entries.asMap().computeIfPresent(id, (k, old) -> old.epoch() > epoch ? old : null);
  }

  /** Forgets a session whatever its epoch (a hint that proved wrong). */
  void forget(String id) {
    entries.invalidate(id);
  }

  Optional<Entry> get(String id) {
    return Optional.ofNullable(entries.getIfPresent(id));
  }

  long size() {
    return entries.estimatedSize();
  }
}
