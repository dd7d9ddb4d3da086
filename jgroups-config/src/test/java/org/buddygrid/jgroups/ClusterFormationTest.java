package org.buddygrid.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.buddygrid.jgroups.testing.LoopbackNet;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.View;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TP;
import org.jgroups.stack.IpAddress;
import org.jgroups.util.Util;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each shipped stack forms a three-member cluster inside this JVM, with every socket on 127.0.0.1,
 * free ports and a cluster name of its own.
 */
class ClusterFormationTest {
  private static final int MEMBERS = 3;
  private static final Duration VIEW_DEADLINE = Duration.ofSeconds(30);

  private final List<JChannel> channels = new ArrayList<>();

  @AfterEach
  void closeChannels() {
    // Last joined first, so the coordinator leaves last and no view is spent on a new coordinator.
    for (int i = channels.size() - 1; i >= 0; i--) {
      Util.close(channels.get(i));
    }
    channels.clear();
  }

  @Test
  void loopbackStackFormsThreeMemberCluster() throws Exception {
    String cluster = LoopbackNet.uniqueClusterName("loopback");
    for (int i = 0; i < MEMBERS; i++) {
      connect(Stacks.loopback(), cluster, "L" + i);
    }
    awaitFullView();
  }

  @Test
  void udpStackFormsThreeMemberClusterOnLoopback() throws Exception {
    String cluster = LoopbackNet.uniqueClusterName("udp");
    JGroupsStack stack =
        Stacks.udp()
            .withBindAddress(LoopbackNet.LOOPBACK)
            .withBindPort(0)
            .withMulticastAddress(LoopbackNet.randomMulticastAddress())
            .withMulticastPort(LoopbackNet.freeUdpPort())
            .withIpTtl(0);
    for (int i = 0; i < MEMBERS; i++) {
      connect(stack, cluster, "U" + i);
    }
    awaitFullView();
    assertEverySocketOnLoopback();
  }

  @Test
  void tcpStackFormsThreeMemberClusterOnLoopback() throws Exception {
    String cluster = LoopbackNet.uniqueClusterName("tcp");
    List<Integer> ports = LoopbackNet.freeTcpPorts(MEMBERS);
    JGroupsStack stack =
        Stacks.tcp()
            .withBindAddress(LoopbackNet.LOOPBACK)
            .withPortRange(0)
            .withInitialHosts(LoopbackNet.initialHosts(ports));
    for (int i = 0; i < MEMBERS; i++) {
      connect(stack.withBindPort(ports.get(i)), cluster, "T" + i);
    }
    awaitFullView();
    assertEverySocketOnLoopback();
    assertThat(channels)
        .extracting(ch -> physicalAddress(ch).getPort())
        .containsExactlyElementsOf(ports);
  }

  private void connect(JGroupsStack stack, String cluster, String name) throws Exception {
    JChannel channel = stack.newChannel().name(name);
    channels.add(channel);
    channel.connect(cluster);
  }

  private void awaitFullView() {
    await()
        .atMost(VIEW_DEADLINE)
        .untilAsserted(
            () -> {
              View first = channels.get(0).getView();
              for (JChannel channel : channels) {
                assertThat(channel.getView().size()).as(channel.getName()).isEqualTo(MEMBERS);
                assertThat((Object) channel.getView()).as(channel.getName()).isEqualTo(first);
              }
            });
  }

  private static IpAddress physicalAddress(JChannel channel) {
    return (IpAddress) channel.down(new Event(Event.GET_PHYSICAL_ADDRESS, channel.getAddress()));
  }

  private void assertEverySocketOnLoopback() {
    for (JChannel channel : channels) {
      TP transport = channel.getProtocolStack().getTransport();
      IpAddress physical = physicalAddress(channel);
      assertThat(physical.getIpAddress().isLoopbackAddress()).as(physical.toString()).isTrue();
      FD_SOCK2 fdSock = channel.getProtocolStack().findProtocol(FD_SOCK2.class);
      InetAddress fdSockAddress = fdSock.getBindAddress();
      assertThat(fdSockAddress.isLoopbackAddress()).as("FD_SOCK2 " + fdSockAddress).isTrue();
      assertThat(transport.getDiagnosticsHandler().isEnabled()).as("diagnostics").isFalse();
    }
  }
}
