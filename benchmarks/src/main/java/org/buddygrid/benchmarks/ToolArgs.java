package org.buddygrid.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} options of the measurement tools, checked before anything starts. */
final class ToolArgs {
  private final String usage;
  private final Map<String, String> given = new LinkedHashMap<>();

  private ToolArgs(String usage) {
    this.usage = usage;
  }

  /**
   * Parses {@code args}; prints the usage and exits on {@code --help} (status 0) or on an odd
   * argument count (status 2).
   */
  static ToolArgs parse(String[] args, String usage) {
    ToolArgs parsed = new ToolArgs(usage);
    if (List.of(args).contains("--help")) {
      System.out.println(usage);
      System.exit(0);
    }
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        parsed.fail(args[i] + " needs a value");
      }
      parsed.given.put(args[i], args[i + 1]);
    }
    return parsed;
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
