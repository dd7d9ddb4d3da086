package org.buddygrid.replication.internal;

import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.PhysicalAddress;
import org.jgroups.protocols.TCPPING;

/**
 * Whether a node's discovery configuration names members other than itself: a {@code TCPPING} host
 * list with an address that is not this node's own. Such a node that finds itself alone after
 * starting knows a grid is meant to exist, so discovery may have missed it. Every other discovery
 * (multicast, DNS, the in-JVM loopback) says nothing about whether peers are expected, and counts
 * as naming none, so that a node deployed alone keeps answering unknown ids of its own route as
 * gone.
 */
final class DiscoveryPeers {
  private DiscoveryPeers() {}

  static boolean namedBesidesSelf(JChannel channel) {
    if (channel == null || channel.getProtocolStack() == null) {
      return false;
    }
    TCPPING ping = channel.getProtocolStack().findProtocol(TCPPING.class);
    if (ping == null || ping.getInitialHosts() == null) {
      return false;
    }
    Object self = channel.down(new Event(Event.GET_PHYSICAL_ADDRESS, channel.getAddress()));
    for (PhysicalAddress host : ping.getInitialHosts()) {
      if (!host.equals(self)) {
        return true;
      }
    }
    return false;
  }
}
