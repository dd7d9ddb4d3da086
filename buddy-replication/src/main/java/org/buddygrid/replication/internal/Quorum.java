package org.buddygrid.replication.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.buddygrid.core.GridView;
import org.buddygrid.core.Member;
import org.buddygrid.core.MembershipListener;
import org.buddygrid.core.Messenger;
import org.buddygrid.core.ViewChange;
import org.buddygrid.core.id.SessionIdGenerator;
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
 *
 * <p>Views are local beliefs: a node being cut off may first exclude one member and, for a while,
 * believe in a view with members that have already excluded it. So before promoting, a side
 * {@linkplain #confirmed() confirms} it: the members of its current view are asked (a {@code
 * WhoHas} any member answers), and only if those that answer, with this node, still form a primary
 * side is the view confirmed. Thread-safe: views arrive on one thread, readers see volatile state.
 */
final class Quorum implements MembershipListener {
  private static final System.Logger LOG = System.getLogger(Quorum.class.getName());

  private static final long CONFIRMATION_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String self;
  private final Metrics metrics;
  private final Messenger messenger;
  private final Supplier<GridView> view;
  private final Duration probeTimeout;
  private final Messages.WhoHas probe = new Messages.WhoHas(new SessionIdGenerator().newBase());
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile List<String> reference;
  private volatile boolean primary = true;
  private volatile long minoritySinceNanos;
  private volatile Confirmation confirmation;

  private record Confirmation(long viewId, long atNanos) {}

  Quorum(
      String self,
      GridView initial,
      Metrics metrics,
      Messenger messenger,
      Supplier<GridView> view,
      Duration probeTimeout) {
    this.self = self;
    this.metrics = metrics;
    this.messenger = messenger;
    this.view = view;
    this.probeTimeout = probeTimeout;
    this.reference = routes(initial.members());
    metrics.gauge("quorum.primary", () -> primary ? 1 : 0);
  }

  /**
   * Whether this side may promote now: its view is primary, and in this very view, within the last
   * second, enough of its members answered to form a primary side with this node. Otherwise starts
   * a confirmation (one at a time) and answers false; callers ask again on their next round.
   */
  boolean confirmed() {
    if (!primary) {
      return false;
    }
    GridView v = view.get();
    Confirmation c = confirmation;
    if (c != null && c.viewId() == v.id() && System.nanoTime() - c.atNanos() < CONFIRMATION_NANOS) {
      return true;
    }
    if (probing.compareAndSet(false, true)) {
      confirm(v);
    }
    return false;
  }

  private void confirm(GridView v) {
    List<Member> others = new ArrayList<>();
    for (Member m : v.members()) {
      if (!m.route().equals(self)) {
        others.add(m);
      }
    }
    List<String> ref = reference;
    if (others.isEmpty()) {
      settle(v, ref, List.of(self));
      return;
    }
    messenger
        .gather(others, probe, probeTimeout)
        .whenComplete(
            (responses, failure) -> {
              List<String> reached = new ArrayList<>();
              reached.add(self);
              if (responses != null) {
                responses.replies().keySet().forEach(m -> reached.add(m.route()));
              }
              settle(v, ref, reached);
            });
  }

  private void settle(GridView v, List<String> ref, List<String> reached) {
    try {
      if (isPrimary(ref, reached)) {
        confirmation = new Confirmation(v.id(), System.nanoTime());
      } else {
        metrics.increment("quorum.unconfirmed");
        LOG.log(
            Level.WARNING,
            "{0}: only {1} of view {2} answered, not a majority of {3}: not promoting",
            self,
            reached,
            routes(v.members()),
            ref);
      }
    } finally {
      probing.set(false);
    }
  }

  /** Whether this node is on the primary side: it may promote copies of departed owners. */
  boolean primary() {
    return primary;
  }

  /**
   * How long this node has been on a minority side without interruption, or null while it is
   * primary.
   */
  Duration minorityFor() {
    return primary ? null : Duration.ofNanos(System.nanoTime() - minoritySinceNanos);
  }

  /** The routes of the last view this node was primary in. */
  List<String> reference() {
    return reference;
  }

  @Override
  public void viewChanged(ViewChange change) {
    List<String> now = routes(change.current().members());
    boolean wasPrimary = primary;
    boolean isPrimary = isPrimary(reference, now);
    if (isPrimary) {
      reference = now;
    } else if (wasPrimary) {
      minoritySinceNanos = System.nanoTime();
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
