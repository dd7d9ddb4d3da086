package org.buddygrid.replication.internal;

import java.util.List;
import java.util.Map;
import org.buddygrid.core.Request;

/**
 * The replication protocol's messages (docs/DESIGN.md, "The replication protocol"). Session ids on
 * the wire are bases: the route part is not needed to find a session.
 */
public final class Messages {
  private Messages() {}

  /** Session metadata that travels with a full copy and whenever it changes. */
  public record Meta(long creationTime, long lastAccessedTime, int maxInactiveSeconds) {}

  /** Owner to backup: a delta from {@code baseVersion} to {@code version}, or a full copy. */
  public record Replicate(
      String id,
      long epoch,
      long version,
      long baseVersion,
      boolean full,
      String owner,
      List<String> backups,
      Meta meta,
      Map<String, byte[]> changed,
      List<String> removed)
      implements Request<ReplicateReply> {}

  /** What a backup answers to {@link Replicate} (and to {@link Invalidate}). */
  public sealed interface ReplicateReply permits Applied, NeedFull, Stale, NoRoom {}

  /** The backup now holds {@code version}. */
  public record Applied(long version) implements ReplicateReply {}

  /**
   * The backup cannot apply a delta on what it holds ({@code epoch}, {@code version}; -1 for
   * nothing).
   */
  public record NeedFull(long epoch, long version) implements ReplicateReply {}

  /**
   * The sender is not the owner any more: the backup knows {@code epoch} owned by {@code owner}.
   */
  public record Stale(long epoch, String owner) implements ReplicateReply {}

  /**
   * The backup holds no copy of the session and will not take one: its backup copies weigh {@code
   * heldBytes} of the {@code maxBytes} it may keep ({@code buddygrid.max-backup-bytes}). The sender
   * picks another backup.
   */
  public record NoRoom(long heldBytes, long maxBytes) implements ReplicateReply {}

  /**
   * Owner to backup: several {@link Replicate}s that were waiting while the previous send to the
   * same backup was on its way (group commit). Applied in order; answered with one reply per item.
   */
  public record ReplicateBatch(List<Replicate> items) implements Request<ReplicateReplies> {}

  /** The backup's replies to a {@link ReplicateBatch}, one per item, in order. */
  public record ReplicateReplies(List<ReplicateReply> replies) {}

  /** Owner to backup: last-access times, batched per peer and interval. */
  public record Touch(List<TouchEntry> entries) {}

  public record TouchEntry(String id, long epoch, long lastAccessedTime) {}

  /** Anyone to all: where sessions are now, and which are gone. Batched. */
  public record Locations(List<Location> updates, List<String> removed) {}

  public record Location(String id, String owner, List<String> backups, long epoch) {}

  /** Who holds session {@code id}? */
  public record WhoHas(String id) implements Request<WhoHasReply> {}

  public sealed interface WhoHasReply permits Holding, NotHeld {}

  /** The answering node holds the session as owner ({@code owner == true}) or backup. */
  public record Holding(
      String id, boolean owner, long epoch, long version, String ownerRoute, List<String> backups)
      implements WhoHasReply {}

  public enum NotHeld implements WhoHasReply {
    INSTANCE
  }

  /** Would-be owner to arbiter: grant me epoch {@code expectedEpoch + 1}. */
  public record Take(String id, long expectedEpoch, String taker) implements Request<TakeReply> {}

  public sealed interface TakeReply permits Granted, Moved, NotFound {}

  /** The taker owns {@code epoch} now; here is the full state at {@code version}. */
  public record Granted(
      String id,
      long epoch,
      long version,
      List<String> backups,
      Meta meta,
      Map<String, byte[]> attributes)
      implements TakeReply {}

  /** Ask {@code owner} (which holds {@code epoch}) instead. */
  public record Moved(long epoch, String owner) implements TakeReply {}

  public enum NotFound implements TakeReply {
    INSTANCE
  }

  /** A stopping owner to a backup: you own the session now, at the grant's epoch (flow 5). */
  public record HandOff(Granted grant) implements Request<ReplicateReply> {}

  /** Owner to backups: the session is gone (invalidated or expired) as of {@code epoch}. */
  public record Invalidate(String id, long epoch) implements Request<ReplicateReply> {}

  /**
   * After a partition heals (merge view {@code viewId}): what the sender owned when it saw the
   * merge. Each side compares the other's digest with its own and the loser of each conflict drops
   * its copy (PROTOCOL rule 9). Sent in chunks; answered with {@link Applied} (the entry count).
   */
  public record Digest(long viewId, List<DigestEntry> entries) implements Request<ReplicateReply> {}

  /** One owned session in a {@link Digest}. */
  public record DigestEntry(
      String id, long epoch, long version, long lastAccessedTime, List<String> backups) {}

  /** Owner to backups: the session's id changed (servlet {@code changeSessionId}). */
  public record Rename(String oldId, String newId, long epoch, long version)
      implements Request<ReplicateReply> {}
}
