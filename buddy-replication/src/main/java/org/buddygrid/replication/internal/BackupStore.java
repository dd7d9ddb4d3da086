package org.buddygrid.replication.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.buddygrid.replication.internal.Messages.Applied;
import org.buddygrid.replication.internal.Messages.Granted;
import org.buddygrid.replication.internal.Messages.Holding;
import org.buddygrid.replication.internal.Messages.Moved;
import org.buddygrid.replication.internal.Messages.NeedFull;
import org.buddygrid.replication.internal.Messages.NoRoom;
import org.buddygrid.replication.internal.Messages.NotFound;
import org.buddygrid.replication.internal.Messages.Replicate;
import org.buddygrid.replication.internal.Messages.ReplicateReply;
import org.buddygrid.replication.internal.Messages.Stale;
import org.buddygrid.replication.internal.Messages.TakeReply;

/**
 * The sessions this node backs up, as bytes, expiring copies whose owner has neither replicated nor
 * touched them for {@code maxInactive + grace} (PROTOCOL rule 10). Every operation on one session
 * is atomic. Thread-safe.
 *
 * <p>Bounded by the total weight of its copies (values, names and a fixed overhead per copy, {@link
 * BackupCopy#weight()}), and never by dropping a copy behind its owner's back: a full copy of a
 * session it does not hold that would take the weight past {@code maxBytes} is refused with {@link
 * NoRoom}, so the owner knows and picks another backup. Copies already held keep being updated at
 * the bound (a refused delta would leave them stale), so the weight may pass {@code maxBytes} by
 * what those copies grow, up to {@link #HARD_LIMIT_FACTOR}: a copy that would grow beyond that is
 * dropped and its owner told {@link NoRoom} as well.
 */
final class BackupStore {
  /** The weight copies already held may grow to, as a multiple of the bound: 1.25. */
  static final double HARD_LIMIT_FACTOR = 1.25;

  private final String self;
  private final Clock clock;
  private final long maxBytes;
  private final long hardLimit;
  private final AtomicLong weight = new AtomicLong();
  private final Cache<String, BackupCopy> copies;

  /**
   * @param onRemoved told of copies expired, with the cause's name
   */
  BackupStore(
      String self,
      Clock clock,
      long maxBytes,
      Duration grace,
      BiConsumer<String, String> onRemoved) {
    this.self = self;
    this.clock = clock;
    this.maxBytes = maxBytes;
    this.hardLimit = (long) Math.min(Long.MAX_VALUE / 2.0, maxBytes * HARD_LIMIT_FACTOR);
    long graceNanos = grace.toNanos();
    this.copies =
        Caffeine.newBuilder()
            .ticker(() -> clock.millis() * 1_000_000L)
            .expireAfter(
                new Expiry<String, BackupCopy>() {
                  @Override
                  public long expireAfterCreate(String key, BackupCopy c, long now) {
                    return lifetime(c, graceNanos);
                  }

                  @Override
                  public long expireAfterUpdate(String key, BackupCopy c, long now, long current) {
                    return lifetime(c, graceNanos);
                  }

                  @Override
                  public long expireAfterRead(String key, BackupCopy c, long now, long current) {
                    return current;
                  }
                })
            // Runs inside the atomic removal, so the weight never counts a copy that is gone.
            .evictionListener(
                (String key, BackupCopy c, RemovalCause cause) -> {
                  if (c != null) {
                    weight.addAndGet(-c.weighed);
                  }
                  onRemoved.accept(key, cause.name());
                })
            .build();
  }

  /** Takes a new copy into the weight if it fits under the bound; says whether it did. */
  private boolean admit(BackupCopy c) {
    long w = c.weight();
    for (long held = weight.get(); ; held = weight.get()) {
      if (held + w > maxBytes) {
        return false;
      }
      if (weight.compareAndSet(held, held + w)) {
        c.weighed = w;
        return true;
      }
    }
  }

  /** Takes a copy into the weight whatever the bound (copies this node had already). */
  private BackupCopy counted(BackupCopy c) {
    c.weighed = c.weight();
    weight.addAndGet(c.weighed);
    return c;
  }

  /** Re-weighs a held copy after it changed. */
  private void reweigh(BackupCopy c) {
    long w = c.weight();
    weight.addAndGet(w - c.weighed);
    c.weighed = w;
  }

  /** Takes a copy that left the store out of the weight; returns null, for compute functions. */
  private BackupCopy uncounted(BackupCopy c) {
    weight.addAndGet(-c.weighed);
    c.weighed = 0;
    return null;
  }

