package org.buddygrid.replication.internal;

import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.PhysicalAddress;
import org.jgroups.protocols.TCPPING;
import org.jgroups.util.Util;

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
    if (ping == null) {
      return false;
    }
    Object self = channel.down(new Event(Event.GET_PHYSICAL_ADDRESS, channel.getAddress()));
    for (PhysicalAddress host : configured(ping)) {
      if (!host.equals(self)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The host list as configured, without the ports {@code port_range} adds: the default stack names
   * only {@code 127.0.0.1[7800]} and probes the next ports in case another node runs there, which
   * is no statement that one does.
   */
  private static Collection<PhysicalAddress> configured(TCPPING ping) {
    Object hosts = ping.getValue("initial_hosts_str");
    if (hosts instanceof String list && !list.isBlank()) {
      try {
        return Util.parseCommaDelimitedHosts(list, 0);
      } catch (UnknownHostException | RuntimeException e) {
        // A host that does not resolve is still a named peer: fall through to the resolved list.
      }
    }
    Collection<PhysicalAddress> resolved = ping.getInitialHosts();
    return resolved == null ? List.of() : resolved;
  }
}
