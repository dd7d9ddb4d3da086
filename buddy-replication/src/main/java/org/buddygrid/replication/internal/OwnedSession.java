package org.buddygrid.replication.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
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

  /** Encoded bytes of each value when it was set on this node, for the session size bound. */
  final ConcurrentHashMap<String, Integer> setSizes = new ConcurrentHashMap<>();

  final Map<String, Shipped> shipped = new HashMap<>();
  final Set<String> dirty = ConcurrentHashMap.newKeySet();
  volatile boolean metaDirty;

  final long creationTime;

  /** The latest access on this node's clock: idle time (expiry) is measured from it. */
  volatile long lastAccessedTime;

  /**
   * The former owner's latest access, for a session that came here (takeover, hand-off) and has not
   * been used here yet; {@link #NO_ACCESS} otherwise.
   */
  private volatile long accessBeforeArrival = NO_ACCESS;

  private static final long NO_ACCESS = Long.MIN_VALUE;

  volatile int maxInactiveSeconds;
  volatile boolean isNew;

  private final AtomicInteger inFlight = new AtomicInteger();
  private final List<CompletableFuture<Void>> quietWaiters = new ArrayList<>();

  volatile State state = State.ACTIVE;
  volatile String movedTo;

  /**
   * Set (under {@link #lock}) while a graceful hand-off of this session waits for its target's
   * answer: no commit, end or grant may change the session meanwhile, or two nodes would own it
   * (PROTOCOL rule 5: one arbiter per ownership change). Completed and cleared when the hand-off
   * ends, either way.
   */
  volatile CompletableFuture<Void> handingOff;

  /** The target of the hand-off in progress ({@link #handingOff}). */
  volatile String handingOffTo;

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

  /** The session came here from an owner whose latest access was at {@code epochMillis}. */
  void arrivedAfterAccess(long epochMillis) {
    accessBeforeArrival = epochMillis;
  }

  /**
   * The access before the one starting now: the former owner's latest for the first use since the
   * session came here, else {@link #lastAccessedTime}.
   */
  long previousAccess() {
    long arrival = accessBeforeArrival;
    if (arrival != NO_ACCESS) {
      accessBeforeArrival = NO_ACCESS;
      return arrival;
    }
    return lastAccessedTime;
  }

  /**
   * Changes the backup list (holding {@link #lock}). Every backup must learn the new list (the
   * first live one arbitrates a takeover, PROTOCOL rule 3), so the next send is a change for all of
   * them, even without attribute changes.
   */
  void backups(List<String> list) {
    backups = List.copyOf(list);
    metaDirty = true;
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

  /** Keys of attribute groups in the shipped map start with this (no servlet name does). */
  static final String GROUP_PREFIX = "\u0000group\u0000";

  /** Attributes encoded together ({@code CrossReferences.GROUP}): member -> its group. */
  final Map<String, SortedSet<String>> groupOf = new HashMap<>();

  static String groupKey(Set<String> members) {
    return GROUP_PREFIX + String.join("\u0000", members);
  }

  static boolean isGroupKey(String key) {
    return key.startsWith(GROUP_PREFIX);
  }

  static SortedSet<String> membersOf(String groupKey) {
    return new TreeSet<>(List.of(groupKey.substring(GROUP_PREFIX.length()).split("\u0000")));
  }

  /** Reports two attributes that share an object. */
  interface CrossReferenceSink {
    void shared(String first, String second, Object shared);
  }

  /**
   * Encodes the dirty attributes and keeps those whose bytes differ from what the backups hold;
   * records the new bytes as shipped. Must hold {@link #lock}. If encoding fails, the dirty names
   * are put back and nothing is recorded.
   *
   * <p>When a commit encodes two or more attributes, objects written by reference are tracked by
   * identity across them: an object reached from two attributes is reported to {@code sink}. With
   * {@code group}, such attributes are from then on encoded together, as one value under a group
   * key, so the shared identity survives a takeover.
   */
  Delta collect(
      AttributeCodec codec, boolean group, ImmutableTypes immutables, CrossReferenceSink sink) {
    List<String> names = new ArrayList<>(dirty);
    Map<String, byte[]> changed = new LinkedHashMap<>();
    Map<String, Shipped> newlyShipped = new HashMap<>();
    Set<String> removed = new LinkedHashSet<>();
    try {
      Set<String> touched = new LinkedHashSet<>();
      for (String name : names) {
        // Remove before reading: a set racing with this commit marks the name dirty again.
        dirty.remove(name);
        touched.add(name);
        SortedSet<String> g = groupOf.get(name);
        if (g != null) {
          touched.addAll(g);
        }
      }
      IdentityHashMap<Object, String> firstSeen =
          touched.size() > 1 ? new IdentityHashMap<>() : null;
      Map<String, byte[]> individual = new LinkedHashMap<>();
      for (String name : touched) {
        Object value = attributes.get(name);
        if (value == null) {
          continue;
        }
        byte[] bytes;
        if (firstSeen == null) {
          bytes = codec.encode(name, value);
        } else {
          bytes =
              codec.encode(
                  name,
                  value,
                  o -> {
                    if (!immutables.isImmutable(o)) {
                      String first = firstSeen.putIfAbsent(o, name);
                      if (first != null && !first.equals(name)) {
                        sink.shared(first, name, o);
                        if (group) {
                          join(first, name);
                        }
                      }
                    }
                  });
        }
        individual.put(name, bytes);
      }
      Set<SortedSet<String>> groups = new LinkedHashSet<>();
      for (String name : touched) {
        SortedSet<String> g = group ? groupOf.get(name) : null;
        if (g != null) {
          groups.add(g);
          continue;
        }
        byte[] bytes = individual.get(name);
        if (bytes == null) {
          if (shipped.containsKey(name)) {
            removed.add(name);
          }
          continue;
        }
        long hash = ContentHash.of(bytes);
        Shipped old = shipped.get(name);
        if (old == null || !old.sameAs(bytes, hash)) {
          changed.put(name, bytes);
          newlyShipped.put(name, new Shipped(hash, bytes));
        }
      }
      for (SortedSet<String> g : groups) {
        String key = groupKey(g);
        Map<String, Object> values = new LinkedHashMap<>();
        for (String member : g) {
          Object v = attributes.get(member);
          if (v != null) {
            values.put(member, v);
          }
          if (shipped.containsKey(member)) {
            removed.add(member);
          }
        }
        // Older, smaller groups of these members are gone.
        for (String k : shipped.keySet()) {
          if (isGroupKey(k) && !k.equals(key) && !java.util.Collections.disjoint(membersOf(k), g)) {
            removed.add(k);
          }
        }
        byte[] bytes = codec.encode(String.join("+", g), values);
        long hash = ContentHash.of(bytes);
        Shipped old = shipped.get(key);
        if (old == null || !old.sameAs(bytes, hash)) {
          changed.put(key, bytes);
          newlyShipped.put(key, new Shipped(hash, bytes));
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
    return new Delta(changed, new ArrayList<>(removed), meta);
  }

  /** Puts two attributes (and their groups) into one group. */
  private void join(String a, String b) {
    SortedSet<String> merged = new TreeSet<>();
    merged.add(a);
    merged.add(b);
    SortedSet<String> ga = groupOf.get(a);
    SortedSet<String> gb = groupOf.get(b);
    if (ga != null) {
      merged.addAll(ga);
    }
    if (gb != null) {
      merged.addAll(gb);
    }
    SortedSet<String> frozen = java.util.Collections.unmodifiableSortedSet(merged);
    for (String m : merged) {
      groupOf.put(m, frozen);
    }
  }

  /** Every shipped attribute's bytes (a full copy). Must hold {@link #lock}. */
  Map<String, byte[]> shippedBytes() {
    Map<String, byte[]> out = new LinkedHashMap<>(shipped.size() * 2);
    shipped.forEach((k, v) -> out.put(k, v.bytes()));
    return out;
  }
}
