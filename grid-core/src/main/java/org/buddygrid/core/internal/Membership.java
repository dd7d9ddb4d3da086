package org.buddygrid.core.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.buddygrid.core.GridView;
import org.buddygrid.core.Member;
import org.buddygrid.core.MembershipListener;
import org.buddygrid.core.ViewChange;
import org.buddygrid.core.internal.CoreMessages.Hello;
import org.jgroups.Address;
import org.jgroups.MergeView;
import org.jgroups.View;

/**
 * Turns JGroups views into {@link GridView}s of {@link Member}s.
 *
 * <p>A JGroups address says nothing about a member's route or topology, and a host-provided (fork)
 * channel cannot carry them in its addresses, so members introduce themselves: on every view each
 * node sends a {@link Hello} request to the members it has not met, and the reply is the other's
 * introduction. The grid view is the JGroups view restricted to members whose introduction is
 * known, so a departure shows at once and an arrival as soon as its introduction does. Routes are
 * unique: when two members claim one route, the one earlier in the JGroups view keeps it and the
 * other is left out of every node's grid view (the same rule everywhere, so all agree) until the
 * first leaves.
 *
 * <p>Views are delivered to listeners in order on one thread of the node's own.
 */
final class Membership {
  private static final System.Logger LOG = System.getLogger(Membership.class.getName());
  private static final int MAX_REMEMBERED_EXTRA = 256;

  private record Installed(
      GridView view, Map<Address, Member> byAddress, Map<Member, Address> addressOf) {}

  private final Member self;
  private final String cluster;
  private final GridMessenger messenger;
  private final ExecutorService notifier;
  private final ScheduledExecutorService timer;
  private final Duration helloTimeout;
  private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<Address, Member> introductions = new ConcurrentHashMap<>();
  private final Set<Address> helloInFlight = ConcurrentHashMap.newKeySet();
  // Members of the first view not yet answered or failed once: start() waits for them only.
  private final Set<Address> firstRound = ConcurrentHashMap.newKeySet();
  private final Map<Address, Integer> helloAttempts = new ConcurrentHashMap<>();
  private volatile boolean firstViewSeen;
  private final CompletableFuture<GridView> ready = new CompletableFuture<>();
  private final Set<String> conflictsLogged = ConcurrentHashMap.newKeySet();

  private volatile Address selfAddress;
  private volatile Installed installed =
      new Installed(new GridView(0, List.of()), Map.of(), Map.of());
  private View latest;
  private long nextViewId = 1;
  private volatile String conflictWith;
  private volatile boolean closed;

  Membership(
      Member self,
      String cluster,
      GridMessenger messenger,
      ExecutorService notifier,
      ScheduledExecutorService timer,
      Duration helloTimeout) {
    this.self = self;
    this.cluster = cluster;
    this.messenger = messenger;
    this.notifier = notifier;
    this.timer = timer;
    this.helloTimeout = helloTimeout;
  }

  void addListener(MembershipListener l) {
    listeners.add(l);
  }

  void removeListener(MembershipListener l) {
    listeners.remove(l);
  }

  void setLocalAddress(Address address) {
    selfAddress = address;
    introductions.put(address, self);
  }

  Address localAddress() {
    return selfAddress;
  }

  /** Completes with the first view that holds this node, all introductions done. */
  CompletableFuture<GridView> ready() {
    return ready;
  }

  /** The member whose route this node's route conflicts with, if that is what keeps it out. */
  String conflictWith() {
    return conflictWith;
  }

  GridView view() {
    return installed.view();
  }

  int size() {
    return installed.view().size();
  }

  /** The member at a JGroups address, if it is in the current grid view. */
  Member memberAt(Address address) {
    return address == null ? null : installed.byAddress().get(address);
  }

  /** The JGroups address of a member of the current grid view, else null. */
  Address addressOf(Member member) {
    return installed.addressOf().get(member);
  }

  void close() {
    closed = true;
  }

  // Called by JGroups (MessageDispatcher's receiver) for every view; must not block.
  void onView(View view) {
    synchronized (this) {
      latest = view;
      if (!firstViewSeen) {
        firstViewSeen = true;
        for (Address a : view.getMembers()) {
          if (!introductions.containsKey(a)) {
            firstRound.add(a);
          }
        }
      }
    }
    for (Address a : view.getMembers()) {
      if (!introductions.containsKey(a)) {
        sendHello(a);
      }
    }
    forgetDeparted(view);
    recompute();
  }

  /** An introduction from {@code from}; answers with this node's own. */
  Member onHello(Address from, Member member) {
    Member previous = introductions.putIfAbsent(from, member);
    if (previous != null && !previous.equals(member)) {
      LOG.log(
          Level.WARNING,
          "{0}: {1} introduced itself as {2}, then as {3}; keeping the first",
          self,
          from,
          previous,
          member);
    }
    recompute();
    return self;
  }

  private void sendHello(Address to) {
    if (closed || !helloInFlight.add(to)) {
      return;
    }
    messenger
        .<Hello>requestTo(to, String.valueOf(to), new Hello(self), helloTimeout)
        .whenComplete(
            (reply, failure) -> {
              helloInFlight.remove(to);
              firstRound.remove(to);
              if (reply != null) {
                helloAttempts.remove(to);
                onHello(to, reply.member());
                return;
              }
              recompute();
              boolean stillThere;
              synchronized (this) {
                stillThere = latest != null && latest.containsMember(to);
              }
              if (stillThere && !closed && !introductions.containsKey(to)) {
                LOG.log(
                    Level.DEBUG,
                    "{0}: no introduction from {1} yet ({2}); asking again",
                    self,
                    to,
                    failure);
                timer.schedule(() -> sendHello(to), 200, TimeUnit.MILLISECONDS);
              }
            });
  }

