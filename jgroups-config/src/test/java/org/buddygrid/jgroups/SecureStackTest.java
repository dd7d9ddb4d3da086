package org.buddygrid.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.buddygrid.jgroups.testing.LoopbackNet;
import org.buddygrid.jgroups.testing.SecureStores;
import org.buddygrid.jgroups.testing.WireRecorder;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.Util;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code secure} stack on 127.0.0.1: members with the cluster's stores form a view and exchange
 * messages; a member with another CA's certificate (even one that trusts the cluster's CA), without
 * TLS, or without the cluster's AES key stays alone; and what the application sends is not in the
 * bytes the transport puts on the wire even before TLS encrypts them (while the same exchange on
 * the plain {@code tcp} stack has it, so the check can fail). The stores are test-only ones made by
 * {@code bin/make-secure-stores.sh} (see {@code secure-stores/README.md}).
 */
@Timeout(120)
class SecureStackTest {
  private static final String PASSWORD = SecureStores.PASSWORD;
  private static final Duration VIEW_DEADLINE = Duration.ofSeconds(30);

  /** Long enough for several discovery rounds and merge attempts at the intervals set below. */
  private static final Duration STAYS_ALONE_FOR = Duration.ofSeconds(3);

  private final List<JChannel> channels = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = channels.size() - 1; i >= 0; i--) {
      Util.close(channels.get(i));
    }
  }

  @Test
  void membersWithTheClustersStoresFormAViewAndExchangeMessages() throws Exception {
    String cluster = LoopbackNet.uniqueClusterName("secure");
    List<Integer> ports = LoopbackNet.freeTcpPorts(2);
    Queue<String> received = new ConcurrentLinkedQueue<>();
    JChannel a = connect(member("node1.p12", ports), ports.get(0), cluster, "A", null);
    JChannel b = connect(member("node2.p12", ports), ports.get(1), cluster, "B", received);
    awaitView(2, a, b);

    a.send(new BytesMessage(b.getAddress(), "hello".getBytes(StandardCharsets.UTF_8)));

    await().atMost(VIEW_DEADLINE).until(() -> received.contains("hello"));
  }

  @Test
  void aMemberThatTrustsTheClusterButHasAnotherCasCertificateStaysAlone() throws Exception {
    // Its own trust store accepts the cluster; the cluster's does not accept it (client_auth=NEED).
    assertStaysAlone(ports -> secure("intruder.p12", "truststore.p12", "encrypt.p12", ports));
  }

  @Test
  void aMemberWithoutTlsStaysAlone() throws Exception {
    assertStaysAlone(
        ports ->
            Stacks.tcp()
                .withBindAddress(LoopbackNet.LOOPBACK)
                .withPortRange(0)
                .withInitialHosts(LoopbackNet.initialHosts(ports))
                .withMergeIntervals(Duration.ofMillis(300), Duration.ofMillis(800)));
  }

  @Test
  void aMemberWithTheRightCertificateButAnotherEncryptionKeyStaysAlone() throws Exception {
    assertStaysAlone(ports -> secure("node2.p12", "truststore.p12", "other-encrypt.p12", ports));
  }

  @Test
  void anApplicationValueIsNotOnTheWireWithTheSecureStack() throws Exception {
    String value = "card-4111-" + UUID.randomUUID();
    byte[] wire = exchangeRecorded(false, value);
    assertThat(wire.length).as("bytes recorded between the members").isGreaterThan(1000);
    assertThat(indexOf(wire, value.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
  }

  @Test
  void anApplicationValueIsOnTheWireWithThePlainTcpStack() throws Exception {
    // The control run: the same exchange on the same wire, without TLS and encryption.
    String value = "card-4111-" + UUID.randomUUID();
    byte[] wire = exchangeRecorded(true, value);
    assertThat(indexOf(wire, value.getBytes(StandardCharsets.UTF_8))).isNotEqualTo(-1);
  }

  @Test
  void withoutItsStoresTheSecureStackRefusesToStartAndNamesTheSetting() {
    assertThatThrownBy(() -> Stacks.secure().newChannel())
        .isInstanceOf(StackException.class)
        .hasMessageContaining("${buddygrid.tls.keystore}");
    assertThatThrownBy(
            () ->
                Stacks.secure()
                    .withTls(
                        SecureStores.store("node1.p12"),
                        PASSWORD,
                        SecureStores.store("truststore.p12"),
                        PASSWORD)
                    .newChannel())
        .isInstanceOf(StackException.class)
        .hasMessageContaining("${buddygrid.encrypt.keystore}");
    assertThatThrownBy(
            () ->
                Stacks.secure().withEncryptionKey(Path.of("no-such-dir", "encrypt.p12"), PASSWORD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encryption key store")
        .hasMessageContaining("make-secure-stores.sh");
  }

  @Test
  void aWrongStorePasswordFailsTheStart() {
    JGroupsStack stack =
        secure("node1.p12", "truststore.p12", "encrypt.p12", LoopbackNet.freeTcpPorts(1))
            .with("buddygrid.tls.keystore_password", "wrong");
    assertThatThrownBy(
            () -> {
              JChannel channel = stack.newChannel();
              channels.add(channel);
              channel.connect(LoopbackNet.uniqueClusterName("wrong-password"));
            })
        .isInstanceOf(Exception.class);
  }

  /** Two members of the cluster, then an intruder pointed at them: nobody ever sees it. */
  private void assertStaysAlone(Function<List<Integer>, JGroupsStack> intruder) throws Exception {
    String cluster = LoopbackNet.uniqueClusterName("secure-alone");
    List<Integer> ports = LoopbackNet.freeTcpPorts(3);
    JChannel a = connect(member("node1.p12", ports), ports.get(0), cluster, "A", null);
    JChannel b = connect(member("node2.p12", ports), ports.get(1), cluster, "B", null);
    awaitView(2, a, b);

    JGroupsStack intruderStack = intruder.apply(ports);
    JChannel c;
    try {
      c = connect(intruderStack, ports.get(2), cluster, "C", null);
    } catch (Exception e) {
      // A member whose join is refused outright is alone too.
      return;
    }
    await()
        .during(STAYS_ALONE_FOR)
        .atMost(STAYS_ALONE_FOR.plusSeconds(10))
        .until(
            () ->
                c.getView().size() == 1
                    && a.getView().size() == 2
                    && b.getView().size() == 2
                    && !a.getView().containsMember(c.getAddress()));
  }

  private JGroupsStack member(String keystore, List<Integer> ports) {
    return secure(keystore, "truststore.p12", "encrypt.p12", ports);
  }

  private static JGroupsStack secure(
      String keystore, String truststore, String encrypt, List<Integer> ports) {
    JGroupsStack stack =
        Stacks.secure()
            .withBindAddress(LoopbackNet.LOOPBACK)
            .withPortRange(0)
            .withInitialHosts(LoopbackNet.initialHosts(ports))
            .withMergeIntervals(Duration.ofMillis(300), Duration.ofMillis(800))
            .withJoinTimeout(Duration.ofSeconds(1));
    return SecureStores.with(stack, keystore, truststore, encrypt);
  }

  /**
   * Two members exchange {@code value} (one to the other, back, and to all) with a {@link
   * WireRecorder} above each transport; returns every byte both recorders saw leave.
   */
  private byte[] exchangeRecorded(boolean plain, String value) throws Exception {
    String cluster = LoopbackNet.uniqueClusterName(plain ? "wire-plain" : "wire-secure");
    List<Integer> ports = LoopbackNet.freeTcpPorts(2);
    Queue<String> atA = new ConcurrentLinkedQueue<>();
    Queue<String> atB = new ConcurrentLinkedQueue<>();
    WireRecorder recorderA = new WireRecorder();
    WireRecorder recorderB = new WireRecorder();
    JChannel a =
        connect(stackFor(plain, "node1.p12", ports), ports.get(0), recorderA, cluster, "A", atA);
    JChannel b =
        connect(stackFor(plain, "node2.p12", ports), ports.get(1), recorderB, cluster, "B", atB);
    awaitView(2, a, b);

    byte[] payload = value.getBytes(StandardCharsets.UTF_8);
    a.send(new BytesMessage(b.getAddress(), payload));
    b.send(new BytesMessage(a.getAddress(), payload));
    a.send(new BytesMessage(null, payload));
    await().atMost(VIEW_DEADLINE).until(() -> atA.size() >= 2 && atB.size() >= 2);
    assertThat(atA).containsOnly(value);
    assertThat(atB).containsOnly(value);

    byte[] first = recorderA.recorded();
    byte[] second = recorderB.recorded();
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private JGroupsStack stackFor(boolean plain, String keystore, List<Integer> ports) {
    if (!plain) {
      return member(keystore, ports);
    }
    return Stacks.tcp()
        .withBindAddress(LoopbackNet.LOOPBACK)
        .withPortRange(0)
        .withInitialHosts(LoopbackNet.initialHosts(ports));
  }

  private JChannel connect(
      JGroupsStack stack, int port, String cluster, String name, Queue<String> received)
      throws Exception {
    return connect(stack, port, null, cluster, name, received);
  }

  private JChannel connect(
      JGroupsStack stack,
      int port,
      WireRecorder recorder,
      String cluster,
      String name,
      Queue<String> received)
      throws Exception {
    JChannel channel = stack.withBindPort(port).newChannel().name(name);
    channels.add(channel);
    if (recorder != null) {
      channel.getProtocolStack().insertProtocol(recorder, ProtocolStack.Position.ABOVE, TP.class);
    }
    if (received != null) {
      channel.setReceiver(
          new Receiver() {
            @Override
            public void receive(Message msg) {
              received.add(new String(msg.getArray(), StandardCharsets.UTF_8));
            }
          });
    }
    channel.connect(cluster);
    return channel;
  }

  private static void awaitView(int size, JChannel... members) {
    await()
        .atMost(VIEW_DEADLINE)
        .until(
            () -> {
              for (JChannel member : members) {
                if (member.getView() == null || member.getView().size() != size) {
                  return false;
                }
              }
              return true;
            });
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
