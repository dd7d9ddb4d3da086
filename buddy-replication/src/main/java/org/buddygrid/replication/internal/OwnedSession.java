package org.buddygrid.replication.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.buddygrid.core.attribute.AttributeCodec;
import org.buddygrid.core.attribute.ContentHash;
import org.buddygrid.replication.internal.Messages.Meta;

/**
 * A session this node owns: live attribute objects, and per attribute the bytes its backups hold.
 *
 * <p>Attributes, the dirty set, timestamps and the count of uses in flight are safe to touch from
 * any thread. Epoch, version, the shipped bytes, the backup list and the set of backups owed a full
 * copy change only under {@link #lock}, which a commit holds while it encodes and sends (never
 * while it waits), so deltas leave in version order.
 */
final class OwnedSession {
  enum State {
    ACTIVE,
    MOVED,
    INVALID
  }

  final ReentrantLock lock = new ReentrantLock();
  volatile String id;
  volatile long epoch;
  volatile long version;
  volatile List<String> backups;

  /** Backups that must get a full copy at the next send (new backups, backups that lost track). */
  final Set<String> needsFull = new HashSet<>();

  final ConcurrentHashMap<String, Object> attributes = new ConcurrentHashMap<>();
  final Map<String, Shipped> shipped = new HashMap<>();
  final Set<String> dirty = ConcurrentHashMap.newKeySet();
  volatile boolean metaDirty;

  final long creationTime;
  volatile long lastAccessedTime;
  volatile int maxInactiveSeconds;
  volatile boolean isNew;

  private final AtomicInteger inFlight = new AtomicInteger();
  private final List<CompletableFuture<Void>> quietWaiters = new ArrayList<>();

  volatile State state = State.ACTIVE;
  volatile String movedTo;

  OwnedSession(
      String id,
      long epoch,
      long version,
      List<String> backups,
      long creationTime,
      long lastAccessedTime,
      int maxInactiveSeconds,
      boolean isNew) {
    this.id = id;
    this.epoch = epoch;
    this.version = version;
    this.backups = List.copyOf(backups);
    this.creationTime = creationTime;
    this.lastAccessedTime = lastAccessedTime;
    this.maxInactiveSeconds = maxInactiveSeconds;
    this.isNew = isNew;
  }

  Meta meta() {
    return new Meta(creationTime, lastAccessedTime, maxInactiveSeconds);
  }

  void acquire() {
    inFlight.incrementAndGet();
  }

  void release() {
    if (inFlight.decrementAndGet() <= 0) {
      List<CompletableFuture<Void>> waiting;
      synchronized (quietWaiters) {
        waiting = new ArrayList<>(quietWaiters);
        quietWaiters.clear();
      }
      waiting.forEach(f -> f.complete(null));
    }
  }

  int inFlight() {
    return inFlight.get();
  }

  /** Completes when no use is in flight (at once if none is). */
  CompletableFuture<Void> whenQuiet() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (quietWaiters) {
      if (inFlight.get() > 0) {
        quietWaiters.add(f);
        return f;
      }
    }
    f.complete(null);
    return f;
  }

  /** The changes to ship, collected under {@link #lock}. */
  record Delta(Map<String, byte[]> changed, List<String> removed, boolean meta) {
    boolean isEmpty() {
      return changed.isEmpty() && removed.isEmpty() && !meta;
    }
  }

  /**
   * Encodes the dirty attributes and keeps those whose bytes differ from what the backups hold;
   * records the new bytes as shipped. Must hold {@link #lock}. If encoding fails, the dirty names
   * are put back and nothing is recorded.
   */
  Delta collect(AttributeCodec codec) {
    List<String> names = new ArrayList<>(dirty);
    Map<String, byte[]> changed = new LinkedHashMap<>();
    Map<String, Shipped> newlyShipped = new HashMap<>();
    List<String> removed = new ArrayList<>();
    try {
      for (String name : names) {
        // Remove before reading: a set racing with this commit marks the name dirty again.
        dirty.remove(name);
        Object value = attributes.get(name);
        if (value == null) {
          if (shipped.containsKey(name)) {
            removed.add(name);
          }
          continue;
        }
        byte[] bytes = codec.encode(name, value);
        long hash = ContentHash.of(bytes);
        Shipped old = shipped.get(name);
        if (old == null || !old.sameAs(bytes, hash)) {
          changed.put(name, bytes);
          newlyShipped.put(name, new Shipped(hash, bytes));
        }
      }
    } catch (RuntimeException e) {
      dirty.addAll(names);
      throw e;
    }
    shipped.putAll(newlyShipped);
    removed.forEach(shipped::remove);
    boolean meta = metaDirty;
    metaDirty = false;
    return new Delta(changed, removed, meta);
  }

  /** Every shipped attribute's bytes (a full copy). Must hold {@link #lock}. */
  Map<String, byte[]> shippedBytes() {
    Map<String, byte[]> out = new LinkedHashMap<>(shipped.size() * 2);
    shipped.forEach((k, v) -> out.put(k, v.bytes()));
    return out;
  }
}
