package org.buddygrid.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.buddygrid.jgroups.testing.SecureStores;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.UDP;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.IpAddress;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.Test;

/**
 * What the shipped stacks contain by default, and that each typed setter validates its value and
 * reaches the JGroups attribute it names. Channels here are created, never connected.
 */
class StackSettingsTest {

  @Test
  void udpAndTcpCarryTheFailoverProtocols() throws Exception {
    List<Class<? extends Protocol>> expected =
        List.of(
            MERGE3.class,
            FD_SOCK2.class,
            FD_ALL3.class,
            VERIFY_SUSPECT2.class,
            NAKACK2.class,
            UNICAST3.class,
            STABLE.class,
            GMS.class,
            UFC.class,
            MFC.class,
            FRAG4.class);
    for (JGroupsStack stack : List.of(Stacks.udp(), Stacks.tcp())) {
      try (JChannel channel = stack.newChannel()) {
        ProtocolStack protocols = channel.getProtocolStack();
        for (Class<? extends Protocol> type : expected) {
          Protocol found = protocols.findProtocol(type);
          assertThat(found).as(stack + " " + type).isNotNull();
        }
      }
    }
  }

  @Test
  void tcpDefaultsBoundFramesAndDisableNagle() throws Exception {
    try (JChannel channel = Stacks.tcp().newChannel()) {
      TCP tcp = (TCP) channel.getProtocolStack().getTransport();
      // JGroups size suffixes are decimal: 4M is 4,000,000 bytes.
      assertThat(tcp.getMaxLength()).isEqualTo(4_000_000);
      assertThat(tcp.tcpNodelay()).isTrue();
      assertThat(tcp.getBindPort()).isEqualTo(7800);
      TCPPING ping = channel.getProtocolStack().findProtocol(TCPPING.class);
      // port_range 2: three members per host find each other with the default host list.
      assertThat(ping.getInitialHosts())
          .containsExactly(
              new IpAddress("127.0.0.1", 7800),
              new IpAddress("127.0.0.1", 7801),
              new IpAddress("127.0.0.1", 7802));
    }
  }

  @Test
  void failureDetectionDefaults() throws Exception {
    for (JGroupsStack stack : List.of(Stacks.udp(), Stacks.tcp())) {
      try (JChannel channel = stack.newChannel()) {
        ProtocolStack protocols = channel.getProtocolStack();
        assertThat(protocols.<FD_ALL3>findProtocol(FD_ALL3.class).getTimeout()).isEqualTo(10_000);
        assertThat(protocols.<FD_ALL3>findProtocol(FD_ALL3.class).getInterval()).isEqualTo(2_000);
        assertThat(protocols.<VERIFY_SUSPECT2>findProtocol(VERIFY_SUSPECT2.class).getTimeout())
            .isEqualTo(1_000);
        assertThat(protocols.<MERGE3>findProtocol(MERGE3.class).getMaxInterval()).isEqualTo(10_000);
      }
    }
  }

  @Test
  void everyStackBindsToLoopbackAndKeepsDiagnosticsOffWithoutAnySystemProperty() throws Exception {
    // The build passes -Djgroups.bind_addr=127.0.0.1, which JGroups prefers to the XML: take it
    // away to see what the stacks themselves say.
    String saved = System.clearProperty("jgroups.bind_addr");
    try {
      for (String name : Stacks.KNOWN) {
        JGroupsStack stack = Stacks.named(name);
        if (name.equals("secure")) {
          stack = SecureStores.member(stack);
        }
        try (JChannel channel = stack.newChannel()) {
          TP transport = channel.getProtocolStack().getTransport();
          assertThat(transport.getDiagnosticsHandler().isEnabled()).as(name).isFalse();
          if (!name.equals("loopback")) {
            assertThat(transport.getBindAddress()).as(name).isEqualTo(loopback());
            FD_SOCK2 fdSock = channel.getProtocolStack().findProtocol(FD_SOCK2.class);
            assertThat(fdSock.getBindAddress()).as(name + " FD_SOCK2").isEqualTo(loopback());
          }
        }
      }
    } finally {
      if (saved != null) {
        System.setProperty("jgroups.bind_addr", saved);
      }
    }
  }

