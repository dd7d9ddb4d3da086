package org.buddygrid.session.tomcat;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.buddygrid.session.BuddyGridSettings;
import org.buddygrid.session.InvalidSettingsException;
import org.buddygrid.session.Setting;
import org.buddygrid.session.SettingsSource;

/**
 * The attributes of a {@link BuddyGridManager} and how they become {@link BuddyGridSettings}.
 *
 * <p>An attribute names a setting by its key without {@code buddygrid.}, in camelCase ({@code
 * replicationTimeout} is {@code buddygrid.replication-timeout}, {@code tcp.initial_hosts} is {@code
 * buddygrid.tcp.initial_hosts}), or by its full key. The settings are read, highest precedence
 * first, from the Engine's {@code jvmRoute} (the route, and only it), system properties, the
 * attributes, and {@code buddygrid.properties} on the web application's class loader, by {@link
 * BuddyGridSettings#load}: the same checks and messages as filter mode.
 */
final class ManagerSettings {
  static final String ATTRIBUTES = "<Manager> attribute";
  static final String JVM_ROUTE = "Engine jvmRoute";

  private static final System.Logger LOG = System.getLogger(BuddyGridManager.class.getName());
  private static final String PREFIX = "buddygrid.";

  /** Settings of filter mode that Tomcat decides itself in Tomcat mode. */
  private static final Map<Setting<?>, String> FILTER_ONLY =
      Map.of(
          BuddyGridSettings.ENABLED, "it only concerns the filter's initializer",
          BuddyGridSettings.URL_REWRITING,
              "session tracking modes are the web application's (cookies and URLs by default)",
          BuddyGridSettings.COOKIE_SAME_SITE,
              "the session cookie is Tomcat's: set sameSiteCookies on the context's CookieProcessor",
          BuddyGridSettings.LISTENERS,
              "Tomcat calls the application's own listeners (web.xml, @WebListener, addListener)");

  private final Map<String, String> attributes = new LinkedHashMap<>();

  /** The setting key an attribute stands for. */
  static String key(String attribute) {
    if (attribute.startsWith(PREFIX)) {
      return attribute;
    }
    StringBuilder key = new StringBuilder(PREFIX);
    for (int i = 0; i < attribute.length(); i++) {
      char c = attribute.charAt(i);
      if (Character.isUpperCase(c)) {
        key.append('-').append(Character.toLowerCase(c));
      } else {
        key.append(c);
      }
    }
    return key.toString().toLowerCase(Locale.ROOT);
  }

  /** Records an attribute; it is checked when the settings are loaded. */
  synchronized void set(String attribute, String value) {
    attributes.put(key(attribute), value);
  }

  /** The value given for a setting key, if any. */
  synchronized Optional<String> get(String key) {
    return Optional.ofNullable(attributes.get(key));
  }

  /**
   * Reads and checks every setting.
   *
   * @param jvmRoute the Engine's {@code jvmRoute}, or {@code null} if it has none
   * @param loader the web application's class loader, for {@code buddygrid.properties}
   * @throws InvalidSettingsException listing every problem, the missing jvmRoute included
   */
  BuddyGridSettings load(String jvmRoute, ClassLoader loader) {
    List<String> problems = new ArrayList<>();
    boolean missing = jvmRoute == null || jvmRoute.isBlank();
    if (missing) {
      problems.add(
          "the Engine has no jvmRoute: BuddyGrid uses it as this node's route, so set"
              + " <Engine name=\"Catalina\" defaultHost=\"localhost\" jvmRoute=\"node1\"> in"
              + " server.xml, with a name unique to each node that the load balancer knows it by"
              + " (mod_jk's worker, mod_proxy_balancer's route)");
    }
    String route = missing ? "unset" : jvmRoute.strip();
    List<SettingsSource> sources = new ArrayList<>();
    sources.add(SettingsSource.systemProperties());
    synchronized (this) {
      sources.add(SettingsSource.of(ATTRIBUTES, attributes));
    }
    sources.add(SettingsSource.propertiesResource(loader));
    for (SettingsSource s : sources) {
      s.get(BuddyGridSettings.ROUTE.key())
          .filter(v -> !missing && !v.strip().equals(route))
          .ifPresent(
              v ->
                  problems.add(
                      "buddygrid.route="
                          + v
                          + " ("
                          + s.description()
                          + ") is not the Engine's jvmRoute "
                          + route
                          + ": in Tomcat mode the route is the jvmRoute; remove buddygrid.route"));
    }
    sources.add(0, SettingsSource.of(JVM_ROUTE, Map.of(BuddyGridSettings.ROUTE.key(), route)));
    BuddyGridSettings settings = null;
    try {
      settings = BuddyGridSettings.load(sources);
    } catch (InvalidSettingsException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException(problems);
    }
    BuddyGridSettings loaded = settings;
    FILTER_ONLY.forEach(
        (setting, why) -> {
          if (loaded.isSet(setting)) {
            LOG.log(
                Level.WARNING,
                "{0} ({1}) has no effect in Tomcat mode: {2}",
                setting.key(),
                loaded.origin(setting).orElse("?"),
                why);
          }
        });
    return loaded;
  }
}
