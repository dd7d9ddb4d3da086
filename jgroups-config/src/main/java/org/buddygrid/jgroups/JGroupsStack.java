package org.buddygrid.jgroups;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jgroups.JChannel;

/**
 * One JGroups protocol stack: its XML and the values for its {@code ${name:default}} placeholders.
 *
 * <p>Immutable and thread-safe: every {@code with...} method returns a new stack. Placeholders are
 * resolved, in order, from the values given with {@link #with(String, String)}, then system
 * properties, then the default written in the XML. A placeholder with none of these fails {@link
 * #resolvedXml()} and {@link #newChannel()} with a message naming it, before any socket is opened.
 * Values are escaped for XML, so quotes, {@code <} and {@code &} arrive as given; placeholders
 * inside XML comments are left alone. The typed setters ({@link #withBindPort(int)}, {@link
 * #withFailureDetection(Duration, Duration)}, ...) reject an out-of-range value at once with an
 * {@link IllegalArgumentException} naming it.
 *
 * <p>JGroups applies its own {@code jgroups.*} system properties (such as {@code
 * jgroups.bind_addr}) after this resolution, so they win over {@code buddygrid.*} values for the
 * attributes they name.
 *
 * <p>Setting {@code buddygrid.tcp.discovery=dns} with {@code buddygrid.dns.query} replaces a
 * stack's {@code TCPPING} with {@code dns.DNS_PING} (see {@link #withDnsDiscovery(String)}).
 */
public final class JGroupsStack {
  private static final Pattern IPV4_LITERAL =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  private final String name;
  private final String xml;
  private final Map<String, String> values;

  private JGroupsStack(String name, String xml, Map<String, String> values) {
    this.name = name;
    this.xml = xml;
    this.values = values;
  }

