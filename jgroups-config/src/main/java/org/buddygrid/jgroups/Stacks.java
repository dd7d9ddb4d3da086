package org.buddygrid.jgroups;

import java.util.List;

/**
 * The JGroups stacks that ship with BuddyGrid, and a way to name any other.
 *
 * <ul>
 *   <li>{@code loopback}: every node in one JVM (tests, embedded use); nothing leaves the process.
 *   <li>{@code udp}: IP multicast discovery and transport on a LAN.
 *   <li>{@code tcp}: TCP transport, discovery by a static host list ({@code TCPPING}) or by DNS
 *       ({@code buddygrid.tcp.discovery=dns}, for Kubernetes headless services).
 *   <li>{@code secure}: the {@code tcp} stack with TLS (client certificates required) on every
 *       connection and every message encrypted with a shared AES key; it has no default stores, so
 *       it starts only with {@link JGroupsStack#withTls} and {@link JGroupsStack#withEncryptionKey}
 *       (or their {@code buddygrid.tls.*} and {@code buddygrid.encrypt.*} properties) set. What it
 *       protects, and how to make the stores: {@code SECURITY.md}.
 * </ul>
 *
 * <p>Each returns an immutable {@link JGroupsStack}; settings are added with its {@code with...}
 * methods, which return a new stack. Every shipped stack binds to 127.0.0.1 unless {@code
 * buddygrid.bind_addr} says otherwise, so an unconfigured node never sends traffic off its machine;
 * JGroups' diagnostics are off in all of them. What each setting does, with measured failure
 * detection times, is in {@code jgroups-config/TUNING.md}.
 */
public final class Stacks {
  /** The names {@link #named(String)} accepts besides a path or URL, in documentation order. */
  public static final List<String> KNOWN = List.of("loopback", "udp", "tcp", "secure");

  private Stacks() {}

  /** The in-JVM stack ({@code buddygrid-loopback.xml}). */
  public static JGroupsStack loopback() {
    return named("loopback");
  }

  /** The LAN multicast stack ({@code buddygrid-udp.xml}). */
  public static JGroupsStack udp() {
    return named("udp");
  }

  /** The TCP stack ({@code buddygrid-tcp.xml}). */
  public static JGroupsStack tcp() {
    return named("tcp");
  }

  /**
   * The TCP stack with TLS and payload encryption ({@code buddygrid-secure.xml}); needs {@link
   * JGroupsStack#withTls} and {@link JGroupsStack#withEncryptionKey} before it can start.
   */
  public static JGroupsStack secure() {
    return named("secure");
  }

  /**
   * A stack by name ({@code loopback}, {@code udp}, {@code tcp}, {@code secure}), by file path, or
   * by URL. A relative name that is not a file (e.g. {@code my-stack.xml}) is also looked up on the
   * classpath, as JGroups does.
   *
   * @throws StackException if the name is neither a known stack nor a readable path or URL; the
   *     message lists the known stacks
   */
  public static JGroupsStack named(String nameOrLocation) {
    return JGroupsStack.locate(nameOrLocation);
  }
}
