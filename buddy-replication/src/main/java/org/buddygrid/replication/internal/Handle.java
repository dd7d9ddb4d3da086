package org.buddygrid.replication.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.buddygrid.replication.CommitResult;
import org.buddygrid.replication.DirtyOnGet;
import org.buddygrid.replication.GridSession;
import org.buddygrid.replication.SessionTooLargeException;

/**
 * One use of an owned session. A counted handle holds the session's in-flight count from its
 * creation to its commit (and again from its next use), which is what a takeover waits for.
 * Listener views are not counted.
 */
final class Handle implements GridSession {
  private final OwnedSession s;
  private final Engine engine;
  private final boolean counted;
  private final AtomicBoolean inUse = new AtomicBoolean();

  /** The access before this use began ({@link #lastAccessedTime()}); unset for listener views. */
  private volatile long accessedBefore = UNSET;

  private static final long UNSET = Long.MIN_VALUE;

  Handle(OwnedSession s, Engine engine, boolean counted) {
    this(s, engine, counted, counted);
  }

  private Handle(OwnedSession s, Engine engine, boolean counted, boolean acquire) {
    this.s = s;
    this.engine = engine;
    this.counted = counted;
    if (counted) {
      inUse.set(true);
      if (acquire) {
        s.acquire();
      }
    }
  }

  /** A counted handle for a session whose use was acquired for it already (after a takeover). */
  static Handle alreadyAcquired(OwnedSession s, Engine engine) {
    return new Handle(s, engine, true, false);
  }

  private void use() {
    if (s.state == OwnedSession.State.INVALID) {
      throw new IllegalStateException("session " + id() + " has been invalidated");
    }
    if (counted && inUse.compareAndSet(false, true)) {
      s.acquire();
    }
  }

  @Override
  public String id() {
    String owner =
        s.state == OwnedSession.State.MOVED && s.movedTo != null ? s.movedTo : engine.route();
    return s.id + "." + owner;
  }

  @Override
  public Object getAttribute(String name) {
    use();
    Object v = s.attributes.get(name);
    if (v != null
        && engine.settings().dirtyOnGet() == DirtyOnGet.MUTABLE
        && !engine.immutables().isImmutable(v)) {
      s.dirty.add(name);
    }
    return v;
  }

  @Override
  public Set<String> attributeNames() {
    use();
    return Set.copyOf(s.attributes.keySet());
  }

  @Override
  public void setAttribute(String name, Object value) {
    Objects.requireNonNull(name, "name");
    use();
    if (value == null) {
      removeAttribute(name);
      return;
    }
    // Refuse a value that could never be replicated now, on the caller's stack, not at commit.
    int size = engine.codec().encode(name, value).length;
    long total = size;
    for (Map.Entry<String, Integer> e : s.setSizes.entrySet()) {
      if (!e.getKey().equals(name)) {
        total += e.getValue();
      }
    }
    long limit = engine.settings().maxSessionSize();
    if (total > limit) {
      engine.metrics().increment("sessions.refused.size");
      throw new SessionTooLargeException(name, total, limit);
    }
    s.setSizes.put(name, size);
    Object old = s.attributes.put(name, value);
    s.dirty.add(name);
    if (old == null) {
      engine.events().added(s, name, value);
    } else {
      // Also when the same object is set again: the Servlet API tells attribute listeners of
      // every setAttribute (binding listeners are not bound again: the adapter's business).
      engine.events().replaced(s, name, old, value);
    }
  }

  @Override
  public void removeAttribute(String name) {
    use();
    s.setSizes.remove(name);
    Object old = s.attributes.remove(name);
    if (old != null) {
      s.dirty.add(name);
      engine.events().removed(s, name, old);
    }
  }

  @Override
  public Instant creationTime() {
    use();
    return Instant.ofEpochMilli(s.creationTime);
  }

  /** Sets what {@link #lastAccessedTime()} reports: the access before this use began. */
  void accessedBefore(long epochMillis) {
    accessedBefore = epochMillis;
  }

  @Override
  public Instant lastAccessedTime() {
    use();
    long before = accessedBefore;
    return Instant.ofEpochMilli(before != UNSET ? before : s.lastAccessedTime);
  }

  @Override
  public Duration maxInactiveInterval() {
    use();
    return Duration.ofSeconds(s.maxInactiveSeconds);
  }

  @Override
  public void setMaxInactiveInterval(Duration interval) {
    use();
    long seconds = interval.toSeconds();
    s.maxInactiveSeconds = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, seconds));
    s.metaDirty = true;
  }

  @Override
  public boolean isNew() {
    use();
    return s.isNew;
  }

  @Override
  public boolean isValid() {
    return s.state != OwnedSession.State.INVALID;
  }

  @Override
  public void invalidate() {
    use();
    engine.invalidate(s);
  }

  @Override
  public String changeId() {
    use();
    return engine.changeId(s);
  }

  @Override
  public CommitResult commit() {
    try {
      return engine.committer().commit(s);
    } finally {
      if (counted && inUse.compareAndSet(true, false)) {
        s.release();
      }
    }
  }

  /** Ends this use without committing (the session moved before the use began). */
  void release() {
    if (counted && inUse.compareAndSet(true, false)) {
      s.release();
    }
  }

  @Override
  public String toString() {
    return "GridSession[" + id() + "]";
  }
}
