package org.buddygrid.session;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.buddygrid.jgroups.JGroupsStack;
import org.buddygrid.jgroups.Stacks;

/**
 * Reads {@link BuddyGridSettings} from its sources: merges them by precedence, resolves {@code
 * ${...}} references, reports unknown keys with the nearest known one, parses every value, and
 * collects every problem before failing once.
 */
final class SettingsLoader {
  private static final System.Logger LOG = System.getLogger(BuddyGridSettings.class.getName());
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

  /** A raw value and the source that gave it. */
  private record Raw(String value, SettingsSource source) {}

  private SettingsLoader() {}

  static BuddyGridSettings load(List<SettingsSource> sources) {
    List<String> problems = new ArrayList<>();
    Set<String> known = knownKeys(stackName(sources));
    Map<String, Raw> raw = new LinkedHashMap<>();
    for (SettingsSource source : sources) {
      Optional<Set<String>> keys = source.keys();
      for (String key : keys.orElse(known)) {
        if (known.contains(key) && !raw.containsKey(key)) {
          source.get(key).ifPresent(v -> raw.put(key, new Raw(v, source)));
        }
      }
      keys.ifPresent(k -> reportUnknown(source, k, known, problems, false));
    }

    Map<Setting<?>, Object> values = new HashMap<>();
    Map<String, String> origins = new HashMap<>();
    Map<String, String> stackValues = new LinkedHashMap<>();
    Map<String, Setting<?>> byKey = new HashMap<>();
    BuddyGridSettings.all().forEach(s -> byKey.put(s.key(), s));
    for (Map.Entry<String, Raw> e : raw.entrySet()) {
      String key = e.getKey();
      Raw r = e.getValue();
      String value;
      try {
        value = r.source().resolvesPlaceholders() ? resolve(r.value()) : r.value();
      } catch (IllegalArgumentException ex) {
        problems.add(describe(key, r) + ": " + ex.getMessage());
        continue;
      }
      Setting<?> setting = byKey.get(key);
      if (setting == null) {
        stackValues.put(key, value);
        continue;
      }
      try {
        values.put(setting, setting.parse(value));
        origins.put(key, r.source().description());
      } catch (IllegalArgumentException ex) {
        problems.add(describe(key, r) + " " + ex.getMessage());
      }
    }
    for (Setting<?> s : BuddyGridSettings.all()) {
      if (!values.containsKey(s) && !origins.containsKey(s.key()) && !raw.containsKey(s.key())) {
        s.defaultText().ifPresent(d -> values.put(s, s.parse(d)));
      }
    }
    if (!raw.containsKey(BuddyGridSettings.ROUTE.key())) {
      problems.add(
          "buddygrid.route is not set: give every node a unique route (the name the load balancer"
              + " knows it by, e.g. node1) as the system property -Dbuddygrid.route=node1, as a"
              + " context or filter init parameter, or in WEB-INF/classes/buddygrid.properties"
              + " (buddygrid.route=${jboss.node.name} takes it from a system property)");
    }
    BuddyGridSettings settings = new BuddyGridSettings(values, origins, stackValues);
    if (problems.isEmpty()) {
      GridBuilders.apply(settings, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException(problems);
    }
    return settings;
  }

  /**
   * The value of one setting alone, as {@link #load} would read it (for {@code buddygrid.enabled},
   * read before deciding whether to load the rest).
   *
   * @throws InvalidSettingsException if the value is malformed
   */
  static <T> T peek(List<SettingsSource> sources, Setting<T> setting) {
    for (SettingsSource source : sources) {
      Optional<String> v = source.get(setting.key());
      if (v.isPresent()) {
        Raw r = new Raw(v.get(), source);
        try {
          return setting.parse(source.resolvesPlaceholders() ? resolve(v.get()) : v.get());
        } catch (IllegalArgumentException e) {
          throw new InvalidSettingsException(
              List.of(describe(setting.key(), r) + " " + e.getMessage()));
        }
      }
    }
    return setting.parse(setting.defaultText().orElseThrow());
  }

  /** The unknown-key messages of the sources, errors and warnings alike. */
  static List<String> unknownKeys(List<SettingsSource> sources) {
    List<String> out = new ArrayList<>();
    Set<String> known = knownKeys(stackName(sources));
    for (SettingsSource source : sources) {
      source.keys().ifPresent(k -> reportUnknown(source, k, known, out, true));
    }
    return out;
  }

  /** The stack the sources name, or the default; unresolved or unknown names fall back. */
  private static String stackName(List<SettingsSource> sources) {
    String key = BuddyGridSettings.STACK.key();
    for (SettingsSource s : sources) {
      Optional<String> v = s.get(key);
      if (v.isPresent()) {
        try {
          return s.resolvesPlaceholders() ? resolve(v.get()).strip() : v.get().strip();
        } catch (IllegalArgumentException e) {
          return null; // reported when the value itself is read
        }
      }
    }
    return BuddyGridSettings.STACK.defaultText().orElseThrow();
  }

  /**
   * Every setting's key and every {@code buddygrid.*} placeholder of the shipped and named stacks.
   */
  private static Set<String> knownKeys(String stackName) {
    Set<String> known = new LinkedHashSet<>();
    BuddyGridSettings.all().forEach(s -> known.add(s.key()));
    List<JGroupsStack> stacks = new ArrayList<>();
    for (String name : Stacks.KNOWN) {
      stacks.add(Stacks.named(name));
    }
    if (stackName != null && !Stacks.KNOWN.contains(stackName)) {
      try {
        stacks.add(Stacks.named(stackName));
      } catch (RuntimeException e) {
        // An unreadable stack is reported when the grid builder is checked.
      }
    }
    for (JGroupsStack stack : stacks) {
      for (String name : stack.settingNames()) {
        if (name.startsWith(SettingsSource.PREFIX)) {
          known.add(name);
        }
      }
    }
    return known;
  }

  /**
   * Adds a message per unknown key of {@code source} to {@code problems} if the source is strict or
   * {@code collectWarnings}; else logs it as a warning.
   */
  private static void reportUnknown(
      SettingsSource source,
      Set<String> keys,
      Set<String> known,
      List<String> problems,
      boolean collectWarnings) {
    for (String key : keys) {
      if (known.contains(key)) {
        continue;
      }
      String message =
          "unknown setting "
              + key
              + " ("
              + source.description()
              + "): "
              + nearest(key, known)
                  .map(n -> "did you mean " + n + "?")
                  .orElse("the settings are listed in the session adapter's README");
      if (source.isStrict() || collectWarnings) {
        problems.add(message);
      } else {
        LOG.log(Level.WARNING, message);
      }
    }
  }

  /** The known key closest to {@code key}, if one is close enough to be a likely misspelling. */
  static Optional<String> nearest(String key, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(key, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, (key.length() - SettingsSource.PREFIX.length()) / 3);
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }

  /**
   * {@code value} with each {@code ${name}} or {@code ${name:default}} replaced by the system
   * property, and each {@code ${env.NAME}} by the environment variable.
   *
   * @throws IllegalArgumentException naming a reference with neither a value nor a default
   */
  static String resolve(String value) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1).strip();
      String found =
          name.startsWith("env.") ? System.getenv(name.substring(4)) : System.getProperty(name);
      if (found == null) {
        found = m.group(2);
      }
      if (found == null) {
        throw new IllegalArgumentException(
            (name.startsWith("env.")
                    ? "environment variable " + name.substring(4)
                    : "system property " + name)
                + " is not set; set it, or give a default as ${"
                + name
                + ":value}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(found));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** {@code key=value (source)} for messages. */
  static String describe(String key, Raw r) {
    return key + "=" + r.value() + " (" + r.source().description() + ")";
  }
}