  @Test
  void typedSettersReachTheirAttributes() throws Exception {
    JGroupsStack tcpStack =
        Stacks.tcp()
            .withBindPort(7901)
            .withPortRange(0)
            .withInitialHosts("127.0.0.1[7901],127.0.0.1[7902]")
            .withMaxLength(1024 * 1024)
            .withFailureDetection(Duration.ofSeconds(3), Duration.ofMillis(500))
            .withVerifySuspectTimeout(Duration.ofMillis(250))
            .withMergeIntervals(Duration.ofSeconds(1), Duration.ofSeconds(4))
            .withJoinTimeout(Duration.ofMillis(700));
    try (JChannel channel = tcpStack.newChannel()) {
      ProtocolStack protocols = channel.getProtocolStack();
      TCP tcp = (TCP) protocols.getTransport();
      assertThat(tcp.getBindPort()).isEqualTo(7901);
      assertThat(tcp.getPortRange()).isZero();
      assertThat(tcp.getMaxLength()).isEqualTo(1024 * 1024);
      TCPPING ping = protocols.findProtocol(TCPPING.class);
      assertThat(ping.getPortRange()).isZero();
      assertThat(ping.getInitialHosts())
          .containsExactly(new IpAddress("127.0.0.1", 7901), new IpAddress("127.0.0.1", 7902));
      FD_ALL3 fd = protocols.findProtocol(FD_ALL3.class);
      assertThat(fd.getTimeout()).isEqualTo(3_000);
      assertThat(fd.getInterval()).isEqualTo(500);
      assertThat(protocols.<VERIFY_SUSPECT2>findProtocol(VERIFY_SUSPECT2.class).getTimeout())
          .isEqualTo(250);
      MERGE3 merge = protocols.findProtocol(MERGE3.class);
      assertThat(merge.getMinInterval()).isEqualTo(1_000);
      assertThat(merge.getMaxInterval()).isEqualTo(4_000);
      assertThat(protocols.<GMS>findProtocol(GMS.class).getJoinTimeout()).isEqualTo(700);
    }

    JGroupsStack udpStack =
        Stacks.udp().withMulticastAddress("239.1.2.3").withMulticastPort(45999).withIpTtl(0);
    try (JChannel channel = udpStack.newChannel()) {
      UDP udp = (UDP) channel.getProtocolStack().getTransport();
      assertThat(udp.getMulticastAddress()).isEqualTo(InetAddress.getByName("239.1.2.3"));
      assertThat(udp.getMulticastPort()).isEqualTo(45999);
      assertThat(udp.getIpTTL()).isZero();
    }
  }

  @Test
  void typedSettersRejectOutOfRangeValues() {
    JGroupsStack stack = Stacks.tcp();
    assertThatThrownBy(() -> stack.withBindPort(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bind port must be between 0 and 65535, was -1");
    assertThatThrownBy(() -> stack.withBindPort(65536))
        .hasMessage("bind port must be between 0 and 65535, was 65536");
    assertThatThrownBy(() -> stack.withPortRange(-1))
        .hasMessage("port range must be between 0 and 65535, was -1");
    assertThatThrownBy(() -> stack.withMulticastPort(0))
        .hasMessage("multicast port must be between 1 and 65535, was 0");
    assertThatThrownBy(() -> stack.withIpTtl(256))
        .hasMessage("IP TTL must be between 0 and 255, was 256");
    assertThatThrownBy(() -> stack.withMaxLength(0))
        .hasMessageStartingWith("max length must be positive");
    assertThatThrownBy(
            () -> stack.withFailureDetection(Duration.ofSeconds(2), Duration.ofSeconds(2)))
        .hasMessage("failure detection interval (PT2S) must be shorter than its timeout (PT2S)");
    assertThatThrownBy(() -> stack.withFailureDetection(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessage("failure detection timeout must be at least 1 ms, was PT0S");
    assertThatThrownBy(() -> stack.withVerifySuspectTimeout(Duration.ofMillis(-5)))
        .hasMessage("verify suspect timeout must be at least 1 ms, was PT-0.005S");
    assertThatThrownBy(() -> stack.withMergeIntervals(Duration.ofSeconds(5), Duration.ofSeconds(5)))
        .hasMessage("minimum merge interval (PT5S) must be shorter than the maximum (PT5S)");
    assertThatThrownBy(() -> stack.withJoinTimeout(Duration.ofNanos(10)))
        .hasMessage("join timeout must be at least 1 ms, was PT0.00000001S");
    assertThatThrownBy(() -> stack.withDnsDiscovery(" ")).hasMessage("DNS query must not be blank");
    assertThatThrownBy(() -> stack.withFailureDetection(null, Duration.ofSeconds(1)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("failure detection timeout");
  }

  @Test
  void multicastAddressMustBeAGroupLiteral() {
    JGroupsStack stack = Stacks.udp();
    for (String bad :
        List.of("127.0.0.1", "10.1.2.3", "300.1.1.1", "239.1.2", "db.example", "::1")) {
      assertThatThrownBy(() -> stack.withMulticastAddress(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "multicast address must be an IP literal in 224.0.0.0/4 or ff00::/8, was \""
                  + bad
                  + "\"");
    }
    assertThatCode(() -> stack.withMulticastAddress("239.255.0.1")).doesNotThrowAnyException();
    assertThat(stack.withMulticastAddress(" ff0e::42 ").values())
        .containsEntry("buddygrid.mcast_addr", "ff0e::42");
  }

  private static InetAddress loopback() throws Exception {
    return InetAddress.getByName("127.0.0.1");
  }
}