  private NoRoom noRoom() {
    return new NoRoom(Math.max(0, weight.get()), maxBytes);
  }

  /**
   * Whether a held copy growing to {@code newWeight} would take the store past its hard limit
   * ({@link #HARD_LIMIT_FACTOR} times the bound).
   */
  private boolean overHardLimit(BackupCopy c, long newWeight) {
    return newWeight > c.weighed && weight.get() + newWeight - c.weighed > hardLimit;
  }

  private static long lifetime(BackupCopy c, long graceNanos) {
    int maxInactive = c.meta == null ? -1 : c.meta.maxInactiveSeconds();
    if (maxInactive <= 0) {
      return Long.MAX_VALUE;
    }
    return Duration.ofSeconds(maxInactive).toNanos() + graceNanos;
  }

  /** Applies a replicate message by PROTOCOL rule 1 and says what happened. */
  ReplicateReply apply(Replicate r) {
    ReplicateReply[] reply = new ReplicateReply[1];
    long now = clock.millis();
    copies
        .asMap()
        .compute(
            r.id(),
            (k, c) -> {
              if (c == null) {
                if (!r.full()) {
                  reply[0] = new NeedFull(-1, -1);
                  return null;
                }
                BackupCopy n =
                    new BackupCopy(
                        r.epoch(), r.version(), r.owner(), r.backups(), r.meta(), r.changed(), now);
                if (!admit(n)) {
                  reply[0] = noRoom();
                  return null;
                }
                reply[0] = new Applied(r.version());
                return n;
              }
              if (r.epoch() < c.epoch) {
                reply[0] = new Stale(c.epoch, c.owner);
                return c;
              }
              if (r.epoch() == c.epoch && !r.owner().equals(c.owner)) {
                // One epoch, two owners: a split brain promoted a copy on both sides, and the
                // merge digests will pick one (rule 9). Replacing one owner's copy with the other's
                // would leave the first believing it is protected here, so the copy that came
                // first stays and the other owner is told to look elsewhere; the loser's release
                // frees the place later. Never Stale: only the digests end an ownership of one
                // epoch.
                reply[0] = new NeedFull(c.epoch, c.version);
                return c;
              }
              boolean newer = r.epoch() > c.epoch || r.version() > c.version;
              if (r.full()) {
                if (newer) {
                  if (overHardLimit(c, BackupCopy.weight(r.changed()))) {
                    reply[0] = noRoom();
                    return uncounted(c);
                  }
                  c.attributes.clear();
                  c.attributes.putAll(r.changed());
                  accept(c, r, now);
                  reweigh(c);
                }
                reply[0] = new Applied(Math.max(c.version, r.version()));
                return c;
              }
              if (r.epoch() == c.epoch && r.baseVersion() == c.version) {
                if (overHardLimit(c, c.weightAfter(r.changed(), r.removed()))) {
                  reply[0] = noRoom();
                  return uncounted(c);
                }
                r.removed().forEach(c.attributes::remove);
                c.attributes.putAll(r.changed());
                accept(c, r, now);
                reweigh(c);
                reply[0] = new Applied(r.version());
              } else if (r.epoch() == c.epoch && r.version() <= c.version) {
                reply[0] = new Applied(c.version); // a duplicate: already applied
              } else {
                reply[0] = new NeedFull(c.epoch, c.version);
              }
              return c;
            });
    return reply[0];
  }

  private static void accept(BackupCopy c, Replicate r, long now) {
    c.ownerRestarted = false;
    c.epoch = r.epoch();
    c.version = r.version();
    c.owner = r.owner();
    c.backups = r.backups();
    if (r.meta() != null) {
      c.meta = r.meta();
    }
    c.lastHeardMillis = now;
  }

  /** A touch from the owner of {@code epoch}: refreshes last access and the expiry clock. */
  void touch(String id, long epoch, long lastAccessedTime) {
    long now = clock.millis();
    copies
        .asMap()
        .computeIfPresent(
            id,
            (k, c) -> {
              if (epoch >= c.epoch && c.meta != null) {
                c.meta =
                    new Messages.Meta(
                        c.meta.creationTime(),
                        Math.max(lastAccessedTime, c.meta.lastAccessedTime()),
                        c.meta.maxInactiveSeconds());
                c.lastHeardMillis = now;
              }
              return c;
            });
  }

