package org.buddygrid.replication;

import java.util.Map;
import java.util.Objects;
import org.buddygrid.core.Member;

/**
 * One member of the grid as it reported itself when asked ({@link SessionGrid#memberStatuses}): its
 * load and its metrics at that moment. For dashboards and operators; nothing in the grid depends on
 * it.
 *
 * @param member the member, with its topology tags
 * @param ownedSessions sessions it owns
 * @param backupCopies session copies it holds for other owners
 * @param sessionsAtRisk owned sessions with fewer copies than configured, plus copies waiting there
 *     for promotion after their owner left
 * @param metrics its counters and gauges by name ({@code takeovers}, {@code replicate.delta}, ...;
 *     also any counter the application added to the grid's {@link SessionGrid#metrics()})
 */
public record MemberStatus(
    Member member,
    int ownedSessions,
    long backupCopies,
    int sessionsAtRisk,
    Map<String, Long> metrics) {
  public MemberStatus {
    Objects.requireNonNull(member, "member");
    metrics = Map.copyOf(metrics);
  }

  /** A metric's value, or 0 if the member reported no metric of that name. */
  public long metric(String name) {
    return metrics.getOrDefault(name, 0L);
  }
}