  private void forgetDeparted(View view) {
    helloAttempts.keySet().removeIf(a -> !view.containsMember(a));
    if (introductions.size() <= view.size() + MAX_REMEMBERED_EXTRA) {
      return;
    }
    // Keep introductions of departed members for a while (a partition that heals reuses them),
    // but never let them grow without bound.
    introductions.keySet().removeIf(a -> !view.containsMember(a) && !a.equals(selfAddress));
  }

  private void recompute() {
    ViewChange change;
    synchronized (this) {
      View v = latest;
      if (v == null || closed) {
        return;
      }
      List<Member> members = new ArrayList<>(v.size());
      Map<Address, Member> byAddress = new HashMap<>();
      Map<Member, Address> addressOf = new HashMap<>();
      Map<String, Address> routes = new HashMap<>();
      String conflict = null;
      for (Address a : v.getMembers()) {
        Member m = introductions.get(a);
        if (m == null) {
          continue;
        }
        Address holder = routes.putIfAbsent(m.route(), a);
        if (holder != null) {
          if (a.equals(selfAddress)) {
            conflict = String.valueOf(holder);
          }
          if (conflictsLogged.add(a + "/" + m.route())) {
            LOG.log(
                Level.ERROR,
                "{0}: {1} and {2} both use route {3}; {2} is left out until {1} leaves. Give each node a unique route",
                self,
                holder,
                a,
                m.route());
          }
          continue;
        }
        members.add(m);
        byAddress.put(a, m);
        addressOf.put(m, a);
      }
      conflictWith = conflict;
      Installed before = installed;
      // A member whose route now belongs to another address is a new process (it crashed and
      // restarted under the same route, and JGroups replaced the old member in one view): it left
      // and joined, though the member list looks the same.
      Set<Member> restarted = new LinkedHashSet<>();
      for (Map.Entry<Member, Address> e : addressOf.entrySet()) {
        Address old = before.addressOf().get(e.getKey());
        if (old != null && !old.equals(e.getValue())) {
          restarted.add(e.getKey());
        }
      }
      if (!members.equals(before.view().members()) || !restarted.isEmpty()) {
        GridView next = new GridView(nextViewId++, members);
        installed = new Installed(next, Map.copyOf(byAddress), Map.copyOf(addressOf));
        change = changeOf(before.view(), next, v, restarted);
      } else {
        change = null;
      }
      if (conflict == null && addressOf.containsKey(self) && firstRoundDone(v)) {
        ready.complete(installed.view());
      }
    }
    if (change != null) {
      ViewChange c = change;
      LOG.log(
          Level.INFO,
          "{0}: view {1} of {2}: {3}{4}{5}{6}",
          self,
          c.current().id(),
          cluster,
          c.current().members(),
          c.joined().isEmpty() ? "" : ", joined " + c.joined(),
          c.left().isEmpty() ? "" : ", left " + c.left(),
          c.merge() ? " (merge)" : "");
      notifier.execute(() -> notifyListeners(c));
    }
  }

  private boolean firstRoundDone(View v) {
    for (Address a : firstRound) {
      // Introduced either way (our Hello answered, or theirs arrived first) counts as done.
      if (v.containsMember(a) && !introductions.containsKey(a)) {
        return false;
      }
    }
    return true;
  }

  private ViewChange changeOf(
      GridView previous, GridView current, View jgroupsView, Set<Member> restarted) {
    Set<Member> joined = new LinkedHashSet<>(current.members());
    previous.members().forEach(joined::remove);
    Set<Member> left = new LinkedHashSet<>(previous.members());
    current.members().forEach(left::remove);
    joined.addAll(restarted);
    left.addAll(restarted);
    boolean merge = jgroupsView instanceof MergeView && !joined.isEmpty() && previous.size() > 0;
    List<List<Member>> subgroups = new ArrayList<>();
    if (merge) {
      for (View sub : ((MergeView) jgroupsView).getSubgroups()) {
        List<Member> side = new ArrayList<>();
        for (Address a : sub.getMembers()) {
          Member m = introductions.get(a);
          if (m != null) {
            side.add(m);
          }
        }
        subgroups.add(side);
      }
    }
    long mergeId = 0;
    if (merge) {
      // The merge leader's view id: the same on every member that installs this merge view.
      org.jgroups.ViewId vid = jgroupsView.getViewId();
      mergeId = (vid.getId() << 32) ^ (vid.getCreator().hashCode() & 0xffffffffL);
      if (mergeId == 0) {
        mergeId = 1;
      }
    }
    return new ViewChange(previous, current, joined, left, merge, subgroups, mergeId);
  }

  private void notifyListeners(ViewChange change) {
    for (MembershipListener l : listeners) {
      try {
        l.viewChanged(change);
      } catch (Throwable t) {
        LOG.log(Level.ERROR, self + ": membership listener " + l + " failed", t);
      }
    }
  }
}