  static JGroupsStack locate(String nameOrLocation) {
    Objects.requireNonNull(nameOrLocation, "nameOrLocation");
    String trimmed = nameOrLocation.trim();
    if (trimmed.isEmpty()) {
      throw new StackException("JGroups stack name is empty; " + knownStacks());
    }
    if (Stacks.KNOWN.contains(trimmed)) {
      String resource = "buddygrid-" + trimmed + ".xml";
      try (InputStream in = JGroupsStack.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new StackException(
              "JGroups stack resource " + resource + " is missing from the classpath");
        }
        return new JGroupsStack(
            trimmed, new String(in.readAllBytes(), StandardCharsets.UTF_8), Map.of());
      } catch (IOException e) {
        throw new StackException(
            "Could not read JGroups stack " + resource + ": " + e.getMessage(), e);
      }
    }
    if (trimmed.endsWith(".xml") || trimmed.contains("/") || trimmed.contains("\\")) {
      return new JGroupsStack(trimmed, readLocation(trimmed), Map.of());
    }
    throw new StackException("JGroups stack \"" + trimmed + "\" not found; " + knownStacks());
  }

  private static String knownStacks() {
    return "known stacks: "
        + String.join(", ", Stacks.KNOWN)
        + " (or give a path or URL of a JGroups XML)";
  }

  private static String readLocation(String location) {
    try {
      if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")
          && !location.matches("^[a-zA-Z]:[\\\\/].*")) {
        URL url = URI.create(location).toURL();
        try (InputStream in = url.openStream()) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      Path path = Path.of(location);
      if (!Files.isReadable(path)) {
        String resource = fromClasspath(location);
        if (resource != null) {
          return resource;
        }
        throw new StackException(
            "JGroups stack file "
                + path.toAbsolutePath()
                + " does not exist or is not readable; "
                + knownStacks());
      }
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException | MalformedURLException e) {
      throw new StackException(
          "JGroups stack location \"" + location + "\" is not a valid URL; " + knownStacks(), e);
    } catch (IOException e) {
      throw new StackException(
          "Could not read JGroups stack " + location + ": " + e.getMessage(), e);
    }
  }

  /**
   * A relative name such as {@code my-stack.xml} may also be a classpath resource, as in JGroups.
   */
  private static String fromClasspath(String location) throws IOException {
    if (location.startsWith("/") || location.contains("\\")) {
      return null;
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    InputStream in = context == null ? null : context.getResourceAsStream(location);
    if (in == null) {
      in = JGroupsStack.class.getClassLoader().getResourceAsStream(location);
    }
    if (in == null) {
      return null;
    }
    try (InputStream stream = in) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The stack's name as given: a known name, a path or a URL. */
  public String name() {
    return name;
  }

  /** The values set on this stack, by placeholder name. */
  public Map<String, String> values() {
    return values;
  }

  /**
   * A stack with one placeholder value set (or replaced).
   *
   * @param key the placeholder's full name, e.g. {@code buddygrid.tcp.initial_hosts}
   * @param value its value; {@code null} removes a value set earlier
   */
  public JGroupsStack with(String key, String value) {
    Objects.requireNonNull(key, "key");
    Map<String, String> copy = new LinkedHashMap<>(values);
    if (value == null) {
      copy.remove(key);
    } else {
      copy.put(key, value);
    }
    return new JGroupsStack(name, xml, Collections.unmodifiableMap(copy));
  }

  /** A stack with every {@code buddygrid.*} entry of {@code properties} set as a value. */
  public JGroupsStack withAll(Properties properties) {
    JGroupsStack result = this;
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith("buddygrid.")) {
        result = result.with(key, properties.getProperty(key));
      }
    }
    return result;
  }

  /**
   * The address to bind to ({@code buddygrid.bind_addr}): an IP, a host name, or a JGroups symbolic
   * value.
   */
  public JGroupsStack withBindAddress(String bindAddress) {
    return with("buddygrid.bind_addr", bindAddress);
  }

  /** The port the transport listens on ({@code buddygrid.bind_port}). */
  public JGroupsStack withBindPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("bind port must be between 0 and 65535, was " + port);
    }
    return with("buddygrid.bind_port", Integer.toString(port));
  }

  /**
   * The TCP discovery list ({@code buddygrid.tcp.initial_hosts}), e.g. {@code
   * 10.0.0.1[7800],10.0.0.2[7800]}.
   */
  public JGroupsStack withInitialHosts(String initialHosts) {
    return with("buddygrid.tcp.initial_hosts", initialHosts);
  }

  /**
   * How many ports above the bind port a member may take if its own is busy, and how many ports
   * above each initial host's port TCP discovery probes ({@code buddygrid.port_range}).
   */
  public JGroupsStack withPortRange(int portRange) {
    if (portRange < 0 || portRange > 65535) {
      throw new IllegalArgumentException(
          "port range must be between 0 and 65535, was " + portRange);
    }
    return with("buddygrid.port_range", Integer.toString(portRange));
  }

  /**
   * The multicast group of the udp stack ({@code buddygrid.mcast_addr}).
   *
   * @param address an IPv4 or IPv6 literal in 224.0.0.0/4 or ff00::/8 (no host names: this method
   *     never looks anything up)
   */
  public JGroupsStack withMulticastAddress(String address) {
    Objects.requireNonNull(address, "address");
    InetAddress parsed = parseIpLiteral(address.trim());
    if (parsed == null || !parsed.isMulticastAddress()) {
      throw new IllegalArgumentException(
          "multicast address must be an IP literal in 224.0.0.0/4 or ff00::/8, was \""
              + address
              + "\"");
    }
    return with("buddygrid.mcast_addr", address.trim());
  }

  /** The multicast port of the udp stack ({@code buddygrid.mcast_port}). */
  public JGroupsStack withMulticastPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("multicast port must be between 1 and 65535, was " + port);
    }
    return with("buddygrid.mcast_port", Integer.toString(port));
  }

  /**
   * The time-to-live of the udp stack's multicast packets ({@code buddygrid.ip_ttl}): 0 keeps them
   * on this host, 1 on the local network segment.
   */
  public JGroupsStack withIpTtl(int ttl) {
    if (ttl < 0 || ttl > 255) {
      throw new IllegalArgumentException("IP TTL must be between 0 and 255, was " + ttl);
    }
    return with("buddygrid.ip_ttl", Integer.toString(ttl));
  }

  /**
   * The largest frame the tcp stack accepts from a peer ({@code buddygrid.max_length}); a longer
   * one closes the connection. Application messages are fragmented well below it, so it bounds what
   * a broken or hostile peer can make a member allocate, not what the application may send.
   */
  public JGroupsStack withMaxLength(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException(
          "max length must be positive (an unbounded frame length is not offered), was " + bytes);
    }
    return with("buddygrid.max_length", Integer.toString(bytes));
  }

  /**
   * The TLS stores of the {@code secure} stack: this node's key pair ({@code
   * buddygrid.tls.keystore}, PKCS12, signed by the cluster's CA) and the trust store holding that
   * CA's certificate ({@code buddygrid.tls.truststore}). A peer connects only if its certificate
   * chains to that CA, and this node only to peers whose certificate does. {@code
   * jgroups-config/bin/make-secure-stores.sh} creates both.
   */
  public JGroupsStack withTls(
      Path keystore, String keystorePassword, Path truststore, String truststorePassword) {
    return with("buddygrid.tls.keystore", readableStore(keystore, "TLS key store"))
        .with("buddygrid.tls.keystore_password", password(keystorePassword, "TLS key store"))
        .with("buddygrid.tls.truststore", readableStore(truststore, "TLS trust store"))
        .with("buddygrid.tls.truststore_password", password(truststorePassword, "TLS trust store"));
  }

  /**
   * The cluster's shared AES key for the {@code secure} stack's message encryption: a PKCS12 store
   * ({@code buddygrid.encrypt.keystore}) holding a secret key under the alias {@code buddygrid} (or
   * {@code buddygrid.encrypt.alias}). Every member needs the same key.
   */
  public JGroupsStack withEncryptionKey(Path keystore, String password) {
    return with("buddygrid.encrypt.keystore", readableStore(keystore, "encryption key store"))
        .with("buddygrid.encrypt.keystore_password", password(password, "encryption key store"));
  }

  private static String readableStore(Path store, String what) {
    Objects.requireNonNull(store, what);
    if (!Files.isReadable(store)) {
      throw new IllegalArgumentException(
          what
              + " "
              + store.toAbsolutePath()
              + " does not exist or is not readable; jgroups-config/bin/make-secure-stores.sh"
              + " creates the stores");
    }
    return store.toAbsolutePath().toString();
  }

  private static String password(String password, String what) {
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException(what + " password must not be empty");
    }
    return password;
  }

  /**
   * Heartbeat failure detection ({@code FD_ALL3}): a member that has sent nothing for {@code
   * timeout} is suspected; each member sends a heartbeat every {@code interval}. A longer timeout
   * survives longer GC pauses without a false suspicion but finds a hung member later.
   */
  public JGroupsStack withFailureDetection(Duration timeout, Duration interval) {
    long timeoutMillis = positiveMillis(timeout, "failure detection timeout");
    long intervalMillis = positiveMillis(interval, "failure detection interval");
    if (intervalMillis >= timeoutMillis) {
      throw new IllegalArgumentException(
          "failure detection interval ("
              + interval
              + ") must be shorter than its timeout ("
              + timeout
              + ")");
    }
    return with("buddygrid.fd.timeout", timeoutMillis + "ms")
        .with("buddygrid.fd.interval", intervalMillis + "ms");
  }

  /**
   * How long a suspected member has to answer before it is excluded ({@code VERIFY_SUSPECT2}).
   * After a crash, this is most of the time until the view without the member.
   */
  public JGroupsStack withVerifySuspectTimeout(Duration timeout) {
    return with(
        "buddygrid.verify_suspect.timeout",
        positiveMillis(timeout, "verify suspect timeout") + "ms");
  }

  /**
   * How often members look for other coordinators after a partition ({@code MERGE3}): each sends
   * its view at a random time between {@code min} and {@code max}.
   */
  public JGroupsStack withMergeIntervals(Duration min, Duration max) {
    long minMillis = positiveMillis(min, "minimum merge interval");
    long maxMillis = positiveMillis(max, "maximum merge interval");
    if (minMillis >= maxMillis) {
      throw new IllegalArgumentException(
          "minimum merge interval (" + min + ") must be shorter than the maximum (" + max + ")");
    }
    return with("buddygrid.merge.min_interval", minMillis + "ms")
        .with("buddygrid.merge.max_interval", maxMillis + "ms");
  }

  /** How long a joining member waits for the coordinator's answer ({@code GMS join_timeout}). */
  public JGroupsStack withJoinTimeout(Duration timeout) {
    return with("buddygrid.gms.join_timeout", positiveMillis(timeout, "join timeout") + "ms");
  }

  /**
   * DNS discovery for the tcp stack ({@code buddygrid.tcp.discovery=dns}, {@code
   * buddygrid.dns.query}): members are the addresses that {@code query} resolves to, e.g. a
   * Kubernetes headless service {@code myapp-ping.myns.svc.cluster.local}. The record type is
   * {@code A} unless {@code buddygrid.dns.record_type} says {@code AAAA} or {@code SRV}.
   */
  public JGroupsStack withDnsDiscovery(String query) {
    Objects.requireNonNull(query, "query");
    if (query.isBlank()) {
      throw new IllegalArgumentException("DNS query must not be blank");
    }
    return with(TcpDiscovery.DISCOVERY, TcpDiscovery.DNS)
        .with(TcpDiscovery.DNS_QUERY, query.trim());
  }

  private static long positiveMillis(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.toMillis() < 1) {
      throw new IllegalArgumentException(what + " must be at least 1 ms, was " + duration);
    }
    return duration.toMillis();
  }

  /** An IP literal, or null if {@code text} is not one; never a name lookup. */
  private static InetAddress parseIpLiteral(String text) {
    try {
      Matcher ipv4 = IPV4_LITERAL.matcher(text);
      if (ipv4.matches()) {
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
          int octet = Integer.parseInt(ipv4.group(i + 1));
          if (octet > 255) {
            return null;
          }
          bytes[i] = (byte) octet;
        }
        return InetAddress.getByAddress(bytes);
      }
      if (IPV6_LITERAL.matcher(text).matches()) {
        // Only hex digits, colons and dots: InetAddress parses it as a literal, never a name.
        return InetAddress.getByName(text);
      }
      return null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * The names of the settings this stack reads: every {@code ${name}} placeholder in its XML
   * (outside comments) and, since any TCP stack may switch to DNS discovery, the discovery keys
   * ({@code buddygrid.tcp.discovery}, {@code buddygrid.dns.*}). A configuration tool can tell a
   * misspelled key from a stack setting with it.
   */
  public Set<String> settingNames() {
    Set<String> names = new LinkedHashSet<>(Placeholders.names(xml));
    names.addAll(
        List.of(
            TcpDiscovery.DISCOVERY,
            TcpDiscovery.DNS_QUERY,
            TcpDiscovery.DNS_RECORD_TYPE,
            TcpDiscovery.DNS_ADDRESS));
    return Collections.unmodifiableSet(names);
  }

  /** The raw XML, placeholders untouched. */
  public String xml() {
    return xml;
  }

  /**
   * The XML with every placeholder replaced, and the discovery protocol that {@code
   * buddygrid.tcp.discovery} selects.
   *
   * @throws StackException naming the first placeholder that has no value and no default, or the
   *     discovery setting that is invalid
   */
  public String resolvedXml() {
    Function<String, String> lookup =
        key -> values.containsKey(key) ? values.get(key) : System.getProperty(key);
    return Placeholders.resolve(TcpDiscovery.apply(name, xml, lookup), lookup);
  }

  /**
   * A new, unconnected channel on this stack.
   *
   * @throws StackException if a placeholder has no value, or JGroups rejects the stack (the message
   *     says which protocol or attribute)
   */
  public JChannel newChannel() {
    String resolved = resolvedXml();
    try {
      return new JChannel(new ByteArrayInputStream(resolved.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new StackException("JGroups stack " + name + " is invalid: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "JGroupsStack[" + name + ", values=" + values + "]";
  }
}
