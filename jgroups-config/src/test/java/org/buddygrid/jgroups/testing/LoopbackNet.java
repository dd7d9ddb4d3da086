package org.buddygrid.jgroups.testing;

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
 * Addresses for clusters that stay on 127.0.0.1 and do not meet other programs on this machine:
 * free ports (with room for FD_SOCK2's ports), random multicast groups, unique cluster names.
 * Shared with the other modules through this module's test-jar.
 *
 * <p>An instance hands out TCP ports one at a time, each clear of every port it handed out before
 * (members started one after another never take each other's port); the static methods are for
 * one-off needs.
 */
public final class LoopbackNet {
  public static final String LOOPBACK = "127.0.0.1";

  /** FD_SOCK2 listens at the transport port + offset .. + offset + port_range (stack defaults). */
  private static final int FD_SOCK_OFFSET = 100;

  private static final int FD_SOCK_PORT_RANGE = 3;

  private final Set<Integer> handedOut = new HashSet<>();

  public static String uniqueClusterName(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  /** A free TCP port whose FD_SOCK2 ports are free and clear of every port handed out before. */
  public synchronized int nextTcpPort() {
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

  /** {@code count} such ports at once. */
  public static List<Integer> freeTcpPorts(int count) {
    LoopbackNet net = new LoopbackNet();
    List<Integer> ports = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ports.add(net.nextTcpPort());
    }
    return ports;
  }

  /** The TCPPING list for {@code ports} on 127.0.0.1, e.g. {@code 127.0.0.1[41000],...}. */
  public static String initialHosts(List<Integer> ports) {
    return ports.stream().map(p -> LOOPBACK + "[" + p + "]").collect(Collectors.joining(","));
  }

  /** A random group in 239.0.0.0/8 (organisation-local scope; 127.0.0.1 is not a group). */
  public static String randomMulticastAddress() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "239."
        + random.nextInt(1, 255)
        + "."
        + random.nextInt(256)
        + "."
        + random.nextInt(1, 255);
  }

  /** A UDP port that is free on 127.0.0.1 now. */
  public static int freeUdpPort() {
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
