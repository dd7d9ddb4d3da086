package org.buddygrid.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * Where setting values come from: system properties, servlet context or filter init parameters, a
 * {@code buddygrid.properties} resource, a Tomcat {@code Manager}'s attributes, or any map or
 * lookup function. {@link BuddyGridSettings#load} takes several, highest precedence first.
 *
 * <p>Only keys that start with {@code buddygrid.} are read. A source that can list its keys has
 * every unknown {@code buddygrid.*} key reported with the nearest known one (an error, except for
 * system properties, which the whole JVM shares: there it is a warning). Values of every source but
 * system properties may refer to system properties as {@code ${name}} or {@code ${name:default}},
 * and to environment variables as {@code ${env.NAME}}. Immutable.
 */
public final class SettingsSource {
  /** The resource {@link #propertiesResource(ClassLoader)} reads. */
  public static final String PROPERTIES_RESOURCE = "buddygrid.properties";

  static final String PREFIX = "buddygrid.";

  private final String description;
  private final Map<String, String> values;
  private final Function<String, String> lookup;
  private final boolean strict;
  private final boolean placeholders;

  private SettingsSource(
      String description,
      Map<String, String> values,
      Function<String, String> lookup,
      boolean strict,
      boolean placeholders) {
    this.description = Objects.requireNonNull(description, "description");
    this.values = values;
    this.lookup = lookup;
    this.strict = strict;
    this.placeholders = placeholders;
  }

  /** The JVM's system properties (read now); unknown keys are warnings, not errors. */
  public static SettingsSource systemProperties() {
    Map<String, String> copy = new LinkedHashMap<>();
    Properties props = System.getProperties();
    for (String name : props.stringPropertyNames()) {
      if (name.startsWith(PREFIX)) {
        copy.put(name, props.getProperty(name));
      }
    }
    return new SettingsSource(
        "system property", Collections.unmodifiableMap(copy), null, false, false);
  }

  /**
   * Values from a map (init parameters, a manager's attributes), described as {@code description}
   * in messages, e.g. {@code "servlet context init parameter"}.
   */
  public static SettingsSource of(String description, Map<String, String> values) {
    Map<String, String> copy = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (k != null && v != null && k.startsWith(PREFIX)) {
            copy.put(k, v);
          }
        });
    return new SettingsSource(description, Collections.unmodifiableMap(copy), null, true, true);
  }

  /**
   * Values from a function that answers a key with its value or {@code null}. It cannot list its
   * keys, so a misspelled key in it goes unnoticed: prefer {@link #of(String, Map)}.
   */
  public static SettingsSource lookup(String description, Function<String, String> lookup) {
    return new SettingsSource(description, null, Objects.requireNonNull(lookup), false, true);
  }

  /**
   * The {@value #PROPERTIES_RESOURCE} resource that {@code loader} finds (in a web application,
   * {@code WEB-INF/classes/buddygrid.properties}), or an empty source if there is none.
   *
   * @throws InvalidSettingsException if the resource exists but cannot be read
   */
  public static SettingsSource propertiesResource(ClassLoader loader) {
    URL url = loader == null ? null : loader.getResource(PROPERTIES_RESOURCE);
    if (url == null) {
      return of(PROPERTIES_RESOURCE, Map.of());
    }
    Properties props = new Properties();
    try (InputStream in = url.openStream()) {
      props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidSettingsException(
          List.of("cannot read " + url + ": " + e.getMessage() + "; fix or remove the file"));
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (String name : props.stringPropertyNames()) {
      map.put(name, props.getProperty(name));
    }
    return of(PROPERTIES_RESOURCE + " (" + url + ")", map);
  }

  /** How messages name this source, e.g. {@code system property}. */
  public String description() {
    return description;
  }

  /** The raw value of {@code key}, if this source has one. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values != null ? values.get(key) : lookup.apply(key));
  }

  /** The {@code buddygrid.*} keys this source holds, or empty if it cannot list them. */
  Optional<Set<String>> keys() {
    return values == null ? Optional.empty() : Optional.of(values.keySet());
  }

  /** Whether an unknown key here is an error (else a warning). */
  boolean isStrict() {
    return strict;
  }

  /** Whether {@code ${...}} in values refers to system properties and the environment. */
  boolean resolvesPlaceholders() {
    return placeholders;
  }

  @Override
  public String toString() {
    return "SettingsSource[" + description + "]";
  }
}
