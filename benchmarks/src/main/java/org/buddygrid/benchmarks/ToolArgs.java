package org.buddygrid.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --name value} options of the measurement tools (and valueless flags where a tool names
 * them), checked before anything starts.
 */
final class ToolArgs {
  private final String usage;
  private final Map<String, String> given = new LinkedHashMap<>();

  private ToolArgs(String usage) {
    this.usage = usage;
  }

  /**
   * Parses {@code args}; {@code flags} are the options that take no value. Prints the usage and
   * exits on {@code --help} (status 0) or on an option without its value (status 2).
   */
  static ToolArgs parse(String[] args, String usage, String... flags) {
    ToolArgs parsed = new ToolArgs(usage);
    if (List.of(args).contains("--help")) {
      System.out.println(usage);
      System.exit(0);
    }
    int i = 0;
    while (i < args.length) {
      if (List.of(flags).contains(args[i])) {
        parsed.given.put(args[i], "true");
        i++;
        continue;
      }
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        parsed.fail(args[i] + " needs a value");
      }
      parsed.given.put(args[i], args[i + 1]);
      i += 2;
    }
    return parsed;
  }

  /** Whether the flag {@code name} (one of those given to {@link #parse}) was given. */
  boolean flag(String name) {
    return given.remove(name) != null;
  }

  String oneOf(String name, String fallback, String... allowed) {
    String value = given.remove(name);
    if (value == null) {
      return fallback;
    }
    if (!List.of(allowed).contains(value)) {
      fail(name + " " + value + " is not one of " + List.of(allowed));
    }
    return value;
  }

  String string(String name, String fallback) {
    String value = given.remove(name);
    return value == null ? fallback : value;
  }

  int integer(String name, int fallback, int min) {
    String value = given.remove(name);
    if (value == null) {
      return fallback;
    }
    int parsed = 0;
    try {
      parsed = Integer.parseInt(value.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      fail(name + " " + value + " is not a number");
    }
    if (parsed < min) {
      fail(name + " " + value + " is below " + min);
    }
    return parsed;
  }

  /**
   * A comma-separated list of integers, each at least {@code min} ({@code _} may group digits:
   * {@code 10_000,100_000}).
   */
  List<Integer> integers(String name, List<Integer> fallback, int min) {
    String value = given.remove(name);
    if (value == null) {
      return fallback;
    }
    List<Integer> out = new ArrayList<>();
    for (String part : value.split(",")) {
      int parsed = 0;
      try {
        parsed = Integer.parseInt(part.trim().replace("_", ""));
      } catch (NumberFormatException e) {
        fail(name + " " + value + ": " + part + " is not a number");
      }
      if (parsed < min) {
        fail(name + " " + value + ": " + part + " is below " + min);
      }
      out.add(parsed);
    }
    return List.copyOf(out);
  }

  /** Fails if an option was given that no one asked for. */
  void done() {
    if (!given.isEmpty()) {
      fail("unknown options: " + given.keySet());
    }
  }

  private void fail(String message) {
    System.err.println(message);
    System.err.println(usage);
    System.exit(2);
  }
}
