package org.buddygrid.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.buddygrid.jgroups.testing.LoopbackNet;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.Version;
import org.jgroups.blocks.cs.Connection;
import org.jgroups.stack.IpAddress;
import org.jgroups.util.Util;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TCP {@code max_length} (RELIABILITY bad input #5): a peer announcing a frame longer than the
 * bound is cut off before anything is allocated, while application messages of any size still
 * arrive, fragmented below the bound.
 */
class TcpMaxLengthTest {
  private static final int MAX_LENGTH = 1_000_000;
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final List<JChannel> channels = new ArrayList<>();
  private final AtomicReference<byte[]> received = new AtomicReference<>();
  private List<Integer> ports;

  @BeforeEach
  void formTwoMemberCluster() throws Exception {
    String cluster = LoopbackNet.uniqueClusterName("max-length");
    ports = LoopbackNet.freeTcpPorts(2);
    JGroupsStack stack =
        Stacks.tcp()
            .withBindAddress(LoopbackNet.LOOPBACK)
            .withPortRange(0)
            .withInitialHosts(LoopbackNet.initialHosts(ports))
            .withMaxLength(MAX_LENGTH)
            .withJoinTimeout(Duration.ofMillis(500));
    for (int i = 0; i < 2; i++) {
      JChannel channel = stack.withBindPort(ports.get(i)).newChannel().name("M" + i);
      channels.add(channel);
      channel.connect(cluster);
    }
    channels
        .get(1)
        .setReceiver(
            new Receiver() {
              @Override
              public void receive(Message msg) {
                received.set(msg.getArray());
              }
            });
    await().atMost(DEADLINE).until(() -> channels.get(0).getView().size() == 2);
  }

  @AfterEach
  void close() {
    for (int i = channels.size() - 1; i >= 0; i--) {
      Util.close(channels.get(i));
    }
  }

  @Test
  void messageLongerThanMaxLengthIsFragmentedAndDelivered() throws Exception {
    byte[] payload = new byte[3 * MAX_LENGTH];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }

    channels.get(0).send(new BytesMessage(channels.get(1).getAddress(), payload));

    await().atMost(DEADLINE).untilAsserted(() -> assertThat(received.get()).isEqualTo(payload));
  }

  @Test
  void lengthBombClosesTheConnectionAndTheMemberCarriesOn() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LoopbackNet.LOOPBACK, ports.get(0)), 5_000);
      socket.setSoTimeout((int) DEADLINE.toMillis());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      // The TCP transport's connection handshake, then a frame header claiming 2 GB.
      IpAddress claimed = new IpAddress(LoopbackNet.LOOPBACK, 1);
      out.write(Connection.cookie);
      out.writeShort(Version.version);
      out.writeShort(claimed.serializedSize());
      claimed.writeTo(out);
      out.writeInt(Integer.MAX_VALUE);
      out.flush();

      assertThat(readUntilClosed(new DataInputStream(socket.getInputStream()))).isTrue();
    }

    byte[] after = {1, 2, 3};
    channels.get(0).send(new BytesMessage(channels.get(1).getAddress(), after));
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(received.get()).isEqualTo(after));
    assertThat(channels.get(0).getView().size()).isEqualTo(2);
  }

  /** True once the member closed the connection; the read times out (fails) otherwise. */
  private static boolean readUntilClosed(DataInputStream in) throws IOException {
    try {
      while (in.read() != -1) {
        // The member may send its own handshake first; skip it.
      }
      return true;
    } catch (EOFException | SocketException closed) {
      return true;
    }
  }
}