  /**
   * Drops the copy if it is older than {@code epoch}, or of that epoch and held for {@code from}
   * (another owner of the same epoch, after a split brain, keeps its copy). Returns whether one was
   * dropped.
   */
  boolean invalidate(String id, long epoch, String from) {
    boolean[] dropped = new boolean[1];
    copies
        .asMap()
        .computeIfPresent(
            id,
            (k, c) -> {
              if (c.epoch < epoch || (c.epoch == epoch && c.owner.equals(from))) {
                dropped[0] = true;
                return uncounted(c);
              }
              return c;
            });
    return dropped[0];
  }

  /** Moves a copy to a new id (servlet changeSessionId), if it is not newer than {@code epoch}. */
  ReplicateReply rename(String oldId, String newId, long epoch, long version) {
    BackupCopy[] moved = new BackupCopy[1];
    copies
        .asMap()
        .computeIfPresent(
            oldId,
            (k, c) -> {
              if (c.epoch <= epoch) {
                moved[0] = c;
                return uncounted(c);
              }
              return c;
            });
    if (moved[0] == null) {
      return new NeedFull(-1, -1);
    }
    put(newId, moved[0]);
    return new Applied(Math.max(version, moved[0].version));
  }

  /** Drops the copy whatever its epoch. */
  void drop(String id) {
    copies.asMap().computeIfPresent(id, (k, c) -> uncounted(c));
  }

  /** What this node holds of {@code id}, for a "who holds" query. */
  Optional<Holding> holding(String id) {
    Holding[] h = new Holding[1];
    copies
        .asMap()
        .computeIfPresent(
            id,
            (k, c) -> {
              h[0] = new Holding(id, false, c.epoch, c.version, c.owner, c.backups);
              return c;
            });
    return Optional.ofNullable(h[0]);
  }

  /**
   * Arbitrates a takeover while the owner is gone (PROTOCOL rules 3 and 5): grants {@code
   * expectedEpoch + 1} to {@code taker} if this node holds that epoch and is the first live backup,
   * recording the grant before answering, so a second taker is told where the session went.
   *
   * @param ownerAlive whether a route is in the current view
   */
  TakeReply grant(String id, long expectedEpoch, String taker, Predicate<String> ownerAlive) {
    TakeReply[] reply = new TakeReply[1];
    long now = clock.millis();
    copies
        .asMap()
        .compute(
            id,
            (k, c) -> {
              if (c == null) {
                reply[0] = NotFound.INSTANCE;
                return null;
              }
              if (c.epoch != expectedEpoch) {
                reply[0] =
                    c.epoch > expectedEpoch ? new Moved(c.epoch, c.owner) : NotFound.INSTANCE;
                return c;
              }
              if (ownerAlive.test(c.owner) && !c.ownerRestarted) {
                reply[0] = new Moved(c.epoch, c.owner);
                return c;
              }
              String arbiter = firstLive(c.backups, ownerAlive);
              if (arbiter != null && !arbiter.equals(self)) {
                reply[0] = new Moved(c.epoch, arbiter);
                return c;
              }
              List<String> backups = new ArrayList<>();
              backups.add(self);
              for (String b : c.backups) {
                if (!b.equals(self) && !b.equals(taker) && ownerAlive.test(b)) {
                  backups.add(b);
                }
              }
              c.epoch = expectedEpoch + 1;
              c.owner = taker;
              c.ownerRestarted = false;
              c.backups = List.copyOf(backups);
              c.lastHeardMillis = now;
              reply[0] =
                  new Granted(
                      id, c.epoch, c.version, c.backups, c.meta, new HashMap<>(c.attributes));
              return c;
            });
    return reply[0];
  }

  private static String firstLive(List<String> backups, Predicate<String> alive) {
    for (String b : backups) {
      if (alive.test(b)) {
        return b;
      }
    }
    return null;
  }

  /** Takes a copy out of the store (this node becomes the owner); empty if it is not here. */
  Optional<BackupCopy> remove(String id) {
    BackupCopy[] removed = new BackupCopy[1];
    copies
        .asMap()
        .computeIfPresent(
            id,
            (k, c) -> {
              removed[0] = c;
              return uncounted(c);
            });
    return Optional.ofNullable(removed[0]);
  }

  /**
   * Puts a copy in whatever the bound (an owner handing its session over keeps the bytes as a
   * backup: they were on this node already).
   */
  void put(String id, BackupCopy copy) {
    copies
        .asMap()
        .compute(
            id,
            (k, c) -> {
              if (c != null && c != copy) {
                uncounted(c);
              }
              return c == copy ? c : counted(copy);
            });
  }

