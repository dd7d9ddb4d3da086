package org.buddygrid.replication.spi;

import java.util.List;
import org.buddygrid.core.Member;

/**
 * Chooses the backups of one session. Called by the session's owner when the session is created,
 * when a backup leaves, and after a takeover. Must be fast (it runs at session creation) and must
 * not block. Implementations are thread-safe.
 */
@FunctionalInterface
public interface BuddySelector {
  /**
   * Picks up to {@code count} distinct backups, best first.
   *
   * @param sessionId the session's id base (stable across takeovers; useful to spread ties)
   * @param owner the member that owns the session
   * @param candidates the members that may be chosen (never the owner); may be fewer than {@code
   *     count}
   * @param keep members that already hold a copy and should be kept when the policy allows (saves a
   *     full copy); may be empty
   * @param count how many backups the session should have
   * @param load how many of this owner's sessions each member backs up now
   * @return at most {@code count} distinct members from {@code candidates}
   */
  List<Member> select(
      String sessionId,
      Member owner,
      List<Member> candidates,
      List<Member> keep,
      int count,
      BackupLoad load);

  /** How loaded each candidate is, as far as the selecting owner knows. */
  @FunctionalInterface
  interface BackupLoad {
    int backupsOn(Member member);
  }
}
