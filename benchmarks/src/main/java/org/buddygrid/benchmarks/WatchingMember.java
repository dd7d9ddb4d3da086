package org.buddygrid.benchmarks;

import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Receiver;
import org.jgroups.View;

/** An in-process member that notes when it first installs a view without the watched member. */
final class WatchingMember implements Receiver {
  final JChannel channel;
  private volatile View view;
  private volatile Address watched;
  private volatile long excludedAt;

  WatchingMember(JChannel channel) {
    this.channel = channel;
    channel.setReceiver(this);
  }

  @Override
  public void viewAccepted(View newView) {
    long now = System.nanoTime();
    view = newView;
    Address w = watched;
    if (w != null && excludedAt == 0 && !newView.containsMember(w)) {
      excludedAt = now;
    }
  }

  View view() {
    View v = view;
    return v != null ? v : channel.getView();
  }

  void watch(Address member) {
    excludedAt = 0;
    watched = member;
  }

  boolean excluded() {
    return excludedAt != 0;
  }

  long excludedAt() {
    return excludedAt;
  }
}
