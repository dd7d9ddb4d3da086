package org.buddygrid.replication.internal;

import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.buddygrid.core.GridView;
import org.buddygrid.core.Member;
import org.buddygrid.core.MembershipListener;
import org.buddygrid.core.ViewChange;
import org.buddygrid.core.metrics.Metrics;

/**
 * Whether this node's side of the grid may promote copies on its own (docs/DESIGN.md, "Which side
 * promotes"). A node cannot tell a crash from a partition: when members leave, a side holding a
 * majority of the last view it could act in (or exactly half of it, including that view's oldest
 * member) is the <em>primary</em> side; every other side is a minority. A minority side still
 * serves everything and takes over any session a request asks for, but it does not promote copies
 * of departed owners by itself: those owners may be alive on the primary side and still
 * acknowledging writes, and a promotion nobody asked for would give the copy a newer epoch that
 * wins the merge with older data.
 *
 * <p>The reference view moves forward with every primary view, so a grid that shrinks one crash at
 * a time stays primary down to two members; of two, the older one is primary when the other leaves.
 * Thread-safe: views arrive on one thread, readers see a volatile snapshot.
 */
final class Quorum implements MembershipListener {
  private static final System.Logger LOG = System.getLogger(Quorum.class.getName());

  private final String self;
  private volatile List<String> reference;
  private volatile boolean primary = true;

  Quorum(String self, GridView initial, Metrics metrics) {
    this.self = self;
    this.reference = routes(initial.members());
    metrics.gauge("quorum.primary", () -> primary ? 1 : 0);
  }

  /** Whether this node is on the primary side: it may promote copies of departed owners. */
  boolean primary() {
    return primary;
  }

  @Override
  public void viewChanged(ViewChange change) {
    List<String> now = routes(change.current().members());
    boolean wasPrimary = primary;
    boolean isPrimary = isPrimary(reference, now);
    if (isPrimary) {
      reference = now;
    }
    primary = isPrimary;
    if (wasPrimary != isPrimary) {
      LOG.log(
          isPrimary ? Level.INFO : Level.WARNING,
          isPrimary
              ? "{0}: this side of the grid holds a majority of {1} again; copies of departed"
                  + " owners are promoted as they are found"
              : "{0}: this side of the grid ({2}) holds no majority of the last full view {1};"
                  + " copies of departed owners are promoted only when a request asks for them",
          self,
          reference,
          now);
    }
  }

  /**
   * A majority of {@code reference} is in {@code now}, or exactly half of it including its oldest
   * member (so of two equal halves exactly one is primary).
   */
  static boolean isPrimary(List<String> reference, List<String> now) {
    if (reference.isEmpty()) {
      return true;
    }
    Set<String> present = new HashSet<>(now);
    int kept = 0;
    for (String r : reference) {
      if (present.contains(r)) {
        kept++;
      }
    }
    if (2 * kept != reference.size()) {
      return 2 * kept > reference.size();
    }
    return present.contains(reference.get(0));
  }

  private static List<String> routes(List<Member> members) {
    return members.stream().map(Member::route).toList();
  }
}
