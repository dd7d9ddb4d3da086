package org.buddygrid.jgroups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Addresses for clusters that stay on 127.0.0.1 and do not meet other builds on this machine: free
 * ports, random multicast groups, unique cluster names.
 */
final class LoopbackNet {
  static final String LOOPBACK = "127.0.0.1";

  /** FD_SOCK2 listens at the transport port + offset .. + offset + port_range (stack defaults). */
  private static final int FD_SOCK_OFFSET = 100;

  private static final int FD_SOCK_PORT_RANGE = 3;

  private LoopbackNet() {}

  static String uniqueClusterName(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  /**
   * {@code count} TCP ports on 127.0.0.1 that are free now, and whose FD_SOCK2 ports (port + 100 ..
   * port + 103) are free too and overlap no other chosen port, so that members started one after
   * another never take each other's port.
   */
  static List<Integer> freeTcpPorts(int count) {
    for (int attempt = 0; attempt < 20; attempt++) {
      List<Integer> ports = new ArrayList<>();
      Set<Integer> taken = new HashSet<>();
      boolean ok = true;
      for (int i = 0; i < count && ok; i++) {
        int port = freeTcpPort();
        List<Integer> needed = new ArrayList<>();
        needed.add(port);
        for (int j = 0; j <= FD_SOCK_PORT_RANGE; j++) {
          needed.add(port + FD_SOCK_OFFSET + j);
        }
        ok = needed.stream().allMatch(p -> p <= 65535 && !taken.contains(p) && tcpPortFree(p));
        taken.addAll(needed);
        ports.add(port);
      }
      if (ok) {
        return ports;
      }
    }
    throw new IllegalStateException("no free TCP ports with free FD_SOCK2 ports on " + LOOPBACK);
  }

  /** The TCPPING list for {@code ports} on 127.0.0.1, e.g. {@code 127.0.0.1[41000],...}. */
  static String initialHosts(List<Integer> ports) {
    return ports.stream().map(p -> LOOPBACK + "[" + p + "]").collect(Collectors.joining(","));
  }

  /** A random group in 239.0.0.0/8 (organisation-local scope; 127.0.0.1 is not a group). */
  static String randomMulticastAddress() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "239."
        + random.nextInt(1, 255)
        + "."
        + random.nextInt(0, 256)
        + "."
        + random.nextInt(1, 255);
  }

  /** A UDP port that is free on 127.0.0.1 now. */
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
