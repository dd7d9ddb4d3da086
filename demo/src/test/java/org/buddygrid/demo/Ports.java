package org.buddygrid.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports on 127.0.0.1 for tests (never the demo's fixed defaults). A JGroups port also needs
 * its {@code FD_SOCK2} ports (port + 100 .. + 103) free.
 */
public final class Ports {
  private static final Set<Integer> handedOut = new HashSet<>();

  private Ports() {}

  /** {@code count} consecutive free ports; with {@code fdSock}, their FD_SOCK2 ports too. */
  public static synchronized int consecutive(int count, boolean fdSock) {
    for (int attempt = 0; attempt < 500; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      boolean ok = true;
      for (int i = 0; i < count && ok; i++) {
        ok =
            usable(base + i)
                && (!fdSock
                    || (usable(base + i + 100)
                        && usable(base + i + 101)
                        && usable(base + i + 102)
                        && usable(base + i + 103)));
      }
      if (ok) {
        for (int i = 0; i < count; i++) {
          handedOut.add(base + i);
          if (fdSock) {
            for (int d = 100; d <= 103; d++) {
              handedOut.add(base + i + d);
            }
          }
        }
        return base;
      }
    }
    throw new IllegalStateException("no free ports found");
  }

  /** One free port. */
  public static int one() {
    return consecutive(1, false);
  }

  private static boolean usable(int port) {
    if (handedOut.contains(port)) {
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
