package org.buddygrid.it.wildfly;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * Free ports on 127.0.0.1, found by binding them: never the well-known defaults (8080, 9990, 7800),
 * which other programs on the machine may use. A port handed out once is not handed out again.
 */
final class FreePorts {
  private static final Set<Integer> handedOut = new HashSet<>();

  private FreePorts() {}

  /**
   * A base in {@code [from, to)} such that {@code base + r} is free for every {@code r} of {@code
   * relative}: a port offset for a set of default ports, or a port with its neighbours.
   */
  static synchronized int base(int from, int to, int... relative) {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(from, to);
      if (IntStream.of(relative).allMatch(r -> usable(base + r))) {
        IntStream.of(relative).forEach(r -> handedOut.add(base + r));
        return base;
      }
    }
    throw new IllegalStateException("no free ports found on 127.0.0.1 in " + from + ".." + to);
  }

  private static boolean usable(int port) {
    if (port > 65535 || handedOut.contains(port)) {
      return false;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
