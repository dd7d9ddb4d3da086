package org.buddygrid.replication.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.buddygrid.core.Member;
import org.buddygrid.replication.spi.BuddySelector;

/**
 * The default {@link BuddySelector}: topology first (another zone, then another rack, then another
 * host, than the owner and the backups already picked), then the least loaded, then a hash of the
 * session id and the route, so that equal candidates share the sessions evenly instead of the first
 * one taking them all. Members in {@code keep} win ties of topology, earlier ones first, so a
 * takeover keeps the node that granted it (which already holds the new epoch) instead of copying
 * the session to another.
 */
public final class TopologyAwareSelector implements BuddySelector {
  /**
   * How far apart two members are: 3 = other zone, 2 = other rack, 1 = other host, 0 = same host.
   */
  static int distance(Member a, Member b) {
    if (a.sameHost(b)) {
      return 0;
    }
    if (a.sameRack(b)) {
      return 1;
    }
    if (a.sameZone(b)) {
      return 2;
    }
    return 3;
  }

  @Override
  public List<Member> select(
      String sessionId,
      Member owner,
      List<Member> candidates,
      List<Member> keep,
      int count,
      BackupLoad load) {
    List<Member> picked = new ArrayList<>(count);
    List<Member> pool = new ArrayList<>(candidates);
    while (picked.size() < count && !pool.isEmpty()) {
      Member best = null;
      int bestDistance = -1;
      int bestKept = Integer.MAX_VALUE;
      int bestLoad = 0;
      int bestHash = 0;
      for (Member c : pool) {
        int d = distance(owner, c);
        for (Member p : picked) {
          d = Math.min(d, distance(p, c));
        }
        int kept = keep.indexOf(c) < 0 ? Integer.MAX_VALUE : keep.indexOf(c);
        int l = load.backupsOn(c);
        int h = mix(sessionId.hashCode() * 31 + c.route().hashCode());
        if (best == null || better(d, kept, l, h, bestDistance, bestKept, bestLoad, bestHash)) {
          best = c;
          bestDistance = d;
          bestKept = kept;
          bestLoad = l;
          bestHash = h;
        }
      }
      picked.add(best);
      pool.remove(best);
    }
    return picked;
  }

  private static boolean better(int d, int kept, int l, int h, int bd, int bk, int bl, int bh) {
    if (d != bd) {
      return d > bd;
    }
    if (kept != bk) {
      return kept
          < bk; // members already holding a copy first, in the order given (the granter first)
    }
    // Least loaded, but within one of each other a hash decides: perfect counts per owner would
    // make
    // every owner pick the same member at the same moment.
    if (Math.abs(l - bl) > 1) {
      return l < bl;
    }
    return Comparator.<Integer>naturalOrder().compare(h, bh) < 0;
  }

  private static int mix(int x) {
    int h = x * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
