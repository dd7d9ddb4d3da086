package org.buddygrid.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jgroups.JChannel;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.dns.DNS_PING;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.Test;

/**
 * {@code buddygrid.tcp.discovery=dns} turns the tcp stack's TCPPING into DNS_PING. The channels are
 * created but never connected: no DNS query leaves this machine.
 */
class DnsDiscoveryTest {
  private static final String QUERY = "buddygrid-ping.test-ns.svc.cluster.local";

  @Test
  void dnsDiscoveryReplacesTcpPing() throws Exception {
    try (JChannel channel = Stacks.tcp().withDnsDiscovery(QUERY).newChannel()) {
      ProtocolStack protocols = channel.getProtocolStack();
      DNS_PING dns = protocols.findProtocol(DNS_PING.class);
      assertThat(dns).isNotNull();
      assertThat(dns.dnsQuery()).isEqualTo(QUERY);
      assertThat(dns.dnsRecordType()).isEqualTo("A");
      assertThat(dns.dnsAddress()).isEmpty();
      assertThat(dns.asyncDiscovery()).isTrue();
      assertThat((Object) protocols.findProtocol(TCPPING.class)).isNull();
      // Same place in the stack: directly above the transport.
      assertThat((Object) protocols.getTransport().getUpProtocol()).isSameAs(dns);
    }
  }

  @Test
  void recordTypeAndServerAreTakenFromProperties() throws Exception {
    JGroupsStack stack =
        Stacks.tcp()
            .with("buddygrid.tcp.discovery", "DNS")
            .with("buddygrid.dns.query", QUERY)
            .with("buddygrid.dns.record_type", "srv")
            .with("buddygrid.dns.address", "127.0.0.1:5353");
    try (JChannel channel = stack.newChannel()) {
      DNS_PING dns = channel.getProtocolStack().findProtocol(DNS_PING.class);
      assertThat(dns.dnsRecordType()).isEqualTo("SRV");
      assertThat(dns.dnsAddress()).isEqualTo("127.0.0.1:5353");
    }
  }

  @Test
  void discoveryCanBeSelectedBySystemProperty() {
    System.setProperty("buddygrid.tcp.discovery", "dns");
    System.setProperty("buddygrid.dns.query", QUERY);
    try {
      assertThat(Stacks.tcp().resolvedXml())
          .contains("dns.DNS_PING")
          .contains("dns_query=\"" + QUERY + "\"")
          .doesNotContain("<TCPPING");
    } finally {
      System.clearProperty("buddygrid.tcp.discovery");
      System.clearProperty("buddygrid.dns.query");
    }
  }

  @Test
  void tcpPingStaysByDefaultAndWhenNamed() throws Exception {
    assertThat(Stacks.tcp().with("buddygrid.tcp.discovery", "tcpping").resolvedXml())
        .isEqualTo(Stacks.tcp().resolvedXml())
        .contains("<TCPPING");
  }

  @Test
  void unknownDiscoveryListsAllowedValues() {
    assertThatThrownBy(() -> Stacks.tcp().with("buddygrid.tcp.discovery", "kube").newChannel())
        .isInstanceOf(StackException.class)
        .hasMessage("buddygrid.tcp.discovery is \"kube\"; allowed values: tcpping, dns");
  }

  @Test
  void dnsWithoutQueryFailsClearly() {
    assertThatThrownBy(() -> Stacks.tcp().with("buddygrid.tcp.discovery", "dns").resolvedXml())
        .isInstanceOf(StackException.class)
        .hasMessage(
            "buddygrid.tcp.discovery=dns needs buddygrid.dns.query: the DNS name that lists the"
                + " members, e.g. the headless service myapp-ping.myns.svc.cluster.local");
  }

  @Test
  void unknownRecordTypeListsAllowedValues() {
    assertThatThrownBy(
            () ->
                Stacks.tcp()
                    .withDnsDiscovery(QUERY)
                    .with("buddygrid.dns.record_type", "MX")
                    .resolvedXml())
        .isInstanceOf(StackException.class)
        .hasMessage("buddygrid.dns.record_type is \"MX\"; allowed values: A, AAAA, SRV");
  }

  @Test
  void dnsOnAStackWithoutTcpPingFails() {
    assertThatThrownBy(() -> Stacks.udp().withDnsDiscovery(QUERY).resolvedXml())
        .isInstanceOf(StackException.class)
        .hasMessage(
            "buddygrid.tcp.discovery=dns replaces the TCPPING protocol, but JGroups stack udp has"
                + " none; use the tcp stack");
  }
}
