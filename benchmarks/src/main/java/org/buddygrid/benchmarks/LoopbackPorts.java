package org.buddygrid.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports and multicast groups on 127.0.0.1 for measurement clusters that must not meet other JGroups
 * users on the machine. Remembers every TCP port it handed out so that a member's FD_SOCK2 ports
 * (transport port + 100 .. + 103, the stack defaults) never land on another member's port.
 */
final class LoopbackPorts {
  static final String LOOPBACK = "127.0.0.1";
  private static final int FD_SOCK_OFFSET = 100;
  private static final int FD_SOCK_PORT_RANGE = 3;

  private final Set<Integer> handedOut = new HashSet<>();

  /** A free TCP port whose FD_SOCK2 ports are free and clear of every port handed out before. */
  synchronized int nextTcpPort() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = freeTcpPort();
      Set<Integer> needed = new HashSet<>();
      needed.add(port);
      for (int i = 0; i <= FD_SOCK_PORT_RANGE; i++) {
        needed.add(port + FD_SOCK_OFFSET + i);
      }
      boolean clear = true;
      for (int p : needed) {
        clear &= p <= 65535 && !handedOut.contains(p) && tcpPortFree(p);
      }
      if (clear) {
        handedOut.addAll(needed);
        return port;
      }
    }
    throw new IllegalStateException("no free TCP port with free FD_SOCK2 ports on " + LOOPBACK);
  }

  static String randomMulticastAddress() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "239."
        + random.nextInt(1, 255)
        + "."
        + random.nextInt(256)
        + "."
        + random.nextInt(1, 255);
  }

  static int freeUdpPort() {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freeTcpPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean tcpPortFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort() == port;
    } catch (IOException e) {
      return false;
    }
  }
}
