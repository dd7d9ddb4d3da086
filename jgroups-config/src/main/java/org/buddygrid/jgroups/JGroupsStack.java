package org.buddygrid.jgroups;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
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
 */
public final class JGroupsStack {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

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

  /** The raw XML, placeholders untouched. */
  public String xml() {
    return xml;
  }

  /**
   * The XML with every placeholder replaced.
   *
   * @throws StackException naming the first placeholder that has no value and no default
   */
  public String resolvedXml() {
    return resolve(xml, key -> values.containsKey(key) ? values.get(key) : System.getProperty(key));
  }

  static String resolve(String text, Function<String, String> lookup) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String key = m.group(1).trim();
      String value = lookup.apply(key);
      if (value == null) {
        value = m.group(2);
      }
      if (value == null) {
        throw new StackException(
            "Placeholder ${" + key + "} has no value: set it as a property or system property");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(escapeXmlAttribute(value)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String escapeXmlAttribute(String value) {
    return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
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