  /**
   * Shows every copy to {@code action}, each inside the store's per-key operation (diagnostics and
   * measurement; the action must not keep the copy or change it).
   */
  void forEachCopy(java.util.function.BiConsumer<String, BackupCopy> action) {
    for (String id : List.copyOf(copies.asMap().keySet())) {
      copies
          .asMap()
          .computeIfPresent(
              id,
              (k, c) -> {
                action.accept(k, c);
                return c;
              });
    }
  }

  /** A copy whose owner has left: its id, the epoch held, and when it was last used. */
  record Orphan(String id, long epoch, long lastAccessedTime) {}

  /**
   * Copies whose owner is not alive (hints for recovery: each is re-checked atomically when it is
   * promoted).
   */
  List<Orphan> orphans(Predicate<String> alive) {
    List<Orphan> out = new ArrayList<>();
    copies
        .asMap()
        .forEach(
            (id, c) -> {
              if (!alive.test(c.owner) || c.ownerRestarted) {
                out.add(new Orphan(id, c.epoch, c.meta == null ? 0 : c.meta.lastAccessedTime()));
              }
            });
    return out;
  }

  /**
   * The epoch of this node's copy if it is an orphan now (its owner is not alive, or came back as a
   * new process that holds nothing of it); empty otherwise.
   */
  Optional<Long> orphanEpoch(String id, Predicate<String> alive) {
    BackupCopy c = copies.getIfPresent(id);
    return c != null && (!alive.test(c.owner) || c.ownerRestarted)
        ? Optional.of(c.epoch)
        : Optional.empty();
  }

  /** Whether the copy of {@code id} is an orphan because its owner's route restarted. */
  boolean orphanedByRestart(String id) {
    BackupCopy c = copies.getIfPresent(id);
    return c != null && c.ownerRestarted;
  }

  /** When this node last heard from the owner of its copy of {@code id} (local clock, ms). */
  Optional<Long> lastHeard(String id) {
    BackupCopy c = copies.getIfPresent(id);
    return c == null ? Optional.empty() : Optional.of(c.lastHeardMillis);
  }

  /** Drops the copy if it is still at {@code epoch} and {@code version} (a stale one). */
  boolean dropIfAt(String id, long epoch, long version) {
    boolean[] dropped = new boolean[1];
    copies
        .asMap()
        .computeIfPresent(
            id,
            (k, c) -> {
              if (c.epoch == epoch && c.version == version) {
                dropped[0] = true;
                return uncounted(c);
              }
              return c;
            });
    return dropped[0];
  }

  /**
   * The member with route {@code owner} restarted (a new process joined under a route that had
   * left, not a partition healing): every copy it owned is an orphan now. Returns how many.
   */
  int ownerRestarted(String owner) {
    int[] marked = new int[1];
    copies
        .asMap()
        .forEach(
            (id, c) -> {
              if (c.owner.equals(owner)) {
                c.ownerRestarted = true;
                marked[0]++;
              }
            });
    return marked[0];
  }

  /**
   * Settles a copy a partition left behind. After a merge the owner's digest says it owns {@code
   * id} at {@code epoch} and {@code version} with {@code backups}, a list without this node. A copy
   * of an older epoch or version is dropped. A copy of the same epoch and version (nothing was
   * written since the split) takes the owner's list, so this node no longer counts itself the first
   * live backup and cannot promote it beside the real one. A newer copy is left alone: the owner
   * chose this node again after its snapshot. Returns whether the copy was dropped or corrected.
   */
  boolean settleLeftBehind(
      String id, String owner, long epoch, long version, List<String> backups) {
    boolean[] settled = new boolean[1];
    copies
        .asMap()
        .computeIfPresent(
            id,
            (k, c) -> {
              if (c.epoch < epoch || (c.epoch == epoch && c.version < version)) {
                settled[0] = true;
                return uncounted(c);
              }
              if (c.epoch == epoch
                  && c.version == version
                  && c.owner.equals(owner)
                  && !c.backups.equals(backups)) {
                c.backups = List.copyOf(backups);
                settled[0] = true;
              }
              return c;
            });
    return settled[0];
  }

  long count() {
    return copies.estimatedSize();
  }

  /** The weight of the copies held, in bytes (may pass the bound as documented above). */
  long weight() {
    return weight.get();
  }

  /** The weight this store takes new copies up to ({@code buddygrid.max-backup-bytes}). */
  long maxBytes() {
    return maxBytes;
  }

  /** Runs pending expiry now (tests with a fake clock; normally Caffeine does it). */
  void cleanUp() {
    copies.cleanUp();
  }
}
